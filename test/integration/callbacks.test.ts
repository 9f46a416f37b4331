/**
 * Upload callbacks end to end through the osskit client (issue 3, "Upload callbacks"): the emulator
 * calls a local application server that checks the call with verifyCallback and answers JSON; the
 * client returns that JSON as `callbackResult`. A failing application server gives HTTP 203, which
 * every entry point (putObject, completeMultipartUpload, upload, presigned PUT, postObject) must turn
 * into `OssError('CallbackFailed')` — the object is stored all the same.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallbackInput } from '../../src/handoff/callback.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isOssError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';
import { verifyCallback } from '../../src/handoff/verify-callback.node.js';

const BUCKET = 'cb-client';
let emu: Emulator;
let app: Server;
let appUrl: string;
let client: OssClient;
/** What the application server saw: whether the call verified, and its body. */
const calls: { path: string; verified: boolean; body: string }[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      // The emulator serves its own key; it is trusted explicitly (the default trusts only OSS's host).
      const verified = await verifyCallback(
        { url: req.url!, headers: req.headers, body },
        { trustedKeyUrlPrefixes: [`${emu.endpoint}/`] },
      );
      calls.push({ path: req.url!, verified, body });
      if (!verified || req.url!.startsWith('/fail')) {
        res.writeHead(500).end('refused');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ verified, body }));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET });
  await client.putBucket({});
});

afterAll(async () => {
  await client.close();
  await new Promise<void>((resolve) => app.close(() => resolve()));
  await emu.close();
});

const ok = (path: string): CallbackInput => ({
  url: `${appUrl}${path}`,
  body: 'object=${object}&size=${size}&who=${x:who}',
  vars: { 'x:who': 'ann' },
});
const failing = (): CallbackInput => ({ url: `${appUrl}/fail`, body: 'object=${object}' });

async function stored(key: string): Promise<string> {
  return (await client.getObject({ key })).text();
}

async function callbackFailure(run: Promise<unknown>): Promise<{ code: string; status: number }> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOssError(error)).toBe(true);
  return { code: (error as { code: string }).code, status: (error as { status: number }).status };
}

describe('callbacks through the client, verified by the application server', () => {
  it('putObject returns the verified JSON answer as callbackResult', async () => {
    calls.length = 0;
    const out = await client.putObject({ key: 'cb/put.txt', body: 'hello', callback: ok('/put') });
    expect(out.callbackResult).toEqual({ verified: true, body: 'object=cb%2Fput.txt&size=5&who=ann' });
    expect(out.etag).toMatch(/^"[0-9A-F]{32}"$/);
    expect(calls).toEqual([{ path: '/put', verified: true, body: 'object=cb%2Fput.txt&size=5&who=ann' }]);
  });

  it('a multipart upload() returns the verified JSON answer of CompleteMultipartUpload', async () => {
    calls.length = 0;
    const data = new Uint8Array(250 * 1024).map((_, i) => i % 251);
    const out = await client.upload({ key: 'cb/multi.bin', body: data, partSize: 100 * 1024, callback: ok('/multi') });
    expect(out.uploadId).toBeDefined();
    expect(out.callbackResult).toEqual({ verified: true, body: `object=cb%2Fmulti.bin&size=${data.byteLength}&who=ann` });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.verified).toBe(true);
  });
});

describe('HTTP 203: the object is stored, the callback failed → OssError CallbackFailed', () => {
  it('putObject', async () => {
    expect(await callbackFailure(client.putObject({ key: 'cb/put-fail.txt', body: 'kept', callback: failing() }))).toEqual({
      code: 'CallbackFailed',
      status: 203,
    });
    expect(await stored('cb/put-fail.txt')).toBe('kept');
  });

  it('completeMultipartUpload', async () => {
    const { uploadId } = await client.initiateMultipartUpload({ key: 'cb/complete-fail.bin' });
    const { etag } = await client.uploadPart({ key: 'cb/complete-fail.bin', uploadId, partNumber: 1, body: 'one part' });
    const run = client.completeMultipartUpload({
      key: 'cb/complete-fail.bin',
      uploadId,
      parts: [{ partNumber: 1, etag }],
      callback: failing(),
    });
    expect(await callbackFailure(run)).toEqual({ code: 'CallbackFailed', status: 203 });
    expect(await stored('cb/complete-fail.bin')).toBe('one part');
  });

  it('upload() in parts', async () => {
    const data = new Uint8Array(200 * 1024 + 3).fill(9);
    const run = client.upload({ key: 'cb/upload-fail.bin', body: data, partSize: 100 * 1024, callback: failing() });
    expect(await callbackFailure(run)).toEqual({ code: 'CallbackFailed', status: 203 });
    expect((await client.headObject({ key: 'cb/upload-fail.bin' })).contentLength).toBe(data.byteLength);
  });

  it('a presigned PUT with a signed-in callback (the returned headers carry it)', async () => {
    calls.length = 0;
    const signed = await client.presign({ key: 'cb/presigned.txt', method: 'PUT', callback: ok('/presigned') });
    const answer = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: new TextEncoder().encode('via url') });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ verified: true, body: 'object=cb%2Fpresigned.txt&size=7&who=ann' });
    const failed = await client.presign({ key: 'cb/presigned-fail.txt', method: 'PUT', callback: failing() });
    expect((await fetch(failed.url, { method: 'PUT', headers: failed.headers, body: new TextEncoder().encode('kept') })).status).toBe(203);
    expect(await stored('cb/presigned-fail.txt')).toBe('kept');
  });

  it('postObject (a form whose policy carries the callback)', async () => {
    const run = client.postObject({ key: 'cb/form-fail.txt', file: 'form body', policy: { callback: failing() } });
    expect(await callbackFailure(run)).toEqual({ code: 'CallbackFailed', status: 203 });
    expect(await stored('cb/form-fail.txt')).toBe('form body');
  });

  it('postObject with a working callback returns the verified JSON', async () => {
    const out = await client.postObject({ key: 'cb/form.txt', file: 'form body', policy: { callback: ok('/form') } });
    expect(out.callbackResult).toEqual({ verified: true, body: 'object=cb%2Fform.txt&size=9&who=ann' });
  });
});
