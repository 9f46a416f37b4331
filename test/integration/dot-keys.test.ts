/**
 * Keys OSS stores although URL parsers like to rewrite them: `.`, `..`, `a/../b`, `./x`, `x/.`.
 * Header-signed calls and presigned URLs (V1 and V4) must reach exactly that key, and the emulator
 * must store and serve it. Keys OSS refuses (leading `/` or `\`) and keys with no UTF-8 form (a
 * lone surrogate) are refused before sending.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPath } from '../../src/pipeline/endpoint.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isOssClientError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';
import { createFetchTransport } from '../../src/transport/fetch.js';

const DOT_KEYS = ['.', '..', 'a/../b', './x', 'x/.', 'a/./b', '...', '../..', 'dir/..'];

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});

/** Sends a presigned URL with node:http, whose path is sent exactly as written (no dot-segment resolution). */
function sendRaw(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const parsed = url.match(/^http:\/\/([^/]+)(\/.*)$/)!;
  const [host, port] = parsed[1]!.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method, path: parsed[2], headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const HAS_CURL = spawnSync('curl', ['--version']).status === 0;

/** curl resolves literal `.`/`..` segments (RFC 3986 remove_dot_segments), as most HTTP clients do. */
async function curl(url: string, method: string, headers: Record<string, string>, body?: string): Promise<string> {
  const args = ['-s', '-X', method, '-w', '\n%{http_code}', ...Object.entries(headers).flatMap(([n, v]) => ['-H', `${n}: ${v}`])];
  if (body !== undefined) args.push('--data-binary', body);
  // Not execFileSync: the emulator answering curl runs in this process.
  return (await promisify(execFile)('curl', [...args, url], { encoding: 'utf8' })).stdout;
}

describe('keyPath', () => {
  it('writes dot segments as %2E and encodes the rest RFC 3986 style', () => {
    expect(keyPath('a/../b')).toBe('a/%2E%2E/b');
    expect(keyPath('./x')).toBe('%2E/x');
    expect(keyPath('x/.')).toBe('x/%2E');
    expect(keyPath('...')).toBe('...');
    expect(keyPath('a b/.c')).toBe('a%20b/.c');
  });
});

describe.each(['v4', 'v1'] as const)('dot-segment keys with %s signatures', (signatureVersion) => {
  const bucket = `dots-${signatureVersion}`;
  let client: OssClient;
  beforeAll(async () => {
    client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket, signatureVersion });
    await client.putBucket({});
  });
  afterAll(async () => {
    await client.close();
  });

  it('put, head, get, list and delete reach exactly the key', async () => {
    for (const key of DOT_KEYS) await client.putObject({ key, body: `body of ${key}` });
    const listed = (await client.listObjectsV2({})).contents.map((o) => o.key).sort();
    expect(listed).toEqual([...DOT_KEYS].sort());
    for (const key of DOT_KEYS) {
      expect((await client.headObject({ key })).contentLength).toBe(`body of ${key}`.length);
      expect(await (await client.getObject({ key })).text()).toBe(`body of ${key}`);
    }
    for (const key of DOT_KEYS) await client.deleteObject({ key });
    expect((await client.listObjectsV2({})).contents).toEqual([]);
  });

  it('presigned PUT and GET URLs reach exactly the key', async () => {
    for (const key of DOT_KEYS) {
      const put = await client.presign({ key, method: 'PUT', headers: { 'Content-Type': 'text/plain' } });
      expect((await sendRaw(put.url, 'PUT', put.headers, `presigned ${key}`)).status).toBe(200);
      const get = await client.presign({ key });
      expect(await sendRaw(get.url, 'GET', get.headers)).toEqual({ status: 200, text: `presigned ${key}` });
    }
    const listed = (await client.listObjectsV2({})).contents.map((o) => o.key).sort();
    expect(listed).toEqual([...DOT_KEYS].sort());
  });

  it.skipIf(!HAS_CURL)('presigned URLs work with curl, which resolves literal dot segments', async () => {
    for (const key of ['..', 'a/../b', 'x/.']) {
      const put = await client.presign({ key, method: 'PUT', headers: { 'Content-Type': 'text/plain' } });
      expect((await curl(put.url, 'PUT', put.headers, `curl ${key}`)).endsWith('200')).toBe(true);
      const get = await client.presign({ key });
      expect(await curl(get.url, 'GET', get.headers)).toBe(`curl ${key}\n200`);
    }
  });

  it('the fetch transport, whose URL parser would resolve the segments, refuses such keys', async () => {
    const viaFetch = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket, signatureVersion, transport: createFetchTransport() });
    const error = await viaFetch.getObject({ key: 'a/../b' }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    await viaFetch.putObject({ key: 'a/.../b', body: 'fine' });
    expect(await (await viaFetch.getObject({ key: 'a/.../b' })).text()).toBe('fine');
  });
});

describe('keys refused before sending', () => {
  it.each(['/lead', '\\lead', 'x\ud800', '\udc00y'])('%j is InvalidArgument for calls and presigned URLs', async (key) => {
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'dots-v4' });
    for (const attempt of [client.putObject({ key, body: 'x' }), client.getObject({ key }), client.presign({ key })]) {
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    }
    await client.close();
  });
});
