/** PostObject handler called directly with an in-memory storage (no HTTP). */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { EmulatorError, type EmulatorEnv, type EmulatorRequest, type EmulatorResponse } from '../../src/emulator/context.js';
import { handlePostObject } from '../../src/emulator/handlers/post-object.js';
import { MemoryStorage } from '../../src/emulator/storage.js';
import { childText, parseXml } from '../../src/emulator/xml.js';
import { signPostPolicy } from '../../src/signer/post-policy.js';
import { base64Utf8 } from '../../src/integrity/hash.js';

const NOW = new Date(Date.UTC(2024, 4, 1, 12, 0, 0));
const CREDS = { accessKeyId: 'AKIDPOST', accessKeySecret: 'post-secret' };
let env: EmulatorEnv;

beforeEach(() => {
  const storage = new MemoryStorage();
  for (const [name, acl] of [['bkt', 'private'], ['open', 'public-read-write']] as const) {
    storage.createBucket({ name, created: NOW, region: 'cn-hangzhou', storageClass: 'Standard', acl, configs: new Map() });
  }
  env = {
    storage,
    region: 'cn-hangzhou',
    endpoint: 'http://127.0.0.1:9',
    secretFor: (ak) => (ak === CREDS.accessKeyId ? CREDS.accessKeySecret : undefined),
    now: () => NOW,
    record: () => {},
  };
});

type Fields = Record<string, string>;

async function formRequest(fields: Fields, file: { data: string | Uint8Array; name?: string; type?: string } | undefined, bucket = 'bkt', after?: Fields): Promise<EmulatorRequest> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new Blob([file.data as BlobPart], { type: file.type ?? '' }), file.name ?? 'upload.bin');
  for (const [k, v] of Object.entries(after ?? {})) form.append(k, v);
  const encoded = new Request('http://x/', { method: 'POST', body: form });
  const body = new Uint8Array(await encoded.arrayBuffer());
  return {
    method: 'POST',
    bucket,
    query: {},
    headers: { 'content-type': encoded.headers.get('content-type')! },
    rawUrl: '/',
    body: async () => body,
    requestId: 'RID',
  };
}

function signed(version: 'v1' | 'v4', conditions: unknown[], expiresInMs = 3_600_000): Fields {
  return signPostPolicy({ expiration: new Date(NOW.getTime() + expiresInMs), conditions }, CREDS, { version, now: NOW, region: 'cn-hangzhou' });
}

async function post(fields: Fields, file: { data: string | Uint8Array; name?: string; type?: string } = { data: 'hello post' }, bucket = 'bkt'): Promise<EmulatorResponse> {
  return handlePostObject(await formRequest(fields, file, bucket), env);
}

async function refused(fields: Fields, file?: { data: string | Uint8Array; name?: string; type?: string }): Promise<EmulatorError> {
  try {
    await post(fields, file);
  } catch (err) {
    expect(err).toBeInstanceOf(EmulatorError);
    return err as EmulatorError;
  }
  throw new Error('PostObject succeeded');
}

const PREFIX_POLICY = [['starts-with', '$key', 'user/'], ['content-length-range', 1, 100]];

describe('PostObject signatures', () => {
  for (const version of ['v1', 'v4'] as const) {
    it(`stores the file with a valid ${version} form (204 by default)`, async () => {
      const res = await post({ key: 'user/${filename}', ...signed(version, PREFIX_POLICY) }, { data: 'hello post', name: 'a.txt', type: 'text/plain' });
      expect(res.status).toBe(204);
      const stored = env.storage.getObject('bkt', 'user/a.txt')!;
      expect(new TextDecoder().decode(stored.data)).toBe('hello post');
      expect(stored.contentType).toBe('text/plain');
      expect(stored.etag).toBe(`"${createHash('md5').update('hello post').digest('hex').toUpperCase()}"`);
      expect(res.headers!.etag).toBe(stored.etag);
      expect(res.headers!['x-oss-hash-crc64ecma']).toBe(crc64(stored.data));
    });

    it(`refuses a tampered ${version} policy or signature with SignatureDoesNotMatch`, async () => {
      const fields = signed(version, PREFIX_POLICY);
      const otherPolicy = signed(version, [['starts-with', '$key', '']]).policy!;
      let err = await refused({ key: 'user/x', ...fields, policy: otherPolicy });
      expect([err.status, err.code]).toEqual([403, 'SignatureDoesNotMatch']);
      const sigField = version === 'v1' ? 'Signature' : 'x-oss-signature';
      const sig = fields[sigField]!;
      err = await refused({ key: 'user/x', ...fields, [sigField]: (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1) });
      expect([err.status, err.code]).toEqual([403, 'SignatureDoesNotMatch']);
      expect(err.message).not.toContain(sig);
      expect(env.storage.listKeys('bkt')).toEqual([]);
    });
  }

  it('refuses an unknown AccessKeyId and an incomplete V1 trio', async () => {
    const fields = signed('v1', PREFIX_POLICY);
    expect((await refused({ key: 'user/x', ...fields, OSSAccessKeyId: 'NOPE' })).code).toBe('InvalidAccessKeyId');
    const { Signature: _s, ...noSignature } = fields;
    expect((await refused({ key: 'user/x', ...noSignature })).status).toBe(400);
  });

  it('reads field names case-insensitively', async () => {
    const { OSSAccessKeyId, policy, Signature } = signed('v1', PREFIX_POLICY);
    const res = await post({ KEY: 'user/upper', ossaccesskeyid: OSSAccessKeyId!, Policy: policy!, signature: Signature! });
    expect(res.status).toBe(204);
    expect(env.storage.getObject('bkt', 'user/upper')).toBeDefined();
  });

  it('requires the V4 fields as exact-match policy conditions', async () => {
    const fields = signed('v4', PREFIX_POLICY);
    // Re-sign a policy without the x-oss-* conditions, with the same V4 form fields.
    const bare = base64Utf8(JSON.stringify({ expiration: new Date(NOW.getTime() + 60_000).toISOString(), conditions: PREFIX_POLICY }));
    const { postPolicySignatureV4 } = await import('../../src/signer/post-policy.js');
    const sig = postPolicySignatureV4(bare, CREDS.accessKeySecret, '20240501', 'cn-hangzhou');
    const err = await refused({ key: 'user/x', ...fields, policy: bare, 'x-oss-signature': sig });
    expect([err.status, err.code]).toEqual([403, 'AccessDenied']);
    expect(err.message).toMatch(/Extra Field/);
  });

  describe('V4 with a security token (docs/protocol.md, "Form uploads"; the token itself is checked by the server, see sts.test.ts)', () => {
    const TOKEN = 'CAIStoken+/=';
    const signedWith = (token: string) =>
      signPostPolicy({ expiration: new Date(NOW.getTime() + 60_000), conditions: PREFIX_POLICY }, { ...CREDS, securityToken: token }, {
        version: 'v4',
        now: NOW,
        region: 'cn-hangzhou',
      });

    it('accepts a form whose policy pins the same token', async () => {
      const fields = signedWith(TOKEN);
      expect(fields['x-oss-security-token']).toBe(TOKEN);
      expect((await post({ key: 'user/sts', ...fields })).status).toBe(204);
    });

    it('refuses a token the policy does not carry: AccessDenied "Extra Field: x-oss-security-token"', async () => {
      const err = await refused({ key: 'user/sts', ...signed('v4', PREFIX_POLICY), 'x-oss-security-token': TOKEN });
      expect([err.status, err.code]).toEqual([403, 'AccessDenied']);
      expect(err.message).toBe('Invalid according to Policy: Extra Field: x-oss-security-token');
      expect(env.storage.listKeys('bkt')).toEqual([]);
    });

    it('refuses a token other than the pinned one, without quoting either', async () => {
      const err = await refused({ key: 'user/sts', ...signedWith(TOKEN), 'x-oss-security-token': 'CAISother' });
      expect([err.status, err.code]).toEqual([403, 'AccessDenied']);
      expect(err.message).toMatch(/Policy Condition failed/);
      expect(`${err.message} ${JSON.stringify(err.extra)}`).not.toMatch(/CAIStoken|CAISother/);
      const listed = signPostPolicy(
        { expiration: new Date(NOW.getTime() + 60_000), conditions: [...PREFIX_POLICY, ['eq', '$x-oss-security-token', TOKEN]] },
        CREDS,
        { version: 'v4', now: NOW, region: 'cn-hangzhou' },
      );
      const viaEq = await refused({ key: 'user/sts', ...listed, 'x-oss-security-token': 'CAISother' });
      expect(viaEq.message).toMatch(/Policy Condition failed: \["eq","\$x-oss-security-token","\*\*\*"\]/);
    });

    it('V1 policies need no token condition (§5.1)', async () => {
      const res = await post({ key: 'user/sts-v1', ...signed('v1', PREFIX_POLICY), 'x-oss-security-token': TOKEN });
      expect(res.status).toBe(204);
    });
  });

  it('refuses a V4 form signed too far in the future', async () => {
    const later = new Date(NOW.getTime() + 20 * 60_000);
    const fields = signPostPolicy({ expiration: new Date(later.getTime() + 60_000), conditions: PREFIX_POLICY }, CREDS, { version: 'v4', now: later, region: 'cn-hangzhou' });
    const err = await refused({ key: 'user/x', ...fields });
    expect([err.status, err.code]).toEqual([403, 'RequestTimeTooSkewed']);
  });

  it('lets anonymous forms into public-read-write buckets only', async () => {
    expect((await post({ key: 'anon.txt' }, { data: 'x' }, 'open')).status).toBe(204);
    const err = await refused({ key: 'anon.txt' });
    expect([err.status, err.code]).toEqual([403, 'AccessDenied']);
  });
});

describe('PostObject policy conditions', () => {
  it('refuses an expired policy', async () => {
    const err = await refused({ key: 'user/x', ...signed('v1', PREFIX_POLICY, -1000) });
    expect([err.status, err.code, err.message]).toEqual([403, 'AccessDenied', 'Invalid according to Policy: Policy expired.']);
  });

  it('refuses a key outside the allowed prefix', async () => {
    const err = await refused({ key: 'admin/x', ...signed('v4', PREFIX_POLICY) });
    expect([err.status, err.code]).toEqual([403, 'AccessDenied']);
    expect(err.message).toMatch(/^Invalid according to Policy: Policy Condition failed/);
  });

  it('refuses a file outside content-length-range', async () => {
    const fields = { key: 'user/x', ...signed('v1', PREFIX_POLICY) };
    let err = await refused(fields, { data: new Uint8Array(101) });
    expect([err.status, err.code]).toEqual([400, 'EntityTooLarge']);
    err = await refused(fields, { data: new Uint8Array(0) });
    expect([err.status, err.code]).toEqual([400, 'EntityTooSmall']);
  });

  it('checks bucket, eq, content-type, in/not-in and exact x-oss-* matches', async () => {
    const conditions = [
      { bucket: 'bkt' },
      ['eq', '$key', 'user/exact.txt'],
      ['starts-with', '$content-type', 'image/'],
      ['in', '$x-oss-storage-class', ['Standard', 'IA']],
      ['not-in', '$cache-control', ['no-store']],
      { 'x-oss-meta-tag': 'blue' },
    ];
    const base = { key: 'user/exact.txt', 'Content-Type': 'image/png', 'x-oss-storage-class': 'IA', 'cache-control': 'max-age=5', 'x-oss-meta-tag': 'blue' };
    const fields = { ...base, ...signed('v4', conditions) };
    expect((await post(fields)).status).toBe(204);
    const stored = env.storage.getObject('bkt', 'user/exact.txt')!;
    expect(stored.contentType).toBe('image/png');
    expect(stored.metadata).toEqual({ tag: 'blue' });
    expect(stored.headers['cache-control']).toBe('max-age=5');
    for (const change of [{ key: 'user/other.txt' }, { 'Content-Type': 'text/plain' }, { 'x-oss-storage-class': 'Archive' }, { 'cache-control': 'no-store' }, { 'x-oss-meta-tag': 'red' }]) {
      const err = await refused({ ...fields, ...change });
      expect([err.status, err.code]).toEqual([403, 'AccessDenied']);
    }
    const otherBucket = signed('v1', [{ bucket: 'elsewhere' }]);
    expect((await refused({ key: 'k', ...otherBucket })).code).toBe('AccessDenied');
  });

  it('refuses a condition on a field the form does not have', async () => {
    const err = await refused({ key: 'k', ...signed('v1', [['eq', '$success_action_status', '201']]) });
    expect([err.status, err.code]).toEqual([403, 'AccessDenied']);
  });

  it('refuses malformed policies with InvalidPolicyDocument', async () => {
    const { postPolicySignatureV1 } = await import('../../src/signer/post-policy.js');
    for (const doc of ['{"conditions":[["eq","$key","k"]]}', '{"expiration":"2030-01-01T00:00:00.000Z","conditions":[]}', 'not json']) {
      const policy = base64Utf8(doc);
      const err = await refused({ key: 'k', OSSAccessKeyId: CREDS.accessKeyId, policy, Signature: postPolicySignatureV1(policy, CREDS.accessKeySecret) });
      expect([err.status, err.code]).toEqual([400, 'InvalidPolicyDocument']);
    }
  });
});

describe('PostObject answers', () => {
  const policy = (): Fields => signed('v1', [['starts-with', '$key', '']]);

  it('answers 201 with a PostResponse document', async () => {
    const res = await post({ key: 'doc.txt', success_action_status: '201', ...policy() });
    expect(res.status).toBe(201);
    const root = parseXml(String(res.body))!.PostResponse;
    expect(childText(root, 'Key')).toBe('doc.txt');
    expect(childText(root, 'Bucket')).toBe('bkt');
    expect(childText(root, 'ETag')).toBe(env.storage.getObject('bkt', 'doc.txt')!.etag);
    expect(childText(root, 'Location')).toBe('http://127.0.0.1:9/bkt/doc.txt');
  });

  it('answers 200 with an empty body, and 204 for any other value', async () => {
    const ok = await post({ key: 'a', success_action_status: '200', ...policy() });
    expect([ok.status, ok.body]).toEqual([200, undefined]);
    expect((await post({ key: 'b', success_action_status: '302', ...policy() })).status).toBe(204);
  });

  it('redirects with 303 to success_action_redirect with bucket, key and etag', async () => {
    const res = await post({ key: 'r/1.txt', success_action_redirect: 'https://app.example/done?from=form', ...policy() });
    expect(res.status).toBe(303);
    const location = new URL(res.headers!.location!);
    expect(location.origin + location.pathname).toBe('https://app.example/done');
    expect(Object.fromEntries(location.searchParams)).toEqual({ from: 'form', bucket: 'bkt', key: 'r/1.txt', etag: env.storage.getObject('bkt', 'r/1.txt')!.etag });
  });

  it('refuses a form whose file is not the last field, or has no file', async () => {
    const req = await formRequest({ key: 'k', ...policy() }, { data: 'x' }, 'bkt', { extra: 'after' });
    await expect(handlePostObject(req, env)).rejects.toMatchObject({ status: 400, code: 'MalformedPOSTRequest' });
    const noFile = await formRequest({ key: 'k', ...policy() }, undefined);
    await expect(handlePostObject(noFile, env)).rejects.toMatchObject({ status: 400 });
    const notForm = { ...noFile, headers: { 'content-type': 'application/json' } };
    await expect(handlePostObject(notForm, env)).rejects.toMatchObject({ code: 'MalformedPOSTRequest' });
  });

  it('refuses a malformed callback field before storing', async () => {
    const err = await refused({ key: 'cb.txt', callback: 'bm90IGpzb24=', ...policy() });
    expect([err.status, err.code]).toEqual([400, 'InvalidArgument']);
    expect(env.storage.getObject('bkt', 'cb.txt')).toBeUndefined();
  });
});
