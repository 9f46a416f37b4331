/** createPostPolicy() without a server: fields, the conditions that pin them, limits, signatures. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import { createPostPolicy, type PostPolicyConfig } from '../../src/handoff/post-policy.js';
import { postPolicySignatureV4 } from '../../src/signer/post-policy.js';

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const NOW = new Date('2024-03-05T06:07:08Z');
const config: PostPolicyConfig = { region: 'cn-hangzhou', bucket: 'examplebucket', credentials: creds, now: () => NOW };

function decode(policy: string): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
}

async function refusal(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
}

describe('createPostPolicy', () => {
  it('V4: returns the bucket URL, the V4 fields and a policy pinning every field', async () => {
    const callback = { url: 'https://app.example/cb', body: 'o=${object}&u=${x:uid}', vars: { 'x:uid': '42' } };
    const out = await createPostPolicy(config, {
      key: 'uploads/a.txt',
      expires: 600,
      contentLengthRange: [1, 1024],
      successActionStatus: 201,
      contentType: 'text/plain',
      callback,
      conditions: [['starts-with', '$x-oss-meta-tag', '']],
    });
    expect(out.url).toBe('https://examplebucket.oss-cn-hangzhou.aliyuncs.com/');
    expect(out.expiration.toISOString()).toBe('2024-03-05T06:17:08.000Z');
    const f = out.fields;
    expect(f.key).toBe('uploads/a.txt');
    expect(f.success_action_status).toBe('201');
    expect(f['Content-Type']).toBe('text/plain');
    expect(f['x:uid']).toBe('42');
    expect(JSON.parse(Buffer.from(f.callback!, 'base64').toString())).toMatchObject({ callbackUrl: 'https://app.example/cb' });
    expect(f['x-oss-signature-version']).toBe('OSS4-HMAC-SHA256');
    expect(f['x-oss-credential']).toBe('ak/20240305/cn-hangzhou/oss/aliyun_v4_request');
    expect(f['x-oss-date']).toBe('20240305T060708Z');
    expect(f['x-oss-signature']).toBe(postPolicySignatureV4(f.policy!, 'sk', '20240305', 'cn-hangzhou'));
    const policy = decode(f.policy!);
    expect(policy.expiration).toBe('2024-03-05T06:17:08.000Z');
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'examplebucket' },
        ['eq', '$key', 'uploads/a.txt'],
        ['content-length-range', 1, 1024],
        { success_action_status: '201' },
        ['eq', '$Content-Type', 'text/plain'],
        { callback: f.callback },
        { 'x:uid': '42' },
        ['starts-with', '$x-oss-meta-tag', ''],
        { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
        { 'x-oss-credential': f['x-oss-credential'] },
        { 'x-oss-date': f['x-oss-date'] },
      ]),
    );
  });

  it('V1: OSSAccessKeyId, policy, Signature; keyPrefix becomes starts-with and no key field', async () => {
    const out = await createPostPolicy(
      { ...config, signatureVersion: 'v1', endpoint: 'http://127.0.0.1:9000' },
      { keyPrefix: 'user/7/' },
    );
    expect(out.url).toBe('http://127.0.0.1:9000/examplebucket/');
    expect(Object.keys(out.fields).sort()).toEqual(['OSSAccessKeyId', 'Signature', 'policy']);
    expect(out.fields.Signature).toBe(createHmac('sha1', 'sk').update(out.fields.policy!).digest('base64'));
    expect(decode(out.fields.policy!).conditions).toEqual([{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/7/']]);
  });

  it('includes the security token of STS credentials as a field (and, in V4, a condition)', async () => {
    const sts = async () => ({ ...creds, securityToken: 'TOKEN', expiration: new Date(NOW.getTime() + 3_600_000) });
    const v4 = await createPostPolicy({ ...config, credentials: sts }, { key: 'k' });
    expect(v4.fields['x-oss-security-token']).toBe('TOKEN');
    expect(decode(v4.fields.policy!).conditions).toContainEqual({ 'x-oss-security-token': 'TOKEN' });
    const v1 = await createPostPolicy({ ...config, credentials: sts, signatureVersion: 'v1' }, { key: 'k' });
    expect(v1.fields['x-oss-security-token']).toBe('TOKEN');
    await refusal(createPostPolicy({ ...config, credentials: sts }, { key: 'k', expires: 3601 }));
  });

  it('refuses contradictory or out-of-range options', async () => {
    await refusal(createPostPolicy(config, { key: 'a', keyPrefix: 'b' }));
    await refusal(createPostPolicy(config, { key: 'k', expires: 604_801 }));
    await refusal(createPostPolicy(config, { key: 'k', expires: 0 }));
    await refusal(createPostPolicy(config, { key: 'k', contentLengthRange: [10, 1] }));
    await refusal(createPostPolicy(config, { key: 'k', contentLengthRange: [-1, 1] }));
    await refusal(createPostPolicy(config, { key: 'k', successActionStatus: 302 as 200 }));
    await refusal(createPostPolicy({ ...config, bucket: undefined }, { key: 'k' }));
    await refusal(createPostPolicy(config, { key: 'k', callback: { url: '', body: 'x' } }));
  });
});
