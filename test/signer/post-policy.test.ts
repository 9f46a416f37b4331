import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import { deriveSigningKeyV4 } from '../../src/signer/signing-key.js';
import { postPolicySignatureV1, postPolicySignatureV4, signPostPolicy } from '../../src/signer/post-policy.js';

const require = createRequire(import.meta.url);
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => {
  calculatePostSignature(policy: object): { OSSAccessKeyId: string; Signature: string; policy: string };
  signPostObjectPolicyV4(policy: object, date: Date): string;
};

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const now = new Date('2024-01-01T00:00:00Z');
const expiration = new Date('2024-01-01T01:00:00Z');
const conditions: unknown[] = [{ bucket: 'examplebucket' }, ['starts-with', '$key', 'user/中文/'], ['content-length-range', 1, 10485760]];

function decode(policy: string): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
}

describe('signPostPolicy v1', () => {
  it('returns the form fields, signing the base64 policy (§5.1)', () => {
    const fields = signPostPolicy({ expiration, conditions }, creds, { version: 'v1', now });
    expect(Object.keys(fields)).toEqual(['OSSAccessKeyId', 'policy', 'Signature']);
    expect(fields.OSSAccessKeyId).toBe('ak');
    expect(decode(fields.policy!)).toEqual({ expiration: '2024-01-01T01:00:00.000Z', conditions });
    expect(fields.Signature).toBe(createHmac('sha1', 'sk').update(fields.policy!).digest('base64'));
    expect(postPolicySignatureV1(fields.policy!, 'sk')).toBe(fields.Signature);
  });

  it('agrees with ali-oss calculatePostSignature', () => {
    const fields = signPostPolicy({ expiration, conditions }, creds, { version: 'v1', now });
    const ali = new OSS({ region: 'oss-cn-hangzhou', accessKeyId: 'ak', accessKeySecret: 'sk' });
    const expected = ali.calculatePostSignature(decode(fields.policy!));
    expect(expected.policy).toBe(fields.policy);
    expect(expected.Signature).toBe(fields.Signature);
  });

  it('adds x-oss-security-token for STS credentials', () => {
    const fields = signPostPolicy({ expiration, conditions }, { ...creds, securityToken: 'tok' }, { version: 'v1', now });
    expect(fields['x-oss-security-token']).toBe('tok');
  });
});

describe('signPostPolicy v4', () => {
  const region = 'cn-hangzhou';

  it('adds the required conditions to the policy and signs it with the V4 key (§5.2)', () => {
    const fields = signPostPolicy({ expiration, conditions }, { ...creds, securityToken: 'tok' }, { version: 'v4', now, region });
    expect(fields).toMatchObject({
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': 'ak/20240101/cn-hangzhou/oss/aliyun_v4_request',
      'x-oss-date': '20240101T000000Z',
      'x-oss-security-token': 'tok',
    });
    expect(decode(fields.policy!).conditions).toEqual([
      ...conditions,
      { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
      { 'x-oss-credential': 'ak/20240101/cn-hangzhou/oss/aliyun_v4_request' },
      { 'x-oss-date': '20240101T000000Z' },
      { 'x-oss-security-token': 'tok' },
    ]);
    const key = Buffer.from(deriveSigningKeyV4('sk', '20240101', region));
    expect(fields['x-oss-signature']).toBe(createHmac('sha256', key).update(fields.policy!).digest('hex'));
    expect(postPolicySignatureV4(fields.policy!, 'sk', '20240101', region)).toBe(fields['x-oss-signature']);
  });

  it('agrees with ali-oss signPostObjectPolicyV4', () => {
    const fields = signPostPolicy({ expiration, conditions }, creds, { version: 'v4', now, region });
    const ali = new OSS({ region: 'oss-cn-hangzhou', accessKeyId: 'ak', accessKeySecret: 'sk' });
    expect(ali.signPostObjectPolicyV4(decode(fields.policy!), now)).toBe(fields['x-oss-signature']);
  });

  it('refuses a missing region and expirations outside (now, now + 7 days]', () => {
    const tooLate = new Date(now.getTime() + 604_801_000);
    const cases: [Date, string | undefined][] = [
      [expiration, undefined],
      [now, region],
      [new Date(now.getTime() - 1000), region],
      [tooLate, region],
      [new Date(Number.NaN), region],
    ];
    for (const [exp, r] of cases) {
      let caught: unknown;
      try {
        signPostPolicy({ expiration: exp, conditions }, { accessKeyId: 'ak', accessKeySecret: 'SECRET' }, { version: 'v4', now, region: r });
      } catch (err) {
        caught = err;
      }
      expect(isOssClientError(caught, 'InvalidArgument')).toBe(true);
      expect((caught as Error).message).not.toContain('SECRET');
    }
    const edge = signPostPolicy({ expiration: new Date(now.getTime() + 604_800_000), conditions }, creds, { version: 'v4', now, region });
    expect(edge['x-oss-signature']).toMatch(/^[0-9a-f]{64}$/);
  });
});
