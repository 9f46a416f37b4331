/**
 * Upload callbacks end to end over HTTP: the emulator POSTs to a local application server that
 * verifies the signature with verifyCallback (fetching the emulator's key) and answers JSON; the JSON
 * comes back in the client's response. A failing application gives 203 CallbackFailed, object kept.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackFailedError, encodeCallback, parseCallbackResult } from '../../src/handoff/callback.js';
import { crc64 } from '../../src/integrity/crc64.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { childText, parseXml } from '../../src/emulator/xml.js';
import { signV4 } from '../../src/signer/v4.js';
import { verifyCallback } from '../../src/handoff/verify-callback.node.js';

let emu: Emulator;
let app: Server;
let appUrl: string;
let appStatus = 200;
const seen: { url: string; body: string; verified: boolean; untrusted: boolean; tampered: boolean }[] = [];

async function send(method: string, bucket: string, key: string | undefined, init: { query?: Record<string, string>; headers?: Record<string, string>; body?: Uint8Array } = {}): Promise<Response> {
  const query = init.query ?? {};
  const headers = init.headers ?? {};
  const added = signV4({ method, bucket, key, query, headers }, emu.credentials, { now: new Date(), region: emu.region });
  const path = `/${bucket}/${key === undefined ? '' : key.split('/').map(encodeURIComponent).join('/')}`;
  const qs = Object.entries(query)
    .map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&');
  return fetch(`${emu.endpoint}${path}${qs ? `?${qs}` : ''}`, { method, headers: { ...headers, ...added }, body: init.body as BodyInit | undefined });
}

beforeAll(async () => {
  emu = await startEmulator();
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      const request = { url: req.url!, headers: req.headers, body };
      // The emulator's key URL is not under OSS's default prefixes, so it must be trusted explicitly.
      const trusted = { trustedKeyUrlPrefixes: [`${emu.endpoint}/`] };
      const verified = await verifyCallback(request, trusted);
      const untrusted = await verifyCallback(request);
      const tampered = await verifyCallback({ ...request, body: `${body}&evil=1` }, trusted);
      seen.push({ url: req.url!, body, verified, untrusted, tampered });
      res.writeHead(appStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ verified, body }));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  expect((await send('PUT', 'cbk', undefined)).status).toBe(200);
});

afterAll(async () => {
  await new Promise<void>((resolve) => app.close(() => resolve()));
  await emu.close();
});

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('PutObject with a callback', () => {
  it('returns the application JSON, signed so that verifyCallback accepts it', async () => {
    seen.length = 0;
    appStatus = 200;
    const cb = encodeCallback({ url: `${appUrl}/put?src=1`, body: 'bucket=${bucket}&object=${object}&size=${size}&etag=${etag}&u=${x:user}', vars: { 'x:user': 'ann' } });
    const data = enc('callback payload');
    const res = await send('PUT', 'cbk', 'docs/cb.txt', { headers: cb, body: data });
    expect(res.status).toBe(200);
    const result = parseCallbackResult(new Uint8Array(await res.arrayBuffer()), res.headers.get('content-type') ?? undefined) as { verified: boolean; body: string };
    expect(result.verified).toBe(true);
    const etag = res.headers.get('etag')!.replace(/"/g, '');
    expect(result.body).toBe(`bucket=cbk&object=docs%2Fcb.txt&size=${data.length}&etag=${etag}&u=ann`);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ url: '/put?src=1', verified: true, untrusted: false, tampered: false });
  });

  it('answers 203 CallbackFailed when the application fails, and keeps the object', async () => {
    appStatus = 500;
    const cb = encodeCallback({ url: `${appUrl}/fail`, body: 'o=${object}' });
    const res = await send('PUT', 'cbk', 'kept.txt', { headers: cb, body: enc('still stored') });
    expect(res.status).toBe(203);
    const root = parseXml(await res.text())!.Error;
    expect(childText(root, 'Code')).toBe('CallbackFailed');
    expect(childText(root, 'Message')).toBe('Error status : 500.');
    const err = callbackFailedError({ message: childText(root, 'Message'), requestId: res.headers.get('x-oss-request-id') ?? '' });
    expect(err.code).toBe('CallbackFailed');
    const get = await send('GET', 'cbk', 'kept.txt');
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('still stored');
  });
});

describe('CompleteMultipartUpload with a callback', () => {
  async function multipart(key: string, callback: Record<string, string>, query: Record<string, string> = {}): Promise<{ res: Response; data: Uint8Array }> {
    const init = await send('POST', 'cbk', key, { query: { uploads: '' } });
    const uploadId = childText(parseXml(await init.text())!.InitiateMultipartUploadResult, 'UploadId')!;
    const parts = [new Uint8Array(100 * 1024).fill(7), enc('tail')];
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const up = await send('PUT', 'cbk', key, { query: { partNumber: String(i + 1), uploadId }, body: part });
      etags.push(up.headers.get('etag')!);
    }
    const xml = `<CompleteMultipartUpload>${etags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const res = await send('POST', 'cbk', key, { query: { uploadId, ...query }, headers: callback, body: enc(xml) });
    const data = new Uint8Array(parts[0]!.length + parts[1]!.length);
    data.set(parts[0]!);
    data.set(parts[1]!, parts[0]!.length);
    return { res, data };
  }

  it('returns the application JSON with the object facts, callback in the header', async () => {
    seen.length = 0;
    appStatus = 200;
    const cb = encodeCallback({ url: `${appUrl}/complete`, body: '{"object":${object},"size":${size},"tag":"${x:tag}"}', bodyType: 'application/json', vars: { 'x:tag': 'multi' } });
    const { res, data } = await multipart('mp/cb.bin', cb);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-oss-hash-crc64ecma')).toBe(crc64(data));
    const result = (await res.json()) as { verified: boolean; body: string };
    expect(result.verified).toBe(true);
    expect(JSON.parse(result.body)).toEqual({ object: 'mp/cb.bin', size: data.length, tag: 'multi' });
    expect(seen[0]).toMatchObject({ url: '/complete', verified: true, untrusted: false, tampered: false });
  });

  it('takes the callback from the query too, and answers 203 when the application fails', async () => {
    appStatus = 502;
    const cb = encodeCallback({ url: `${appUrl}/complete-fail`, body: 'o=${object}' });
    const { res, data } = await multipart('mp/fail.bin', {}, { callback: cb['x-oss-callback'] });
    expect(res.status).toBe(203);
    expect(childText(parseXml(await res.text())!.Error, 'Code')).toBe('CallbackFailed');
    const get = await send('GET', 'cbk', 'mp/fail.bin');
    expect(get.status).toBe(200);
    expect(new Uint8Array(await get.arrayBuffer())).toEqual(data);
  });
});
