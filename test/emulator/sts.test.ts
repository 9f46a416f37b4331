/**
 * Temporary (STS) credentials in the emulator: the store on its own, then raw signed requests (V1/V4,
 * header and URL, and PostObject forms): the right token works; a missing, wrong or expired token is
 * refused with the codes OSS answers (InvalidAccessKeyId, InvalidSecurityToken, SecurityTokenExpired),
 * and so is a token sent with a long-term or unknown key (InvalidAccessKeyId, EC 0002-00000002).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/credentials/credentials.js';
import { EmulatorError } from '../../src/emulator/context.js';
import { startEmulator, type Emulator, type TemporaryCredentials } from '../../src/emulator/index.js';
import { TemporaryCredentialStore } from '../../src/emulator/sts.js';
import { createPostPolicy } from '../../src/handoff/post-policy.js';
import { createBucket, send, xmlText, type RawRequest } from './helpers.js';

const BUCKET = 'sts-bucket';
const SIGNINGS = ['v4', 'v1', 'presign-v4', 'presign-v1'] as const;
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  await createBucket(emu, BUCKET);
});

afterAll(async () => {
  await emu.close();
});

/** Sleeps until the emulator's clock (the wall clock) is past `expiration`. */
async function waitPast(expiration: Date): Promise<void> {
  const ms = expiration.getTime() - Date.now() + 25;
  if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

function errorCode(text: string): string | undefined {
  return xmlText(text, 'Code');
}

/** A signed request with these credentials (a variable, so that the token field rides along). */
function signed(credentials: Credentials, sign: RawRequest['sign'], req: Omit<RawRequest, 'sign' | 'credentials'>) {
  return send(emu, { ...req, sign, credentials });
}

describe('TemporaryCredentialStore', () => {
  it('issues STS-shaped keys whose expiration follows durationSeconds on the given clock', () => {
    const at = new Date('2024-05-01T00:00:00Z');
    const store = new TemporaryCredentialStore(() => at);
    const a = store.issue();
    const b = store.issue({ durationSeconds: 3600 });
    expect(a.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]{24}$/);
    expect(a.accessKeySecret).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(a.securityToken.startsWith('CAIS')).toBe(true);
    expect(a.expiration.toISOString()).toBe('2024-05-01T00:15:00.000Z');
    expect(b.expiration.toISOString()).toBe('2024-05-01T01:00:00.000Z');
    expect(new Set([a.accessKeyId, b.accessKeyId]).size).toBe(2);
    expect(a.securityToken).not.toBe(b.securityToken);
    expect(store.secretFor(a.accessKeyId)).toBe(a.accessKeySecret);
    expect(store.secretFor('LTAIlongterm')).toBeUndefined();
    expect(() => store.issue({ durationSeconds: 0 })).toThrow(RangeError);
    expect(() => store.issue({ durationSeconds: Number.NaN })).toThrow(RangeError);
  });

  it('check(): passes long-term keys without a token, refuses a missing, wrong or expired token and a token with any other key', () => {
    let now = new Date('2024-05-01T00:00:00Z');
    const store = new TemporaryCredentialStore(() => now);
    const sts = store.issue({ durationSeconds: 60 });
    const codeOf = (fn: () => void): string | undefined => {
      try {
        fn();
        return undefined;
      } catch (error) {
        expect(error).toBeInstanceOf(EmulatorError);
        const e = error as EmulatorError;
        expect(e.status).toBe(403);
        expect(JSON.stringify({ ...e, message: e.message })).not.toContain(sts.securityToken);
        return `${e.code} ${e.extra.EC}`;
      }
    };
    expect(codeOf(() => store.check('LTAIlongterm', undefined, now))).toBeUndefined();
    expect(codeOf(() => store.check('LTAIlongterm', '', now))).toBeUndefined();
    expect(codeOf(() => store.check('LTAIlongterm', sts.securityToken, now))).toBe('InvalidAccessKeyId 0002-00000002');
    expect(codeOf(() => store.check('LTAIlongterm', 'CAISmadeup', now))).toBe('InvalidAccessKeyId 0002-00000002');
    expect(codeOf(() => store.check(sts.accessKeyId, sts.securityToken, now))).toBeUndefined();
    expect(codeOf(() => store.check(sts.accessKeyId, undefined, now))).toBe('InvalidAccessKeyId 0002-00000003');
    expect(codeOf(() => store.check(sts.accessKeyId, '', now))).toBe('InvalidAccessKeyId 0002-00000003');
    expect(codeOf(() => store.check(sts.accessKeyId, `${sts.securityToken}x`, now))).toBe('InvalidSecurityToken 0002-00000006');
    // Valid up to and including the expiration instant, refused one millisecond later.
    now = new Date(sts.expiration);
    expect(codeOf(() => store.check(sts.accessKeyId, sts.securityToken, now))).toBeUndefined();
    now = new Date(sts.expiration.getTime() + 1);
    expect(codeOf(() => store.check(sts.accessKeyId, sts.securityToken, now))).toBe('SecurityTokenExpired 0002-00000007');
  });
});

describe.each(SIGNINGS)('raw %s requests with issued credentials', (sign) => {
  let sts: TemporaryCredentials;
  beforeAll(() => {
    sts = emu.issueTemporaryCredentials();
  });

  it('work with the matching token: PutObject then GetObject', async () => {
    const key = `${sign}/ok.txt`;
    const put = await signed(sts, sign, { method: 'PUT', bucket: BUCKET, key, body: `hello ${sign}` });
    expect(put.status, put.text).toBe(200);
    const get = await signed(sts, sign, { bucket: BUCKET, key });
    expect(get.status, get.text).toBe(200);
    expect(get.text).toBe(`hello ${sign}`);
  });

  it('without the token: 403 InvalidAccessKeyId naming the key', async () => {
    const noToken = { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret };
    const res = await signed(noToken, sign, { bucket: BUCKET, key: `${sign}/ok.txt` });
    expect([res.status, errorCode(res.text)]).toEqual([403, 'InvalidAccessKeyId']);
    expect(xmlText(res.text, 'OSSAccessKeyId')).toBe(sts.accessKeyId);
    expect(res.headers['x-oss-ec']).toBe('0002-00000003');
  });

  it("with another key's token: 403 InvalidSecurityToken, and the token is not echoed", async () => {
    const other = emu.issueTemporaryCredentials();
    const res = await signed({ ...sts, securityToken: other.securityToken }, sign, { bucket: BUCKET, key: `${sign}/ok.txt` });
    expect([res.status, errorCode(res.text)]).toEqual([403, 'InvalidSecurityToken']);
    expect(res.headers['x-oss-ec']).toBe('0002-00000006');
    expect(res.text).not.toContain(other.securityToken);
    expect(res.text).not.toContain(sts.securityToken);
  });

  it('after the expiration: 403 SecurityTokenExpired (a write stores nothing)', async () => {
    const short = emu.issueTemporaryCredentials({ durationSeconds: 0.2 });
    await waitPast(short.expiration);
    const key = `${sign}/late.txt`;
    const res = await signed(short, sign, { method: 'PUT', bucket: BUCKET, key, body: 'late' });
    expect([res.status, errorCode(res.text)]).toEqual([403, 'SecurityTokenExpired']);
    expect(res.headers['x-oss-ec']).toBe('0002-00000007');
    expect(emu.storage.getObject(BUCKET, key)).toBeUndefined();
  });

  it('long-term keys keep working without a token', async () => {
    const res = await signed(emu.credentials, sign, { bucket: BUCKET, key: `${sign}/ok.txt` });
    expect(res.status, res.text).toBe(200);
  });
});

describe.each(SIGNINGS)('raw %s requests: a security token with a key STS did not issue', (sign) => {
  it('a long-term key with a made-up token: 403 InvalidAccessKeyId (EC 0002-00000002), a write stores nothing', async () => {
    const key = `${sign}/long-term-token.txt`;
    const res = await signed({ ...emu.credentials, securityToken: 'CAISmadeup' }, sign, { method: 'PUT', bucket: BUCKET, key, body: 'x' });
    expect([res.status, errorCode(res.text)]).toEqual([403, 'InvalidAccessKeyId']);
    expect(res.headers['x-oss-ec']).toBe('0002-00000002');
    expect(xmlText(res.text, 'OSSAccessKeyId')).toBe(emu.credentials.accessKeyId);
    expect(res.text).not.toContain('CAISmadeup');
    expect(emu.storage.getObject(BUCKET, key)).toBeUndefined();
  });

  it("a long-term key with a real STS token (another key's): still InvalidAccessKeyId", async () => {
    const sts = emu.issueTemporaryCredentials();
    const res = await signed({ ...emu.credentials, securityToken: sts.securityToken }, sign, { bucket: BUCKET, key: `${sign}/ok.txt` });
    expect([res.status, errorCode(res.text), res.headers['x-oss-ec']]).toEqual([403, 'InvalidAccessKeyId', '0002-00000002']);
    expect(res.text).not.toContain(sts.securityToken);
  });

  it('an unknown key with a token: InvalidAccessKeyId as an STS request (0002-00000002)', async () => {
    const res = await signed({ accessKeyId: 'STS.neverissued', accessKeySecret: 's', securityToken: 'CAISx' }, sign, {
      bucket: BUCKET,
      key: `${sign}/ok.txt`,
    });
    expect([res.status, errorCode(res.text), res.headers['x-oss-ec']]).toEqual([403, 'InvalidAccessKeyId', '0002-00000002']);
  });

  it('an empty token counts as none: the long-term key works', async () => {
    const res = await signed({ ...emu.credentials, securityToken: '' }, sign, { bucket: BUCKET, key: `${sign}/ok.txt` });
    expect(res.status, res.text).toBe(200);
  });
});

describe('V1 header auth also finds the plain security-token header (docs/protocol.md, "Signature V1")', () => {
  it('accepts the matching token in `security-token`', async () => {
    const sts = emu.issueTemporaryCredentials();
    const noToken = { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret };
    const ok = await signed(noToken, 'v1', { bucket: BUCKET, key: 'v1/ok.txt', headers: { 'security-token': sts.securityToken } });
    expect(ok.status, ok.text).toBe(200);
    const wrong = await signed(noToken, 'v1', { bucket: BUCKET, key: 'v1/ok.txt', headers: { 'security-token': 'nope' } });
    expect(errorCode(wrong.text)).toBe('InvalidSecurityToken');
  });

  it('refuses it beside a long-term key, like x-oss-security-token', async () => {
    const res = await signed(emu.credentials, 'v1', { bucket: BUCKET, key: 'v1/ok.txt', headers: { 'security-token': 'CAISmadeup' } });
    expect([res.status, errorCode(res.text), res.headers['x-oss-ec']]).toEqual([403, 'InvalidAccessKeyId', '0002-00000002']);
  });
});

describe.each(['v4', 'v1'] as const)('PostObject forms (%s) with issued credentials', (version) => {
  async function postForm(credentials: Credentials, key: string, change: (fields: Record<string, string>) => void = () => {}) {
    const config = { endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, credentials, signatureVersion: version };
    const { url, fields } = await createPostPolicy(config, { key, expires: 600 });
    change(fields);
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob([`form ${key}`]), 'f.txt');
    const response = await fetch(url, { method: 'POST', body: form });
    const text = await response.text();
    return { status: response.status, code: errorCode(text), ec: response.headers.get('x-oss-ec') };
  }

  it('stores the file when the form carries the token', async () => {
    const sts = emu.issueTemporaryCredentials();
    const result = await postForm(sts, `${version}/form-ok.txt`);
    expect(result.status).toBe(204);
    expect(new TextDecoder().decode(emu.storage.getObject(BUCKET, `${version}/form-ok.txt`)!.data)).toBe(`form ${version}/form-ok.txt`);
  });

  it('refuses a form without the token field, with a wrong token, and after expiry', async () => {
    const sts = emu.issueTemporaryCredentials();
    const missing = await postForm(sts, `${version}/form-missing.txt`, (f) => delete f['x-oss-security-token']);
    expect([missing.status, missing.code]).toEqual([403, 'InvalidAccessKeyId']);
    const wrong = await postForm(sts, `${version}/form-wrong.txt`, (f) => (f['x-oss-security-token'] = 'CAISforged'));
    expect([wrong.status, wrong.code, wrong.ec]).toEqual([403, 'InvalidSecurityToken', '0002-00000006']);

    const { expiration, ...short } = emu.issueTemporaryCredentials({ durationSeconds: 0.2 });
    // Signed while the token is valid (for longer than the token lives: the client is not told when it
    // ends), posted after it expired.
    const config = { endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, credentials: short, signatureVersion: version };
    const { url, fields } = await createPostPolicy(config, { key: `${version}/form-late.txt`, expires: 1 });
    await waitPast(expiration);
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob(['late']), 'f.txt');
    const late = await fetch(url, { method: 'POST', body: form });
    expect([late.status, errorCode(await late.text())]).toEqual([403, 'SecurityTokenExpired']);
    for (const key of ['missing', 'wrong', 'late']) expect(emu.storage.getObject(BUCKET, `${version}/form-${key}.txt`)).toBeUndefined();
  });

  it('refuses a long-term key with a token field: 403 InvalidAccessKeyId (EC 0002-00000002)', async () => {
    const madeUp = await postForm({ ...emu.credentials, securityToken: 'CAISmadeup' }, `${version}/form-lt.txt`);
    expect([madeUp.status, madeUp.code, madeUp.ec]).toEqual([403, 'InvalidAccessKeyId', '0002-00000002']);
    // The same form without the token field is an ordinary long-term upload.
    const plain = await postForm(emu.credentials, `${version}/form-lt.txt`);
    expect(plain.status).toBe(204);
  });
});

describe('V4 PostObject with issued credentials: the policy must pin the token (docs/protocol.md, "Form uploads")', () => {
  async function post(fields: Record<string, string>, key: string) {
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...fields, key })) form.append(name, value);
    form.append('file', new Blob(['pinned']), 'f.txt');
    const response = await fetch(`${emu.endpoint}/${BUCKET}`, { method: 'POST', body: form });
    const text = await response.text();
    return { status: response.status, code: errorCode(text), message: xmlText(text, 'Message'), text };
  }

  it('refuses a token the signed policy does not carry, and a policy pinning another token', async () => {
    const sts = emu.issueTemporaryCredentials();
    const config = { endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, signatureVersion: 'v4' as const };
    // Signed without the token (so the policy has no x-oss-security-token condition), token added after.
    const { accessKeyId, accessKeySecret } = sts;
    const unpinned = await createPostPolicy({ ...config, credentials: { accessKeyId, accessKeySecret } }, { key: 'v4/unpinned.txt', expires: 600 });
    const extra = await post({ ...unpinned.fields, 'x-oss-security-token': sts.securityToken }, 'v4/unpinned.txt');
    expect([extra.status, extra.code]).toEqual([403, 'AccessDenied']);
    expect(extra.message).toBe('Invalid according to Policy: Extra Field: x-oss-security-token');

    // Signed pinning another (real) token, then sent with the right one.
    const other = emu.issueTemporaryCredentials();
    const misPinned = await createPostPolicy({ ...config, credentials: { ...sts, securityToken: other.securityToken } }, { key: 'v4/mispinned.txt', expires: 600 });
    const mismatch = await post({ ...misPinned.fields, 'x-oss-security-token': sts.securityToken }, 'v4/mispinned.txt');
    expect([mismatch.status, mismatch.code]).toEqual([403, 'AccessDenied']);
    expect(mismatch.text).not.toContain(other.securityToken);
    expect(mismatch.text).not.toContain(sts.securityToken);
    for (const key of ['unpinned', 'mispinned']) expect(emu.storage.getObject(BUCKET, `v4/${key}.txt`)).toBeUndefined();
  });
});
