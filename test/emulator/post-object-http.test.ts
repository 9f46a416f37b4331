/** PostObject over HTTP: browser-style forms signed with the osskit post-policy signer. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCallbackFormFields } from '../../src/handoff/callback.js';
import { crc64 } from '../../src/integrity/crc64.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { childText, parseXml } from '../../src/emulator/xml.js';
import { signPostPolicy } from '../../src/signer/post-policy.js';
import { signV4 } from '../../src/signer/v4.js';
import { verifyCallback } from '../../src/handoff/verify-callback.node.js';

let emu: Emulator;
let app: Server;
let appUrl: string;

async function signedFetch(method: string, bucket: string, key?: string): Promise<Response> {
  const added = signV4({ method, bucket, key, query: {}, headers: {} }, emu.credentials, { now: new Date(), region: emu.region });
  return fetch(`${emu.endpoint}/${bucket}/${key ?? ''}`, { method, headers: added });
}

function policyFields(version: 'v1' | 'v4', conditions: unknown[]): Record<string, string> {
  return signPostPolicy({ expiration: new Date(Date.now() + 600_000), conditions }, emu.credentials, {
    version,
    now: new Date(),
    region: emu.region,
  });
}

function postForm(bucket: string, fields: Record<string, string>, file: string, filename = 'photo.txt'): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([file], { type: 'text/plain' }), filename);
  // Anonymous at the HTTP level: the form signs itself.
  return fetch(`${emu.endpoint}/${bucket}`, { method: 'POST', body: form });
}

beforeAll(async () => {
  emu = await startEmulator();
  expect((await signedFetch('PUT', 'forms')).status).toBe(200);
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      const verified = await verifyCallback({ url: req.url!, headers: req.headers, body }, { trustedKeyUrlPrefixes: [`${emu.endpoint}/`] });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ verified, body }));
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => app.close(() => resolve()));
  await emu.close();
});

describe('PostObject over HTTP', () => {
  for (const version of ['v1', 'v4'] as const) {
    it(`stores a ${version} form upload and answers 201 PostResponse`, async () => {
      const fields = { key: `uploads/${version}/\${filename}`, success_action_status: '201', ...policyFields(version, [['starts-with', '$key', 'uploads/']]) };
      const res = await postForm('forms', fields, `hello ${version}`);
      expect(res.status).toBe(201);
      const root = parseXml(await res.text())!.PostResponse;
      expect(childText(root, 'Key')).toBe(`uploads/${version}/photo.txt`);
      expect(res.headers.get('x-oss-hash-crc64ecma')).toBe(crc64(new TextEncoder().encode(`hello ${version}`)));
      const get = await signedFetch('GET', 'forms', `uploads/${version}/photo.txt`);
      expect(await get.text()).toBe(`hello ${version}`);
      expect(get.headers.get('content-type')).toBe('text/plain');
    });
  }

  it('refuses a tampered form with SignatureDoesNotMatch and a key outside the prefix with AccessDenied', async () => {
    const fields = policyFields('v4', [['starts-with', '$key', 'uploads/']]);
    const tampered = await postForm('forms', { key: 'uploads/t.txt', ...fields, 'x-oss-signature': '0'.repeat(64) }, 'x');
    expect(tampered.status).toBe(403);
    expect(childText(parseXml(await tampered.text())!.Error, 'Code')).toBe('SignatureDoesNotMatch');
    const outside = await postForm('forms', { key: 'private/t.txt', ...fields }, 'x');
    expect(outside.status).toBe(403);
    expect(childText(parseXml(await outside.text())!.Error, 'Code')).toBe('AccessDenied');
    const anonymous = await postForm('forms', { key: 'uploads/anon.txt' }, 'x');
    expect(anonymous.status).toBe(403);
  });

  it('runs the form callback with x: variables and returns the application JSON', async () => {
    const cbFields = encodeCallbackFormFields({ url: `${appUrl}/post`, body: 'object=${object}&who=${x:who}&mime=${mimeType}', vars: { 'x:who': 'form user' } });
    const fields = { key: 'cb/form.txt', ...policyFields('v4', [['content-length-range', 1, 1000]]), ...cbFields };
    const res = await postForm('forms', fields, 'with callback');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ verified: true, body: 'object=cb%2Fform.txt&who=form%20user&mime=text%2Fplain' });
  });
});
