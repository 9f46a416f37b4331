/**
 * Presigned URLs against the emulator, used by plain fetch and curl with no osskit in between; and
 * ali-oss presigned URLs for the same inputs, accepted the same way.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssClient, type Platform } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { presign, type PresignConfig } from '../../src/handoff/presign.js';
import type { Transport } from '../../src/transport/types.js';

const require = createRequire(import.meta.url);
interface AliOss {
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(method: string, expires: number, request?: { headers?: Record<string, string> }, objectName?: string): Promise<string>;
}
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => AliOss;

const BUCKET = 'presign-bucket';
let emu: Emulator;
let config: PresignConfig;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  emu.storage.createBucket({
    name: BUCKET,
    created: new Date(),
    region: emu.region,
    storageClass: 'Standard',
    acl: 'private',
    configs: new Map(),
  });
  config = { endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, credentials: emu.credentials };
});

afterAll(async () => {
  await emu.close();
});

/** The `<Code>` of an OSS XML error body. */
async function codeOf(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

describe.each(['v4', 'v1'] as const)('presigned URLs (%s) used by plain fetch', (version) => {
  const cfg = (): PresignConfig => ({ ...config, signatureVersion: version });

  it('PUT then GET succeed, with the signed Content-Type and metadata sent as returned', async () => {
    const key = `${version}/dir/hello wörld+1.txt`;
    const put = await presign(cfg(), {
      key,
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain', 'x-oss-meta-owner': 'alice' },
    });
    const putResponse = await fetch(put.url, { method: 'PUT', headers: put.headers, body: 'hello from fetch' });
    expect(putResponse.status).toBe(200);
    expect(putResponse.headers.get('etag')).toMatch(/^"[0-9A-F]{32}"$/);

    const get = await presign(cfg(), { key, query: { 'response-content-disposition': 'attachment; filename="h.txt"' } });
    const getResponse = await fetch(get.url);
    expect(getResponse.status).toBe(200);
    expect(await getResponse.text()).toBe('hello from fetch');
    expect(getResponse.headers.get('content-type')).toBe('text/plain');
    expect(getResponse.headers.get('x-oss-meta-owner')).toBe('alice');

    const head = await presign(cfg(), { key, method: 'HEAD' });
    expect((await fetch(head.url, { method: 'HEAD' })).status).toBe(200);
    const del = await presign(cfg(), { key, method: 'DELETE' });
    expect((await fetch(del.url, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(get.url)).status).toBe(404);
  });

  it('works with STS credentials from a provider (token in the URL)', async () => {
    const issued = emu.issueTemporaryCredentials({ durationSeconds: 3600 });
    const sts = async () => issued;
    const put = await presign({ ...cfg(), credentials: sts }, { key: `${version}/sts.txt`, method: 'PUT' });
    const tokenParam = version === 'v4' ? 'x-oss-security-token' : 'security-token';
    expect(new URL(put.url).searchParams.get(tokenParam)).toBe(issued.securityToken);
    expect((await fetch(put.url, { method: 'PUT', body: new Uint8Array([1, 2, 3]) })).status).toBe(200);
    const get = await presign({ ...cfg(), credentials: sts }, { key: `${version}/sts.txt` });
    expect(new Uint8Array(await (await fetch(get.url)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('a long-term key with a security token is refused as OSS does: 403 InvalidAccessKeyId', async () => {
    const withToken = { ...emu.credentials, securityToken: 'CAISmadeup' };
    const get = await presign({ ...cfg(), credentials: withToken }, { key: `${version}/sts.txt` });
    const response = await fetch(get.url);
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(/<Code>([^<]+)<\/Code>/.exec(text)?.[1]).toBe('InvalidAccessKeyId');
    expect(response.headers.get('x-oss-ec')).toBe('0002-00000002');
    expect(text).not.toContain('CAISmadeup');
  });

  it('fails once expired (signed with a clock in the past): 403 AccessDenied', async () => {
    const past = new Date(Date.now() - 2 * 3_600_000);
    const get = await presign({ ...cfg(), now: () => past }, { key: 'anything', expires: 60 });
    const response = await fetch(get.url);
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('AccessDenied');
  });

  it('the Content-Type trap: a signed header that is missing or different gives 403 SignatureDoesNotMatch', async () => {
    const put = await presign(cfg(), {
      key: `${version}/typed.txt`,
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain', 'x-oss-meta-a': '1' },
    });
    const body = new Uint8Array([104, 105]);
    const wrongType = await fetch(put.url, { method: 'PUT', headers: { ...put.headers, 'content-type': 'image/png' }, body });
    expect(wrongType.status).toBe(403);
    expect(await codeOf(wrongType)).toBe('SignatureDoesNotMatch');
    const noType = await fetch(put.url, { method: 'PUT', headers: { 'x-oss-meta-a': '1' }, body });
    expect(noType.status).toBe(403);
    expect(await codeOf(noType)).toBe('SignatureDoesNotMatch');
    const noMeta = await fetch(put.url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body });
    expect(noMeta.status).toBe(403);
    expect(await codeOf(noMeta)).toBe('SignatureDoesNotMatch');
    const right = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
    expect(right.status).toBe(200);
  });

  it('a URL used with another method is refused', async () => {
    const get = await presign(cfg(), { key: `${version}/m.txt` });
    const response = await fetch(get.url, { method: 'PUT', body: 'x' });
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('SignatureDoesNotMatch');
  });
});

describe('ali-oss presigned URLs for the same inputs', () => {
  const port = () => new URL(emu.endpoint).port;

  it('signatureUrlV4: PUT with Content-Type, then GET, accepted by the emulator', async () => {
    const ali = new OSS({ region: `oss-${emu.region}`, endpoint: emu.endpoint, sldEnable: true, bucket: BUCKET, ...emu.credentials });
    const headers = { 'content-type': 'application/json', 'x-oss-meta-from': 'ali' };
    const putUrl = await ali.signatureUrlV4('PUT', 600, { headers }, 'ali/v4 file.json');
    expect((await fetch(putUrl, { method: 'PUT', headers, body: '{"a":1}' })).status).toBe(200);
    const wrong = await fetch(putUrl, { method: 'PUT', headers: { ...headers, 'content-type': 'text/plain' }, body: '{}' });
    expect(await codeOf(wrong)).toBe('SignatureDoesNotMatch');
    const getUrl = await ali.signatureUrlV4('GET', 600, {}, 'ali/v4 file.json');
    expect(await (await fetch(getUrl)).text()).toBe('{"a":1}');
    // And osskit reads what ali-oss wrote, the other way round.
    const ours = await presign(config, { key: 'ali/v4 file.json' });
    expect(await (await fetch(ours.url)).text()).toBe('{"a":1}');
  });

  it('signatureUrl (V1): PUT with Content-Type and STS token, then GET, accepted by the emulator', async () => {
    const sts = emu.issueTemporaryCredentials({ durationSeconds: 3600 });
    // ali-oss refuses an IP endpoint for signatureUrl; localhost with path style reaches the same server.
    const ali = new OSS({
      region: `oss-${emu.region}`,
      endpoint: `http://localhost:${port()}`,
      sldEnable: true,
      bucket: BUCKET,
      accessKeyId: sts.accessKeyId,
      accessKeySecret: sts.accessKeySecret,
      stsToken: sts.securityToken,
      refreshSTSToken: async () => ({ accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, stsToken: sts.securityToken }),
    });
    const putUrl = ali.signatureUrl('ali/v1.txt', { method: 'PUT', expires: 600, 'Content-Type': 'text/plain' });
    expect((await fetch(putUrl, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'v1 body' })).status).toBe(200);
    const getUrl = ali.signatureUrl('ali/v1.txt', { expires: 600 });
    expect(await (await fetch(getUrl)).text()).toBe('v1 body');
    const ours = await presign({ ...config, signatureVersion: 'v1' }, { key: 'ali/v1.txt' });
    expect(await (await fetch(ours.url)).text()).toBe('v1 body');
  });
});

/** Runs curl asynchronously: the emulator lives in this process, so a blocking spawn would deadlock. */
function curl(args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('curl', ['-sS', '--max-time', '20', ...args]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`curl exited with ${code}`))));
    child.stdin.end(input ?? '');
  });
}

describe('curl', () => {
  it.skipIf(!existsSync('/usr/bin/curl'))('uploads and downloads with one presigned URL each', async () => {
    const put = await presign(config, { key: 'curl/x.txt', method: 'PUT', headers: { 'content-type': 'text/plain' } });
    const headerArgs = Object.entries(put.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const status = await curl(['-o', '/dev/null', '-w', '%{http_code}', '-X', 'PUT', ...headerArgs, '--data-binary', '@-', put.url], 'sent by curl');
    expect(status).toBe('200');
    const get = await presign(config, { key: 'curl/x.txt' });
    expect(await curl([get.url])).toBe('sent by curl');
  });
});

describe('client.presign', () => {
  it('uses the client configuration and never touches the transport', async () => {
    const exploding: Transport = {
      send: () => {
        throw new Error('presign must not use the transport');
      },
    };
    const platform: Platform = { createTransport: () => exploding, contentTypeFor: () => undefined };
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, credentials: emu.credentials }, platform);
    const put = await client.presign({ key: 'client/p.txt', method: 'PUT', expires: 120 });
    expect(put.url.startsWith(`${emu.endpoint}/${BUCKET}/client/p.txt?`)).toBe(true);
    // A string body makes fetch add `Content-Type: text/plain;charset=UTF-8`, which V4 signs: the trap again.
    expect((await fetch(put.url, { method: 'PUT', body: 'via client.presign' })).status).toBe(403);
    const bytes = new TextEncoder().encode('via client.presign');
    expect((await fetch(put.url, { method: 'PUT', body: bytes })).status).toBe(200);
    const v1 = new OssClient({ endpoint: emu.endpoint, bucket: BUCKET, credentials: emu.credentials, signatureVersion: 'v1' }, platform);
    const get = await v1.presign({ key: 'client/p.txt' });
    expect(new URL(get.url).searchParams.has('OSSAccessKeyId')).toBe(true);
    expect(await (await fetch(get.url)).text()).toBe('via client.presign');
  });
});
