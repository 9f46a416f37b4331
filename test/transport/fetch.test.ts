import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readAll } from '../../src/pipeline/body.js';
import { isOssClientError } from '../../src/errors.js';
import { createFetchTransport } from '../../src/transport/fetch.js';
import { addTap } from '../../src/pipeline/tapped-stream.js';
import { readRequest, readSlowly, startLocalServer, type LocalServer } from './local-server.js';

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  nock.cleanAll();
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

const text = async (stream: ReadableStream<Uint8Array> | null) => new TextDecoder().decode(await readAll(stream!));

describe('fetch transport (Node fetch against a local server)', () => {
  it('sends the request and leaves out headers the platform sets', async () => {
    server.handle(async (req, res) => {
      const body = await readRequest(req);
      res.setHeader('x-echo', `${req.method} ${req.url} ${req.headers['x-oss-meta-a']} ${req.headers['host']} ${body}`);
      res.end('ok');
    });
    const res = await createFetchTransport().send(
      { method: 'PUT', url: `${server.url}/b/k?acl`, headers: { 'x-oss-meta-a': 'v', host: 'evil.example', 'content-length': '2' }, body: 'hi' },
      {},
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-echo']).toBe(`PUT /b/k?acl v ${server.url.slice(7)} hi`);
    expect(await text(res.body)).toBe('ok');
  });

  it('streams a request body with duplex: half where supported', async () => {
    server.handle(async (req, res) => res.end(`${(await readRequest(req)).length}:${req.headers['transfer-encoding']}`));
    async function* chunks() {
      for (let i = 0; i < 4; i++) yield new Uint8Array(50_000);
    }
    const res = await createFetchTransport().send({ method: 'PUT', url: `${server.url}/s`, headers: {}, body: chunks() }, {});
    expect(await text(res.body)).toBe('200000:chunked');
  });

  it('collects a stream body first when streaming uploads are unsupported', async () => {
    server.handle(async (req, res) => res.end(`${(await readRequest(req)).length}:${req.headers['content-length']}`));
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array(1234)), c.close()) });
    const res = await createFetchTransport({ requestStreams: false }).send({ method: 'PUT', url: `${server.url}/s`, headers: {}, body }, {});
    expect(await text(res.body)).toBe('1234:1234');
  });

  it('reports upload progress for sized bodies once the answer arrives', async () => {
    server.handle(async (req, res) => res.end(String((await readRequest(req)).length)));
    const progress: number[] = [];
    await createFetchTransport().send(
      { method: 'PUT', url: `${server.url}/p`, headers: {}, body: new Uint8Array(4096) },
      { onUploadProgress: (n) => progress.push(n) },
    );
    expect(progress).toEqual([4096]);
  });

  it('HEAD answers have no body', async () => {
    server.handle((_req, res) => res.end());
    expect((await createFetchTransport().send({ method: 'HEAD', url: `${server.url}/h`, headers: {} }, {})).body).toBeNull();
  });

  it('times out without an answer, and while a body stalls', async () => {
    server.handle(() => undefined);
    const t = createFetchTransport();
    expect(isOssClientError(await failure(t.send({ method: 'GET', url: `${server.url}/t`, headers: {} }, { timeoutMs: 100 })), 'Timeout')).toBe(true);
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '50' });
      res.write('some');
    });
    const res = await t.send({ method: 'GET', url: `${server.url}/t`, headers: {} }, { timeoutMs: 100 });
    expect(isOssClientError(await failure(readAll(res.body!)), 'Timeout')).toBe(true);
  });

  it('a body that keeps arriving outlives the idle timeout', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-length': '8' });
      let sent = 0;
      const tick = setInterval(() => {
        res.write('x');
        if (++sent === 8) {
          clearInterval(tick);
          res.end();
        }
      }, 40);
    });
    // 8 chunks 40 ms apart: about 320 ms in all, never 150 ms without a byte.
    const res = await createFetchTransport().send({ method: 'GET', url: `${server.url}/slow`, headers: {} }, { timeoutMs: 150 });
    expect(new TextDecoder().decode(await readAll(res.body!))).toBe('xxxxxxxx');
  });

  describe('uploads slower than timeoutMs that keep moving', () => {
    const MiB = 1024 * 1024;
    // The server takes 256 KiB, then rests 25 ms: far longer in all than timeoutMs, never idle that long.
    const slowServer = (): void =>
      server.handle(async (req, res) => res.end(String(await readSlowly(req, 256 * 1024, 25))));

    it('a byte body succeeds: its allowance grows with its size', async () => {
      slowServer();
      const body = new Uint8Array(16 * MiB);
      const res = await createFetchTransport().send({ method: 'PUT', url: `${server.url}/up`, headers: {}, body }, { timeoutMs: 300 });
      expect(await text(res.body)).toBe(String(16 * MiB));
    });

    it('a Blob body succeeds too', async () => {
      slowServer();
      const body = new Blob([new Uint8Array(16 * MiB)]);
      const res = await createFetchTransport().send({ method: 'PUT', url: `${server.url}/up`, headers: {}, body }, { timeoutMs: 300 });
      expect(await text(res.body)).toBe(String(16 * MiB));
    });

    it('a streamed body succeeds: every pull re-arms the timer, and progress is reported', async () => {
      slowServer();
      async function* chunks() {
        // One huge chunk first: it is handed over in slices, each of them progress.
        yield new Uint8Array(8 * MiB);
        for (let i = 0; i < 32; i++) yield new Uint8Array(256 * 1024);
      }
      const progress: number[] = [];
      const res = await createFetchTransport({ requestStreams: true }).send(
        { method: 'PUT', url: `${server.url}/up`, headers: {}, body: chunks() },
        { timeoutMs: 300, onUploadProgress: (n) => progress.push(n) },
      );
      expect(await text(res.body)).toBe(String(16 * MiB));
      expect(progress.at(-1)).toBe(16 * MiB);
      expect(progress.length).toBeGreaterThan(32);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    });

    it('a streamed body the server stops reading fails with Timeout', async () => {
      server.handle((req) => req.pause());
      async function* chunks() {
        for (let i = 0; i < 128; i++) yield new Uint8Array(256 * 1024);
      }
      const error = await failure(
        createFetchTransport({ requestStreams: true }).send({ method: 'PUT', url: `${server.url}/stuck`, headers: {}, body: chunks() }, { timeoutMs: 200 }),
      );
      expect(isOssClientError(error, 'Timeout')).toBe(true);
    });

    it('a byte body the server stops reading still fails with Timeout once its allowance is spent', async () => {
      server.handle((req) => req.pause());
      const body = new Uint8Array(24 * MiB);
      const error = await failure(createFetchTransport().send({ method: 'PUT', url: `${server.url}/stuck`, headers: {}, body }, { timeoutMs: 40 }));
      expect(isOssClientError(error, 'Timeout')).toBe(true);
    });
  });

  it('abort gives Aborted', async () => {
    server.handle(() => undefined);
    const controller = new AbortController();
    const pending = createFetchTransport().send({ method: 'GET', url: `${server.url}/a`, headers: {} }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(isOssClientError(await failure(pending), 'Aborted')).toBe(true);
  });

  it('a reset connection gives NetworkError', async () => {
    server.handle((req) => req.socket.destroy());
    const error = await failure(createFetchTransport().send({ method: 'GET', url: `${server.url}/r`, headers: {} }, {}));
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
  });

  it('a response body is tappable: checks hook into it instead of wrapping it', async () => {
    server.handle((_req, res) => res.end('tapped body'));
    const res = await createFetchTransport().send({ method: 'GET', url: `${server.url}/t`, headers: {} }, {});
    let seen = 0;
    let ended = 0;
    expect(addTap(res.body!, { chunk: (c) => void (seen += c.byteLength), end: () => void ended++ })).toBe(true);
    expect(await text(res.body)).toBe('tapped body');
    expect({ seen, ended }).toEqual({ seen: 11, ended: 1 });
  });

  it('uses the fetch it is given', async () => {
    const seen: string[] = [];
    const fake = (async (url: string | URL | Request) => {
      seen.push(String(url));
      return new Response('fake', { status: 201, headers: { 'X-A': '1' } });
    }) as typeof fetch;
    const res = await createFetchTransport({ fetch: fake }).send({ method: 'GET', url: 'https://x.example/k', headers: {} }, {});
    expect(seen).toEqual(['https://x.example/k']);
    expect(res).toMatchObject({ status: 201, headers: { 'x-a': '1' } });
  });
});

describe('fetch transport against scripted answers (nock)', () => {
  it('nock really intercepts this transport, and a failed answer is a NetworkError', async () => {
    const scope = nock('http://oss.nock.test').get('/broken').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const error = await failure(createFetchTransport().send({ method: 'GET', url: 'http://oss.nock.test/broken', headers: {} }, {}));
    expect(scope.isDone()).toBe(true);
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
  });

  it('hands a garbage (non-XML) answer through for error mapping', async () => {
    const scope = nock('http://oss.nock.test').get('/garbage').reply(502, '\u0000\u0001 not xml');
    const res = await createFetchTransport().send({ method: 'GET', url: 'http://oss.nock.test/garbage', headers: {} }, {});
    expect(scope.isDone()).toBe(true);
    expect(res.status).toBe(502);
    expect(await text(res.body)).toContain('not xml');
  });
});
