/**
 * Large downloads are hashed by a worker thread (crc-stream-worker.node.ts). The worker's CRC must
 * equal the in-thread one for any chunking, streams must not mix, a reader that gives up must not
 * disturb later streams, and through the client a lying CRC header is still caught.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { createStreamCrc } from '../../src/integrity/crc-stream-worker.node.js';
import { isOssClientError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';
import { startLocalServer, type LocalServer } from '../transport/local-server.js';
import { randomBytes } from '../helpers/prng.js';

const MiB = 1024 * 1024;

/** Reads a stream to its end; the number of bytes. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  const reader = stream.getReader();
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.byteLength;
  }
}

async function hashInChunks(data: Uint8Array, sizes: number[]): Promise<string> {
  const crc = createStreamCrc(data.byteLength);
  expect(crc).toBeDefined();
  let at = 0;
  for (let i = 0; at < data.byteLength; i++) {
    const n = sizes[i % sizes.length]!;
    await crc!.update(data.subarray(at, at + n));
    at += n;
  }
  return crc!.digest();
}

describe('worker CRC-64 of a stream', () => {
  const data = randomBytes(9 * MiB + 12_345, 7);
  const expected = crc64(data);

  it('is not used for small or unknown lengths (in-thread is cheaper there)', () => {
    expect(createStreamCrc(undefined)).toBeUndefined();
    expect(createStreamCrc(64 * 1024)).toBeUndefined();
  });

  it('equals the in-thread CRC for chunks of any size, including one chunk larger than all its batches', async () => {
    expect(await hashInChunks(data, [65_536])).toBe(expected);
    expect(await hashInChunks(data, [1, 4093, 1 << 20, 777_777])).toBe(expected);
    expect(await hashInChunks(data, [data.byteLength])).toBe(expected);
  });

  it('keeps interleaved streams apart', async () => {
    const other = randomBytes(5 * MiB + 3, 11);
    const a = createStreamCrc(data.byteLength)!;
    const b = createStreamCrc(other.byteLength)!;
    for (let at = 0; at < Math.max(data.byteLength, other.byteLength); at += 300_000) {
      if (at < data.byteLength) await a.update(data.subarray(at, at + 300_000));
      if (at < other.byteLength) await b.update(other.subarray(at, at + 300_000));
    }
    const [da, db] = await Promise.all([a.digest(), b.digest()]);
    expect(da).toBe(expected);
    expect(db).toBe(crc64(other));
  });

  it('an abandoned stream does not disturb the next one', async () => {
    const dropped = createStreamCrc(data.byteLength)!;
    await dropped.update(data.subarray(0, 3 * MiB));
    dropped.abandon!();
    expect(await hashInChunks(data, [65_536])).toBe(expected);
  });
});

describe('through the client', () => {
  let server: LocalServer;
  const body = randomBytes(6 * MiB + 1, 3);
  beforeAll(async () => {
    server = await startLocalServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const client = (): OssClient =>
    new OssClient({ endpoint: server.url, region: 'cn-hangzhou', bucket: 'bkt', credentials: { accessKeyId: 'id', accessKeySecret: 'secret' } });

  function serve(crcHeader: string, cutAt?: number): void {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-length': String(body.byteLength), 'x-oss-hash-crc64ecma': crcHeader });
      if (cutAt === undefined) return void res.end(body);
      res.write(body.subarray(0, cutAt), () => res.socket?.destroy());
    });
  }

  it('accepts a large download whose CRC matches, read as a stream and with bytes()', async () => {
    serve(crc64(body));
    const c = client();
    const { body: stream } = await c.getObject({ key: 'big' });
    expect(await drain(stream)).toBe(body.byteLength);
    expect(Buffer.from(await (await c.getObject({ key: 'big' })).bytes()).equals(body)).toBe(true);
    await c.close();
  });

  it('fails a large download whose CRC header does not match with CrcMismatch', async () => {
    serve('12345');
    const c = client();
    const error = await (await c.getObject({ key: 'big' })).bytes().catch((e: unknown) => e);
    expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
    const streamed = await drain((await c.getObject({ key: 'big' })).body).catch((e: unknown) => e);
    expect(isOssClientError(streamed, 'CrcMismatch')).toBe(true);
    await c.close();
  });

  it('a download cut mid-body fails, and the next one is checked normally', async () => {
    serve(crc64(body), 2 * MiB);
    const c = client();
    const error = await (await c.getObject({ key: 'big' })).bytes().catch((e: unknown) => e);
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
    serve(crc64(body));
    expect((await (await c.getObject({ key: 'big' })).bytes()).byteLength).toBe(body.byteLength);
    await c.close();
  });
});

describe('process lifetime', () => {
  it('an idle hashing worker does not keep Node running (dist build)', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const dist = fileURLToPath(new URL('../../dist/index.node.js', import.meta.url));
    // Hashes a large download in the worker, then simply returns: the process must exit by itself.
    const script = `
      import { createServer } from 'node:http';
      import { OssClient, crc64 } from ${JSON.stringify(dist)};
      const body = new Uint8Array(5 * 1024 * 1024).fill(7);
      const server = createServer((req, res) => { res.writeHead(200, { 'content-length': String(body.length), 'x-oss-hash-crc64ecma': crc64(body) }); res.end(body); });
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const client = new OssClient({ endpoint: 'http://127.0.0.1:' + server.address().port, region: 'cn-hangzhou', bucket: 'bkt', credentials: { accessKeyId: 'id', accessKeySecret: 'secret' } });
      const bytes = await (await client.getObject({ key: 'k' })).bytes();
      await client.close();
      server.close();
      console.log('read', bytes.length);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 20_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out.trim()).toBe(`read ${5 * 1024 * 1024}`);
    expect(code).toBe(0);
  });
});
