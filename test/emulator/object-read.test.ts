/**
 * GetObject reads (src/emulator/handlers/object-read.ts): ranges, conditional requests and
 * response-* overrides, through the server.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { parseRange } from '../../src/emulator/handlers/object-read.js';
import { createBucket, putObject, send, xmlText } from './helpers.js';

let emu: Emulator;
const B = 'reads';
const BODY = '0123456789abcdefghij'; // 20 bytes
let etag = '';
let lastModified = '';

beforeAll(async () => {
  emu = await startEmulator();
  await createBucket(emu, B);
  const put = await putObject(emu, B, 'r.txt', BODY, { 'content-type': 'text/plain' });
  etag = put.headers['etag']!;
  lastModified = (await send(emu, { method: 'HEAD', bucket: B, key: 'r.txt' })).headers['last-modified']!;
});
afterAll(async () => {
  await emu.close();
});

const get = (headers: Record<string, string>, query: Record<string, string> = {}) =>
  send(emu, { bucket: B, key: 'r.txt', headers, query });

describe('Range', () => {
  test.each([
    ['bytes=0-4', '01234', 'bytes 0-4/20'],
    ['bytes=5-9', '56789', 'bytes 5-9/20'],
    ['bytes=15-', 'fghij', 'bytes 15-19/20'],
    ['bytes=-3', 'hij', 'bytes 17-19/20'],
    ['bytes=19-19', 'j', 'bytes 19-19/20'],
    ['bytes=0-1,5-6', '01', 'bytes 0-1/20'],
  ])('%s → 206 %s', async (range, body, contentRange) => {
    const res = await get({ range });
    expect(res.status).toBe(206);
    expect(res.text).toBe(body);
    expect(res.headers['content-range']).toBe(contentRange);
    expect(res.headers['content-length']).toBe(String(body.length));
    // CRC-64 describes the whole object, so a part carries none.
    expect(res.headers['x-oss-hash-crc64ecma']).toBeUndefined();
  });

  test.each(['bytes=0-20', 'bytes=20-30', 'bytes=25-', 'bytes=-30', 'bytes=5-2', 'byte=0-4', 'bytes=abc'])(
    'unsatisfiable or malformed %s → the whole object with 200',
    async (range) => {
      const res = await get({ range });
      expect(res.status).toBe(200);
      expect(res.text).toBe(BODY);
      expect(res.headers['content-range']).toBeUndefined();
      expect(res.headers['x-oss-hash-crc64ecma']).toBeTruthy();
    },
  );

  test('x-oss-range-behavior: standard clamps the end and refuses a start past the end with 416', async () => {
    const clamped = await get({ range: 'bytes=15-100', 'x-oss-range-behavior': 'standard' });
    expect(clamped.status).toBe(206);
    expect(clamped.text).toBe('fghij');
    const refused = await get({ range: 'bytes=20-30', 'x-oss-range-behavior': 'standard' });
    expect(refused.status).toBe(416);
    expect(xmlText(refused.text, 'Code')).toBe('InvalidRange');
  });

  test('parseRange unit cases', () => {
    expect(parseRange(undefined, 10, false)).toBeUndefined();
    expect(parseRange('bytes=-0', 10, false)).toBeUndefined();
    expect(parseRange('bytes=0-', 0, false)).toBeUndefined();
    expect(parseRange('bytes=2-', 10, false)).toEqual({ start: 2, end: 9 });
    expect(() => parseRange('bytes=10-', 10, true)).toThrow();
  });
});

describe('conditional GET', () => {
  const past = 'Mon, 01 Jan 2001 00:00:00 GMT';
  const future = 'Fri, 01 Jan 2100 00:00:00 GMT';

  test('If-Match: 200 on match (quotes optional), 412 otherwise', async () => {
    expect((await get({ 'if-match': etag })).status).toBe(200);
    expect((await get({ 'if-match': etag.replace(/"/g, '').toLowerCase() })).status).toBe(200);
    const failed = await get({ 'if-match': '"DEADBEEF"' });
    expect(failed.status).toBe(412);
    expect(xmlText(failed.text, 'Code')).toBe('PreconditionFailed');
  });

  test('If-None-Match: 304 without a body on match', async () => {
    const res = await get({ 'if-none-match': etag });
    expect(res.status).toBe(304);
    expect(res.body.length).toBe(0);
    expect(res.headers['etag']).toBe(etag);
    expect((await get({ 'if-none-match': '"DEADBEEF"' })).status).toBe(200);
  });

  test('If-Modified-Since and If-Unmodified-Since', async () => {
    expect((await get({ 'if-modified-since': future })).status).toBe(304);
    expect((await get({ 'if-modified-since': lastModified })).status).toBe(304);
    expect((await get({ 'if-modified-since': past })).status).toBe(200);
    expect((await get({ 'if-unmodified-since': past })).status).toBe(412);
    expect((await get({ 'if-unmodified-since': lastModified })).status).toBe(200);
  });

  test('If-Match takes precedence over If-Unmodified-Since; If-None-Match over If-Modified-Since', async () => {
    expect((await get({ 'if-match': etag, 'if-unmodified-since': past })).status).toBe(200);
    expect((await get({ 'if-none-match': '"OTHER"', 'if-modified-since': future })).status).toBe(200);
  });
});

test('response-* query parameters override the answer headers', async () => {
  const res = await get(
    {},
    {
      'response-content-type': 'application/x-test',
      'response-content-disposition': 'attachment; filename="r.txt"',
      'response-cache-control': 'max-age=60',
      'response-content-language': 'fr',
      'response-expires': 'Fri, 01 Jan 2100 00:00:00 GMT',
      'response-content-encoding': 'identity',
    },
  );
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/x-test');
  expect(res.headers['content-disposition']).toBe('attachment; filename="r.txt"');
  expect(res.headers['cache-control']).toBe('max-age=60');
  expect(res.headers['content-language']).toBe('fr');
  expect(res.headers['expires']).toBe('Fri, 01 Jan 2100 00:00:00 GMT');
  expect(res.headers['content-encoding']).toBe('identity');
  expect(res.text).toBe(BODY);
});
