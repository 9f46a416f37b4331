/**
 * Post policies against the emulator's PostObject: forms built by plain FormData + fetch, and
 * client.postObject from code; refusals carry OSS's error codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OssClient, type Platform } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isOssError } from '../../src/errors.js';
import { createPostPolicy, type PostPolicyConfig } from '../../src/handoff/post-policy.js';
import { createFetchTransport } from '../../src/transport/fetch.js';

const BUCKET = 'form-bucket';
let emu: Emulator;
let config: PostPolicyConfig;
const platform: Platform = { createTransport: () => createFetchTransport(), contentTypeFor: () => undefined };

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  emu.storage.createBucket({ name: BUCKET, created: new Date(), region: emu.region, storageClass: 'Standard', acl: 'private', configs: new Map() });
  config = { endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, credentials: emu.credentials };
});

afterAll(async () => {
  await emu.close();
});

async function postForm(url: string, fields: Record<string, string>, file: Blob, extra: Record<string, string> = {}) {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...fields, ...extra })) form.append(name, value);
  form.append('file', file, 'upload.txt');
  const response = await fetch(url, { method: 'POST', body: form });
  const body = await response.text();
  return { status: response.status, code: /<Code>([^<]+)<\/Code>/.exec(body)?.[1], body, etag: response.headers.get('etag') };
}

function stored(key: string): string | undefined {
  const object = emu.storage.getObject(BUCKET, key);
  return object && new TextDecoder().decode(object.data);
}

describe.each(['v4', 'v1'] as const)('forms from createPostPolicy (%s)', (version) => {
  const cfg = (): PostPolicyConfig => ({ ...config, signatureVersion: version });

  it('an exact-key form succeeds with 204 and stores the file with the pinned Content-Type', async () => {
    const key = `${version}/exact.txt`;
    const { url, fields } = await createPostPolicy(cfg(), { key, contentType: 'text/markdown', contentLengthRange: [1, 100] });
    const result = await postForm(url, fields, new Blob(['# hello']));
    expect(result.status).toBe(204);
    expect(result.etag).toMatch(/^"[0-9A-F]{32}"$/);
    expect(stored(key)).toBe('# hello');
    expect(emu.storage.getObject(BUCKET, key)?.contentType).toBe('text/markdown');
  });

  it('a key prefix form with success_action_status 201 answers with the XML PostResponse', async () => {
    const { url, fields } = await createPostPolicy(cfg(), { keyPrefix: `${version}/user-7/`, successActionStatus: 201 });
    const result = await postForm(url, fields, new Blob(['prefixed']), { key: `${version}/user-7/a.txt` });
    expect(result.status).toBe(201);
    expect(result.body).toContain(`<Key>${version}/user-7/a.txt</Key>`);
    expect(stored(`${version}/user-7/a.txt`)).toBe('prefixed');
  });

  it('works with STS credentials (the token travels as a field)', async () => {
    const issued = emu.issueTemporaryCredentials({ durationSeconds: 3600 });
    const sts = async () => issued;
    const { url, fields } = await createPostPolicy({ ...cfg(), credentials: sts }, { key: `${version}/sts.txt` });
    expect(fields['x-oss-security-token']).toBe(issued.securityToken);
    expect((await postForm(url, fields, new Blob(['sts']))).status).toBe(204);
    expect(stored(`${version}/sts.txt`)).toBe('sts');
  });

  it('refuses a long-term key with a security token: 403 InvalidAccessKeyId, nothing stored', async () => {
    const withToken = { ...emu.credentials, securityToken: 'CAISmadeup' };
    const { url, fields } = await createPostPolicy({ ...cfg(), credentials: withToken }, { key: `${version}/lt-token.txt` });
    const result = await postForm(url, fields, new Blob(['x']));
    expect([result.status, result.code]).toEqual([403, 'InvalidAccessKeyId']);
    expect(result.body).not.toContain('CAISmadeup');
    expect(stored(`${version}/lt-token.txt`)).toBeUndefined();
  });

  it('refuses an over-length file: 400 EntityTooLarge', async () => {
    const { url, fields } = await createPostPolicy(cfg(), { key: `${version}/big.txt`, contentLengthRange: [0, 4] });
    const result = await postForm(url, fields, new Blob(['12345']));
    expect([result.status, result.code]).toEqual([400, 'EntityTooLarge']);
    expect(stored(`${version}/big.txt`)).toBeUndefined();
  });

  it('refuses a key outside the prefix: 403 AccessDenied', async () => {
    const { url, fields } = await createPostPolicy(cfg(), { keyPrefix: `${version}/mine/` });
    const result = await postForm(url, fields, new Blob(['x']), { key: `${version}/theirs/x.txt` });
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
  });

  it('refuses an expired policy: 403 AccessDenied', async () => {
    const past = new Date(Date.now() - 3_600_000);
    const { url, fields } = await createPostPolicy({ ...cfg(), now: () => past }, { key: `${version}/late.txt`, expires: 60 });
    const result = await postForm(url, fields, new Blob(['x']));
    expect([result.status, result.code]).toEqual([403, 'AccessDenied']);
  });

  it('refuses tampered fields: a changed pinned field (403 AccessDenied) and a changed policy (403 SignatureDoesNotMatch)', async () => {
    const { url, fields } = await createPostPolicy(cfg(), { key: `${version}/pinned.txt`, successActionStatus: 200 });
    const changedField = await postForm(url, { ...fields, success_action_status: '201' }, new Blob(['x']));
    expect([changedField.status, changedField.code]).toEqual([403, 'AccessDenied']);
    const changedKey = await postForm(url, { ...fields, key: `${version}/other.txt` }, new Blob(['x']));
    expect([changedKey.status, changedKey.code]).toEqual([403, 'AccessDenied']);
    const other = await createPostPolicy(cfg(), { key: `${version}/pinned.txt`, expires: 30 });
    const changedPolicy = await postForm(url, { ...fields, policy: other.fields.policy! }, new Blob(['x']));
    expect([changedPolicy.status, changedPolicy.code]).toEqual([403, 'SignatureDoesNotMatch']);
    expect(stored(`${version}/pinned.txt`)).toBeUndefined();
  });
});

describe('client.postObject', () => {
  it('signs its own policy when given only a key, and reports progress', async () => {
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, credentials: emu.credentials }, platform);
    const out = await client.postObject({ key: 'code/auto.txt', file: new Uint8Array([65, 66, 67]), contentType: 'text/plain' });
    expect(out.etag).toMatch(/^"[0-9A-F]{32}"$/);
    expect(out.requestId).not.toBe('');
    expect(stored('code/auto.txt')).toBe('ABC');
  });

  it('sends server-issued fields to the policy URL without credentials of its own (V1 policy, 201 location)', async () => {
    const { url, fields } = await createPostPolicy(
      { ...config, signatureVersion: 'v1' },
      { keyPrefix: 'code/u/', successActionStatus: 201, contentLengthRange: [0, 1000] },
    );
    const anonymous = new OssClient({ endpoint: emu.endpoint, region: emu.region }, platform);
    const out = await anonymous.postObject({
      url,
      fields,
      bucket: BUCKET,
      key: 'code/u/file.txt',
      file: new Blob(['from code']),
    });
    expect(out.location).toBe(`${emu.endpoint}/${BUCKET}/code/u/file.txt`);
    expect(stored('code/u/file.txt')).toBe('from code');
  });

  it('maps a refusal to OssError with the OSS code', async () => {
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, credentials: emu.credentials }, platform);
    const error = await client
      .postObject({ key: 'code/too-big.txt', file: 'too long', policy: { contentLengthRange: [0, 3] } })
      .catch((e: unknown) => e);
    expect(isOssError(error) && error.code).toBe('EntityTooLarge');
    expect(isOssError(error) && error.status).toBe(400);
  });
});
