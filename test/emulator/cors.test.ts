/**
 * CORS (src/emulator/cors.ts): preflight via OptionObject and headers on actual answers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { matchCorsRule, parseCorsRules } from '../../src/emulator/cors.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createBucket, putObject, send, xmlText } from './helpers.js';

let emu: Emulator;
const B = 'cors-bucket';
const RULES = `<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>http://*.example.com</AllowedOrigin>
    <AllowedOrigin>http://app.test:3000</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>x-oss-*</AllowedHeader>
    <AllowedHeader>Content-Type</AllowedHeader>
    <AllowedHeader>authorization</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>x-oss-request-id</ExposeHeader>
    <MaxAgeSeconds>600</MaxAgeSeconds>
  </CORSRule>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>HEAD</AllowedMethod>
  </CORSRule>
</CORSConfiguration>`;

beforeAll(async () => {
  emu = await startEmulator();
  await createBucket(emu, B);
  await createBucket(emu, 'no-cors');
  await putObject(emu, B, 'file.txt', 'cors body');
});
afterAll(async () => {
  await emu.close();
});

const preflight = (bucket: string, headers: Record<string, string>) =>
  send(emu, { method: 'OPTIONS', bucket, key: 'file.txt', headers, sign: 'none' });

describe('before any rule exists', () => {
  test('preflight: 403 AccessForbidden "CORS is not enabled"', async () => {
    const res = await preflight('no-cors', { origin: 'http://a.example.com', 'access-control-request-method': 'GET' });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('AccessForbidden');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('with rules', () => {
  beforeAll(async () => {
    expect((await send(emu, { method: 'PUT', bucket: B, query: { cors: '' }, body: RULES })).status).toBe(200);
  });

  test('a matching preflight: 200 with the allow headers', async () => {
    const res = await preflight(B, {
      origin: 'http://www.example.com',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'x-oss-date, content-type, Authorization',
    });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://www.example.com');
    expect(res.headers['access-control-allow-methods']).toBe('GET, PUT');
    expect(res.headers['access-control-allow-headers']).toBe('x-oss-date, content-type, Authorization');
    expect(res.headers['access-control-expose-headers']).toBe('ETag, x-oss-request-id');
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
  });

  test.each([
    ['an unknown origin', { origin: 'http://evil.test', 'access-control-request-method': 'GET' }],
    ['a method not allowed', { origin: 'http://www.example.com', 'access-control-request-method': 'DELETE' }],
    ['a header not allowed', { origin: 'http://www.example.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-custom' }],
  ])('%s: 403 AccessForbidden', async (_name, headers) => {
    const res = await preflight(B, headers);
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('AccessForbidden');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('the wildcard rule allows any origin for HEAD', async () => {
    const res = await preflight(B, { origin: 'http://anything.test', 'access-control-request-method': 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-methods']).toBe('HEAD');
  });

  test('actual answers to a matching Origin carry Allow-Origin, Expose-Headers and Vary', async () => {
    const res = await send(emu, { bucket: B, key: 'file.txt', headers: { origin: 'http://app.test:3000' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('http://app.test:3000');
    expect(res.headers['access-control-expose-headers']).toBe('ETag, x-oss-request-id');
    expect(res.headers['vary']).toBe('Origin');
  });

  test('errors carry the CORS headers too, so a browser can read them', async () => {
    const res = await send(emu, { bucket: B, key: 'missing.txt', headers: { origin: 'http://app.test:3000' } });
    expect(res.status).toBe(404);
    expect(res.headers['access-control-allow-origin']).toBe('http://app.test:3000');
    const denied = await send(emu, { bucket: B, key: 'file.txt', headers: { origin: 'http://app.test:3000' }, sign: 'none' });
    expect(denied.status).toBe(403);
    expect(denied.headers['access-control-allow-origin']).toBe('http://app.test:3000');
  });

  test('a non-matching Origin gets no Allow-Origin', async () => {
    const res = await send(emu, { bucket: B, key: 'file.txt', headers: { origin: 'http://evil.test' } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('deleting the rules turns CORS off again', async () => {
    await send(emu, { method: 'DELETE', bucket: B, query: { cors: '' } });
    const res = await preflight(B, { origin: 'http://www.example.com', 'access-control-request-method': 'GET' });
    expect(res.status).toBe(403);
  });
});

test('rule parsing and matching', () => {
  const rules = parseCorsRules(RULES);
  expect(rules).toHaveLength(2);
  expect(rules[0]!.allowedMethods).toEqual(['GET', 'PUT']);
  expect(matchCorsRule(rules, 'http://a.b.example.com', 'get')).toBe(rules[0]);
  expect(matchCorsRule(rules, 'https://www.example.com', 'GET')).toBeUndefined();
  expect(matchCorsRule(rules, 'http://www.example.com', 'PUT', ['X-OSS-META-A'])).toBe(rules[0]);
});
