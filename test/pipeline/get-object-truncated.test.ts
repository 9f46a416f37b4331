/**
 * A download without Content-Length (chunked) that ends early must fail, not resolve with the bytes
 * received: a range answer is checked against its Content-Range, a whole one by its CRC-64.
 * A string range that ends before it starts is refused before sending.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { isOssClientError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';
import { readRequest, startLocalServer, type LocalServer } from '../transport/local-server.js';

const OBJECT = new Uint8Array(1000).map((_, i) => i % 251);
let server: LocalServer;
let requests = 0;

beforeAll(async () => {
  server = await startLocalServer();
  server.handle(async (req, res) => {
    requests++;
    await readRequest(req);
    const range = /bytes=(\d+)-(\d+)/.exec(String(req.headers['range'] ?? ''));
    // Chunked (no Content-Length), and only half of what is announced.
    if (range) {
      const [start, end] = [Number(range[1]), Number(range[2])];
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${OBJECT.length}`, 'transfer-encoding': 'chunked' });
      res.end(Buffer.from(OBJECT.subarray(start, start + Math.floor((end - start + 1) / 2))));
    } else {
      res.writeHead(200, { 'x-oss-hash-crc64ecma': crc64(OBJECT), 'transfer-encoding': 'chunked' });
      res.end(Buffer.from(OBJECT.subarray(0, 600)));
    }
  });
});
afterAll(async () => {
  await server.close();
});

function client(): OssClient {
  return new OssClient({ endpoint: server.url, region: 'cn-hangzhou', bucket: 'bkt', credentials: { accessKeyId: 'id', accessKeySecret: 'secret' } });
}

describe('downloads that end early', () => {
  it('a range answer without Content-Length shorter than its Content-Range fails', async () => {
    const c = client();
    const out = await c.getObject({ key: 'k', range: { start: 100, end: 299 } });
    const error = await out.bytes().catch((e: unknown) => e);
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
    expect((error as Error).message).toMatch(/100 of the 200 bytes/);
    await c.close();
  });

  it('a string range gets the same check', async () => {
    const c = client();
    const out = await c.getObject({ key: 'k', range: 'bytes=0-9' });
    expect(isOssClientError(await out.text().catch((e: unknown) => e), 'NetworkError')).toBe(true);
    await c.close();
  });

  it('a whole answer without Content-Length that ends early fails its CRC-64 check', async () => {
    const c = client();
    const out = await c.getObject({ key: 'k' });
    expect(isOssClientError(await out.bytes().catch((e: unknown) => e), 'CrcMismatch')).toBe(true);
    await c.close();
  });

  it.each(['bytes=5-1', 'bytes=10-9'])('range %j is refused before sending', async (range) => {
    const c = client();
    const before = requests;
    const error = await c.getObject({ key: 'k', range }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    expect(requests).toBe(before);
    await c.close();
  });
});
