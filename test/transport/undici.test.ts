import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../../src/pipeline/body.js';
import { isOssClientError } from '../../src/errors.js';
import { createUndiciTransport } from '../../src/transport/undici.node.js';
import type { Transport } from '../../src/transport/types.js';
import { readRequest, readSlowly, startLocalServer, type LocalServer } from './local-server.js';

let server: LocalServer;
let transport: Transport;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await transport?.close?.();
});

function fresh(): Transport {
  transport = createUndiciTransport({ connections: 2 });
  return transport;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('undici transport', () => {
  it('sends method, path, query and headers; returns lower-case, joined headers', async () => {
    server.handle(async (req, res) => {
      const body = await readRequest(req);
      res.setHeader('X-Echo', `${req.method} ${req.url} ${req.headers['x-oss-meta-a']} ${body.toString()}`);
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end('ok');
    });
    const t = fresh();
    const res = await t.send({ method: 'PUT', url: `${server.url}/b/k%20x?acl`, headers: { 'x-oss-meta-a': 'v' }, body: 'hi' }, {});
    expect(res.status).toBe(200);
    expect(res.headers['x-echo']).toBe('PUT /b/k%20x?acl v hi');
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(new TextDecoder().decode(await readAll(res.body!))).toBe('ok');
  });

  it('streams the response: the first chunk arrives before the server finishes', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    server.handle((_req, res) => {
      res.write('first');
      void finished.then(() => res.end('last'));
    });
    const res = await fresh().send({ method: 'GET', url: `${server.url}/s`, headers: {} }, {});
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('first');
    finish();
    const rest: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(new TextDecoder().decode(r.value));
    expect(rest.join('')).toBe('last');
  });

  it('streams a request body and reports byte-level upload progress', async () => {
    server.handle(async (req, res) => {
      const body = await readRequest(req);
      res.end(`${body.length}:${req.headers['transfer-encoding'] ?? req.headers['content-length']}`);
    });
    async function* chunks() {
      for (let i = 0; i < 8; i++) yield new Uint8Array(100_000).fill(i);
    }
    const progress: number[] = [];
    const res = await fresh().send(
      { method: 'PUT', url: `${server.url}/up`, headers: {}, body: chunks() },
      { onUploadProgress: (n) => progress.push(n) },
    );
    expect(new TextDecoder().decode(await readAll(res.body!))).toBe('800000:chunked');
    expect(progress.at(-1)).toBe(800_000);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('reports progress for byte bodies in slices and keeps Content-Length', async () => {
    server.handle(async (req, res) => res.end(`${(await readRequest(req)).length}:${req.headers['content-length']}`));
    const progress: number[] = [];
    const res = await fresh().send(
      { method: 'PUT', url: `${server.url}/up`, headers: { 'content-length': '300000' }, body: new Uint8Array(300_000) },
      { onUploadProgress: (n) => progress.push(n) },
    );
    expect(new TextDecoder().decode(await readAll(res.body!))).toBe('300000:300000');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(300_000);
  });

  it('sends Blob and web ReadableStream bodies', async () => {
    server.handle(async (req, res) => res.end(await readRequest(req)));
    const t = fresh();
    const blob = await t.send({ method: 'PUT', url: `${server.url}/b`, headers: {}, body: new Blob(['blob-body']) }, {});
    expect(new TextDecoder().decode(await readAll(blob.body!))).toBe('blob-body');
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode('web')), c.close()) });
    const web = await t.send({ method: 'PUT', url: `${server.url}/b`, headers: {}, body: stream }, {});
    expect(new TextDecoder().decode(await readAll(web.body!))).toBe('web');
  });

  it('HEAD answers have no body', async () => {
    server.handle((_req, res) => {
      res.setHeader('content-length', '10');
      res.end();
    });
    const res = await fresh().send({ method: 'HEAD', url: `${server.url}/h`, headers: {} }, {});
    expect(res.body).toBeNull();
    expect(res.headers['content-length']).toBe('10');
  });

  it('times out with Timeout when no answer comes', async () => {
    server.handle(() => undefined);
    const error = await failure(fresh().send({ method: 'GET', url: `${server.url}/slow`, headers: {} }, { timeoutMs: 150 }));
    expect(isOssClientError(error, 'Timeout')).toBe(true);
  });

  it('times out while reading a stalled body', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
    });
    const res = await fresh().send({ method: 'GET', url: `${server.url}/stall`, headers: {} }, { timeoutMs: 150 });
    expect(isOssClientError(await failure(readAll(res.body!)), 'Timeout')).toBe(true);
  });

  describe('timeoutMs is an idle timeout for uploads too', () => {
    const MiB = 1024 * 1024;
    // Taken by the server 256 KiB at a time with 25 ms breaks: 64 breaks, far longer in all than
    // timeoutMs, but never timeoutMs without a byte moving.
    const slowServer = (): void =>
      server.handle(async (req, res) => {
        const total = await readSlowly(req, 256 * 1024, 25);
        res.end(String(total));
      });

    it('a large byte body read slowly by the server succeeds with a small timeoutMs', async () => {
      slowServer();
      const body = new Uint8Array(16 * MiB);
      const res = await fresh().send(
        { method: 'PUT', url: `${server.url}/slow-up`, headers: { 'content-length': String(body.byteLength) }, body },
        { timeoutMs: 300 },
      );
      expect(res.status).toBe(200);
      expect(new TextDecoder().decode(await readAll(res.body!))).toBe(String(16 * MiB));
    });

    it('so does a streamed body with progress, and a Blob', async () => {
      slowServer();
      const t = fresh();
      async function* chunks() {
        for (let i = 0; i < 64; i++) yield new Uint8Array(256 * 1024).fill(i);
      }
      const progress: number[] = [];
      const streamed = await t.send(
        { method: 'PUT', url: `${server.url}/slow-up`, headers: {}, body: chunks() },
        { timeoutMs: 300, onUploadProgress: (n) => progress.push(n) },
      );
      expect(new TextDecoder().decode(await readAll(streamed.body!))).toBe(String(16 * MiB));
      expect(progress.at(-1)).toBe(16 * MiB);
      const blob = await t.send(
        { method: 'PUT', url: `${server.url}/slow-up`, headers: { 'content-length': String(16 * MiB) }, body: new Blob([new Uint8Array(16 * MiB)]) },
        { timeoutMs: 300 },
      );
      expect(new TextDecoder().decode(await readAll(blob.body!))).toBe(String(16 * MiB));
    });

    it('an upload the server stops reading fails with Timeout', async () => {
      let seen = 0;
      server.handle((req) => {
        // Reads the start, then nothing: the socket buffers fill and writing stops.
        req.once('data', (chunk: Buffer) => {
          seen += chunk.length;
          req.pause();
        });
      });
      const body = new Uint8Array(32 * MiB);
      const error = await failure(
        fresh().send({ method: 'PUT', url: `${server.url}/stuck`, headers: { 'content-length': String(body.byteLength) }, body }, { timeoutMs: 300 }),
      );
      expect(isOssClientError(error, 'Timeout')).toBe(true);
      expect(seen).toBeGreaterThan(0);
    });

    it('a body sent in full but never answered fails with Timeout', async () => {
      server.handle((req) => void readRequest(req));
      const body = new Uint8Array(MiB);
      const error = await failure(
        fresh().send({ method: 'PUT', url: `${server.url}/mute`, headers: { 'content-length': String(body.byteLength) }, body }, { timeoutMs: 200 }),
      );
      expect(isOssClientError(error, 'Timeout')).toBe(true);
    });

    it('the caller can still abort a slow upload, and its signal keeps no listener afterwards', async () => {
      const controller = new AbortController();
      const listeners = new Set<unknown>();
      const add = controller.signal.addEventListener.bind(controller.signal);
      const remove = controller.signal.removeEventListener.bind(controller.signal);
      controller.signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
        listeners.add(listener);
        add(type, listener, options);
      }) as typeof controller.signal.addEventListener;
      controller.signal.removeEventListener = ((type: string, listener: EventListener) => {
        listeners.delete(listener);
        remove(type, listener);
      }) as typeof controller.signal.removeEventListener;
      const t = fresh();
      server.handle(async (req, res) => res.end(String((await readRequest(req)).length)));
      for (let i = 0; i < 3; i++) {
        const res = await t.send({ method: 'PUT', url: `${server.url}/ok`, headers: {}, body: new Uint8Array(MiB) }, { signal: controller.signal });
        await readAll(res.body!);
      }
      expect(listeners.size).toBe(0);
      server.handle((req) => req.pause());
      const pending = t.send({ method: 'PUT', url: `${server.url}/abort`, headers: {}, body: new Uint8Array(32 * MiB) }, { signal: controller.signal, timeoutMs: 60_000 });
      setTimeout(() => controller.abort(), 50);
      expect(isOssClientError(await failure(pending), 'Aborted')).toBe(true);
      expect(listeners.size).toBe(0);
    });
  });

  it('requests without a watched body keep no listener on a shared signal once answered', async () => {
    // Such requests hand the caller's signal to undici directly (no AbortController of ours).
    const controller = new AbortController();
    const listeners = new Set<unknown>();
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
      listeners.add(listener);
      add(type, listener, options);
    }) as typeof controller.signal.addEventListener;
    controller.signal.removeEventListener = ((type: string, listener: EventListener) => {
      listeners.delete(listener);
      remove(type, listener);
    }) as typeof controller.signal.removeEventListener;
    const t = fresh();
    server.handle((req, res) => (req.url === '/empty' ? res.writeHead(204).end() : res.end('x'.repeat(1000))));
    for (let i = 0; i < 3; i++) {
      const read = await t.send({ method: 'GET', url: `${server.url}/read`, headers: {} }, { signal: controller.signal });
      expect((await readAll(read.body!)).byteLength).toBe(1000);
      const cancelled = await t.send({ method: 'GET', url: `${server.url}/cancel`, headers: {} }, { signal: controller.signal });
      await cancelled.body!.cancel();
      const empty = await t.send({ method: 'GET', url: `${server.url}/empty`, headers: {} }, { signal: controller.signal });
      expect(empty.body).toBeNull();
    }
    // undici drops its listener when the response closes, an event after the body's end.
    await new Promise((resolve) => setImmediate(resolve));
    expect(listeners.size).toBe(0);
  });

  it('abort before the answer gives Aborted', async () => {
    server.handle(() => undefined);
    const controller = new AbortController();
    const pending = fresh().send({ method: 'GET', url: `${server.url}/wait`, headers: {} }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(isOssClientError(await failure(pending), 'Aborted')).toBe(true);
  });

  it('abort while reading the body gives Aborted', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.write('start');
    });
    const controller = new AbortController();
    const res = await fresh().send({ method: 'GET', url: `${server.url}/body`, headers: {} }, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    expect(isOssClientError(await failure(reader.read()), 'Aborted')).toBe(true);
  });

  it('a reset connection gives NetworkError', async () => {
    server.handle((req) => req.socket.destroy());
    const error = await failure(fresh().send({ method: 'GET', url: `${server.url}/reset`, headers: {} }, {}));
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
  });

  it('a truncated body errors the stream with NetworkError', async () => {
    server.handle((req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only-half');
      setTimeout(() => req.socket.destroy(), 10);
    });
    const res = await fresh().send({ method: 'GET', url: `${server.url}/cut`, headers: {} }, {});
    expect(isOssClientError(await failure(readAll(res.body!)), 'NetworkError')).toBe(true);
  });

  it('a garbage answer gives NetworkError', async () => {
    server.handle((req) => {
      req.socket.end('this is not http\r\n\r\n');
    });
    const error = await failure(fresh().send({ method: 'GET', url: `${server.url}/junk`, headers: {} }, {}));
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
  });

  it('a refused connection gives NetworkError', async () => {
    const error = await failure(fresh().send({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} }, {}));
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
  });

  it('cancelling an unread body returns the connection to the pool', async () => {
    server.handle((_req, res) => res.end('x'.repeat(1000)));
    const t = createUndiciTransport({ connections: 1 });
    transport = t;
    const before = server.connections;
    for (let i = 0; i < 3; i++) {
      const res = await t.send({ method: 'GET', url: `${server.url}/pool`, headers: {} }, {});
      await res.body!.cancel();
    }
    expect(server.connections - before).toBe(1);
  });

  it('gives a null body for an announced empty answer, and the connection is reused', async () => {
    server.handle(async (req, res) => {
      await readRequest(req);
      res.writeHead(200, { 'content-length': '0', etag: '"E"' });
      res.end();
    });
    const t = createUndiciTransport({ connections: 1 });
    transport = t;
    const before = server.connections;
    for (let i = 0; i < 3; i++) {
      const res = await t.send({ method: 'PUT', url: `${server.url}/e`, headers: {}, body: 'x' }, {});
      expect(res.status).toBe(200);
      expect(res.headers['etag']).toBe('"E"');
      expect(res.body).toBeNull();
    }
    expect(server.connections - before).toBe(1);
  });
});

describe('undici transport refusals never spoil the pool', () => {
  it('refuses a header undici would refuse before it reaches undici, 100 times; then a request succeeds', async () => {
    server.handle((_req, res) => res.end('ok'));
    const t = fresh();
    for (let i = 0; i < 100; i++) {
      const error = await failure(t.send({ method: 'PUT', url: `${server.url}/k`, headers: { 'x-oss-meta-a': '张三' }, body: 'x' }, { timeoutMs: 2000 }));
      expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    }
    const res = await t.send({ method: 'GET', url: `${server.url}/k`, headers: {} }, { timeoutMs: 2000 });
    expect(new TextDecoder().decode(await readAll(res.body!))).toBe('ok');
  });

  it('when undici itself refuses a request (100 times), the pool is replaced and the next request succeeds', async () => {
    server.handle((_req, res) => res.end('ok'));
    const t = fresh();
    for (let i = 0; i < 100; i++) {
      // An invalid method passes our header check and is refused inside undici's pool.
      const error = await failure(t.send({ method: 'BAD METHOD' as 'GET', url: `${server.url}/k`, headers: {} }, { timeoutMs: 2000 }));
      expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    }
    const res = await t.send({ method: 'GET', url: `${server.url}/k`, headers: {} }, { timeoutMs: 2000 });
    expect(new TextDecoder().decode(await readAll(res.body!))).toBe('ok');
  });

  it('sends the path exactly as given: dot segments are not resolved', async () => {
    server.handle((req, res) => res.end(req.url));
    const res = await fresh().send({ method: 'GET', url: `${server.url}/b/%2E%2E/x/%2E?acl`, headers: {} }, {});
    expect(new TextDecoder().decode(await readAll(res.body!))).toBe('/b/%2E%2E/x/%2E?acl');
  });
});
