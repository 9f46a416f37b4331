/**
 * PutObject with an upload callback (src/emulator/handlers/object.ts → callbacks.ts): 200 with the
 * application's answer, 203 CallbackFailed with the object kept, 400 for a malformed callback.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createBucket, putObject, send, xmlText } from './helpers.js';

let emu: Emulator;
let app: Server;
let appUrl = '';
const received: { path: string; body: string; headers: Record<string, unknown> }[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  await createBucket(emu, 'cb-bucket');
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString(), headers: req.headers });
      if (req.url?.startsWith('/fail')) {
        res.writeHead(500).end('no');
        return;
      }
      const answer = JSON.stringify({ ok: true });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.length) }).end(answer);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await emu.close();
  await new Promise((resolve) => app.close(resolve));
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

test('a successful callback answers 200 with the application body', async () => {
  const res = await putObject(emu, 'cb-bucket', 'photo 1.jpg', 'image bytes', {
    'content-type': 'image/jpeg',
    'x-oss-callback': b64({
      callbackUrl: `${appUrl}/ok`,
      callbackBody: 'bucket=${bucket}&object=${object}&size=${size}&mimeType=${mimeType}&v=${x:v}',
    }),
    'x-oss-callback-var': b64({ 'x:v': 'hello' }),
  });
  expect(res.status).toBe(200);
  expect(JSON.parse(res.text)).toEqual({ ok: true });
  expect(res.headers['etag']).toMatch(/^"[0-9A-F]{32}"$/);
  const call = received.at(-1)!;
  expect(call.path).toBe('/ok');
  expect(call.body).toContain('bucket=cb-bucket');
  expect(call.body).toContain('size=11');
  expect(call.body).toContain('v=hello');
  expect(call.headers['authorization']).toBeTruthy();
});

test('a failed callback answers 203 CallbackFailed and keeps the object', async () => {
  const res = await putObject(emu, 'cb-bucket', 'kept.txt', 'still here', {
    'x-oss-callback': b64({ callbackUrl: `${appUrl}/fail`, callbackBody: 'object=${object}' }),
  });
  expect(res.status).toBe(203);
  expect(xmlText(res.text, 'Code')).toBe('CallbackFailed');
  expect(xmlText(res.text, 'EC')).toBe('0007-00000203');
  expect((await send(emu, { bucket: 'cb-bucket', key: 'kept.txt' })).text).toBe('still here');
});

test('a callback that is not base64 JSON is a 400 and nothing is stored', async () => {
  const res = await putObject(emu, 'cb-bucket', 'refused.txt', 'x', { 'x-oss-callback': 'not json at all' });
  expect(res.status).toBe(400);
  expect(xmlText(res.text, 'Code')).toBe('InvalidArgument');
  expect((await send(emu, { bucket: 'cb-bucket', key: 'refused.txt' })).status).toBe(404);
});

test('callback in both header and query is a 400', async () => {
  const cb = b64({ callbackUrl: `${appUrl}/ok`, callbackBody: 'a=b' });
  const res = await send(emu, { method: 'PUT', bucket: 'cb-bucket', key: 'both.txt', body: 'x', query: { callback: cb }, headers: { 'x-oss-callback': cb } });
  expect(res.status).toBe(400);
});

test('the callback public key is served without authentication', async () => {
  const res = await send(emu, { rawPath: '/__osskit/callback_pub_key.pem', sign: 'none' });
  expect(res.status).toBe(200);
  expect(res.text).toContain('-----BEGIN PUBLIC KEY-----');
});
