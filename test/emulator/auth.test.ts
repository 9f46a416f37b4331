/**
 * Signature checks (src/emulator/auth.ts through the server): V1/V4 in header and URL, and every
 * refusal OSS gives — wrong signature, unknown key, expired URL, clock skew, V4 expiry limit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createBucket, putObject, send, xmlText } from './helpers.js';

let emu: Emulator;
const BUCKET = 'auth-bucket';
const KEY = 'dir/a b+c~%.txt';

beforeAll(async () => {
  emu = await startEmulator();
  await createBucket(emu, BUCKET);
  await putObject(emu, BUCKET, KEY, 'secret body');
});
afterAll(async () => {
  await emu.close();
});

const WRONG = () => ({ accessKeyId: emu.credentials.accessKeyId, accessKeySecret: 'wrong-secret' });

describe('accepted signatures', () => {
  test.each(['v1', 'v4', 'presign-v1', 'presign-v4'] as const)('%s', async (sign) => {
    const res = await send(emu, { bucket: BUCKET, key: KEY, sign });
    expect(res.status).toBe(200);
    expect(res.text).toBe('secret body');
  });

  test('V1 signs sub-resources but not list parameters', async () => {
    const res = await send(emu, { bucket: BUCKET, query: { prefix: 'dir/', 'max-keys': '5' }, sign: 'v1' });
    expect(res.status).toBe(200);
    const acl = await send(emu, { bucket: BUCKET, query: { acl: '' }, sign: 'v1' });
    expect(acl.status).toBe(200);
    expect(xmlText(acl.text, 'Grant')).toBe('private');
  });

  test('V4 signs response-* overrides in a presigned URL', async () => {
    const res = await send(emu, {
      bucket: BUCKET,
      key: KEY,
      query: { 'response-content-disposition': 'attachment; filename="x y.txt"' },
      sign: 'presign-v4',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="x y.txt"');
  });

  test('virtual-hosted requests (bucket.localhost) are checked against /bucket/key', async () => {
    for (const sign of ['v1', 'v4'] as const) {
      const res = await send(emu, { bucket: BUCKET, key: KEY, sign, host: `${BUCKET}.localhost:${emu.port}` });
      expect(res.status).toBe(200);
      expect(res.text).toBe('secret body');
    }
  });
});

describe('refusals', () => {
  test('V1 header with a wrong secret: SignatureDoesNotMatch with the string to sign', async () => {
    const res = await send(emu, { bucket: BUCKET, key: KEY, sign: 'v1', credentials: WRONG() });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toBe('application/xml');
    expect(xmlText(res.text, 'Code')).toBe('SignatureDoesNotMatch');
    expect(xmlText(res.text, 'OSSAccessKeyId')).toBe(emu.credentials.accessKeyId);
    expect(xmlText(res.text, 'SignatureProvided')).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    const stringToSign = xmlText(res.text, 'StringToSign')!;
    expect(stringToSign.startsWith('GET\n\n\n')).toBe(true);
    expect(stringToSign.endsWith(`\n/${BUCKET}/${KEY}`)).toBe(true);
    const bytes = xmlText(res.text, 'StringToSignBytes')!;
    expect(bytes.split(' ').map((h) => String.fromCharCode(parseInt(h, 16))).join('')).toBe(stringToSign);
    expect(xmlText(res.text, 'EC')).toBe('0002-00000040');
    expect(res.headers['x-oss-ec']).toBe('0002-00000040');
    expect(res.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(xmlText(res.text, 'RequestId')).toBe(res.headers['x-oss-request-id']);
    expect(xmlText(res.text, 'HostId')).toBeTruthy();
    expect(res.text).not.toContain(emu.credentials.accessKeySecret);
  });

  test('V4 header with a wrong secret: SignatureDoesNotMatch with the canonical request', async () => {
    const res = await send(emu, { bucket: BUCKET, key: KEY, sign: 'v4', credentials: WRONG() });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('SignatureDoesNotMatch');
    expect(xmlText(res.text, 'EC')).toBe('0002-00000201');
    expect(xmlText(res.text, 'CanonicalRequest')).toContain('/auth-bucket/dir/a%20b%2Bc~%25.txt');
    expect(xmlText(res.text, 'StringToSign')!.startsWith('OSS4-HMAC-SHA256\n')).toBe(true);
  });

  test.each(['presign-v1', 'presign-v4'] as const)('%s with a wrong secret is refused', async (sign) => {
    const res = await send(emu, { bucket: BUCKET, key: KEY, sign, credentials: WRONG() });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('SignatureDoesNotMatch');
  });

  test('a presigned URL used for another key is refused', async () => {
    await putObject(emu, BUCKET, 'other.txt', 'other');
    const signed = await send(emu, { bucket: BUCKET, key: KEY, sign: 'presign-v4' });
    expect(signed.status).toBe(200);
    // Re-sign for KEY, then send the same query to other.txt.
    const { presignV4 } = await import('../../src/signer/v4.js');
    const q = presignV4({ method: 'GET', bucket: BUCKET, key: KEY, query: {}, headers: {} }, emu.credentials, {
      now: new Date(),
      region: emu.region,
      expires: 60,
    });
    const rawQuery = Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const res = await send(emu, { rawPath: `/${BUCKET}/other.txt?${rawQuery}`, sign: 'none' });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('SignatureDoesNotMatch');
  });

  test.each(['v1', 'v4', 'presign-v1', 'presign-v4'] as const)('%s with an unknown AccessKeyId: InvalidAccessKeyId', async (sign) => {
    const res = await send(emu, { bucket: BUCKET, key: KEY, sign, credentials: { accessKeyId: 'LTAInobody', accessKeySecret: 'x' } });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('InvalidAccessKeyId');
    expect(xmlText(res.text, 'OSSAccessKeyId')).toBe('LTAInobody');
    expect(xmlText(res.text, 'EC')).toBe('0002-00000902');
  });

  test.each(['presign-v1', 'presign-v4'] as const)('%s that has expired: AccessDenied "Request has expired."', async (sign) => {
    const res = await send(emu, { bucket: BUCKET, key: KEY, sign, now: new Date(Date.now() - 3600_000), expires: 60 });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('AccessDenied');
    expect(xmlText(res.text, 'Message')).toBe('Request has expired.');
  });

  test.each(['v1', 'v4'] as const)('%s header dated 20 minutes off: RequestTimeTooSkewed', async (sign) => {
    for (const offset of [-20 * 60_000, 20 * 60_000]) {
      const res = await send(emu, { bucket: BUCKET, key: KEY, sign, now: new Date(Date.now() + offset) });
      expect(res.status).toBe(403);
      expect(xmlText(res.text, 'Code')).toBe('RequestTimeTooSkewed');
      expect(xmlText(res.text, 'MaxAllowedSkewMilliseconds')).toBe('900000');
      expect(xmlText(res.text, 'RequestTime')).toBeTruthy();
      expect(xmlText(res.text, 'ServerTime')).toBeTruthy();
      expect(xmlText(res.text, 'EC')).toBe('0002-00000504');
    }
  });

  test('a header dated 10 minutes off is still accepted', async () => {
    const res = await send(emu, { bucket: BUCKET, key: KEY, sign: 'v4', now: new Date(Date.now() - 10 * 60_000) });
    expect(res.status).toBe(200);
  });

  test('V4 x-oss-expires above 604800 is a 400', async () => {
    const { presignV4 } = await import('../../src/signer/v4.js');
    const q = presignV4({ method: 'GET', bucket: BUCKET, key: KEY, query: {}, headers: {} }, emu.credentials, {
      now: new Date(),
      region: emu.region,
      expires: 604800,
    });
    q['x-oss-expires'] = '604801';
    const rawQuery = Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const res = await send(emu, { rawPath: `/${BUCKET}/${encodeURIComponent(KEY)}?${rawQuery}`, sign: 'none' });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('InvalidArgument');
  });

  test('V4 scoped to another region is refused', async () => {
    const { signV4 } = await import('../../src/signer/v4.js');
    const headers = signV4({ method: 'GET', bucket: BUCKET, key: KEY, query: {}, headers: {} }, emu.credentials, {
      now: new Date(),
      region: 'us-west-1',
    });
    const res = await send(emu, { bucket: BUCKET, key: KEY, headers, sign: 'none' });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Message')).toBe('The signing region in credential is invalid.');
  });

  test('a signed header changed after signing breaks the signature', async () => {
    const { signV1 } = await import('../../src/signer/v1.js');
    const headers: Record<string, string> = { 'x-oss-meta-a': '1' };
    Object.assign(headers, signV1({ method: 'GET', bucket: BUCKET, key: KEY, query: {}, headers }, emu.credentials, { now: new Date() }));
    headers['x-oss-meta-a'] = '2';
    const res = await send(emu, { bucket: BUCKET, key: KEY, headers, sign: 'none' });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('SignatureDoesNotMatch');
  });

  test('an unsigned request to a private bucket: AccessDenied', async () => {
    const res = await send(emu, { bucket: BUCKET, key: KEY, sign: 'none' });
    expect(res.status).toBe(403);
    expect(xmlText(res.text, 'Code')).toBe('AccessDenied');
  });

  test('anonymous reads follow the ACLs', async () => {
    await putObject(emu, BUCKET, 'public.txt', 'for everyone', { 'x-oss-object-acl': 'public-read' });
    expect((await send(emu, { bucket: BUCKET, key: 'public.txt', sign: 'none' })).text).toBe('for everyone');
    expect((await send(emu, { method: 'PUT', bucket: BUCKET, key: 'public.txt', body: 'x', sign: 'none' })).status).toBe(403);

    await createBucket(emu, 'public-bucket');
    expect((await send(emu, { method: 'PUT', bucket: 'public-bucket', query: { acl: '' }, headers: { 'x-oss-acl': 'public-read' } })).status).toBe(200);
    await putObject(emu, 'public-bucket', 'open.txt', 'open');
    await putObject(emu, 'public-bucket', 'closed.txt', 'closed', { 'x-oss-object-acl': 'private' });
    expect((await send(emu, { bucket: 'public-bucket', key: 'open.txt', sign: 'none' })).status).toBe(200);
    expect((await send(emu, { bucket: 'public-bucket', key: 'closed.txt', sign: 'none' })).status).toBe(403);
    expect((await send(emu, { bucket: 'public-bucket', sign: 'none' })).status).toBe(200);
  });
});
