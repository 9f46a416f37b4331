import { describe, expect, it } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import {
  requireBucket,
  requireField,
  validateBucketName,
  validateExpires,
  validateIntRange,
  validateKey,
  validatePartNumber,
} from '../../src/commands/validate.js';

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('validateBucketName', () => {
  it('accepts valid names', () => {
    for (const name of ['abc', 'my-bucket-1', 'a'.repeat(63), '123']) expect(() => validateBucketName(name)).not.toThrow();
  });
  it('says what is wrong', () => {
    expect(refusal(() => validateBucketName('ab'))).toMatch(/3 to 63/);
    expect(refusal(() => validateBucketName('a'.repeat(64)))).toMatch(/3 to 63/);
    expect(refusal(() => validateBucketName('My_Bucket'))).toMatch(/lower-case letters, digits and hyphens/);
    expect(refusal(() => validateBucketName('-abc'))).toMatch(/hyphen/);
    expect(refusal(() => validateBucketName('abc-'))).toMatch(/hyphen/);
    expect(refusal(() => validateBucketName('a.b.c'))).toMatch(/lower-case/);
  });
});

describe('validateKey', () => {
  it('counts UTF-8 bytes, not characters', () => {
    expect(() => validateKey('a'.repeat(1023))).not.toThrow();
    expect(refusal(() => validateKey('a'.repeat(1024)))).toMatch(/1024 bytes.*1023/);
    // 342 × 3-byte characters = 1026 bytes although only 342 characters.
    expect(refusal(() => validateKey('中'.repeat(342)))).toMatch(/1026 bytes/);
    expect(refusal(() => validateKey(''))).toMatch(/non-empty/);
  });
});

describe('other checks', () => {
  it('part numbers are 1–10000', () => {
    expect(() => validatePartNumber(1)).not.toThrow();
    expect(() => validatePartNumber(10_000)).not.toThrow();
    for (const n of [0, 10_001, 1.5, Number.NaN]) expect(refusal(() => validatePartNumber(n))).toMatch(/1 to 10000/);
  });
  it('expiry is 1…7 days by default', () => {
    expect(() => validateExpires(604_800)).not.toThrow();
    expect(refusal(() => validateExpires(604_801))).toMatch(/1 to 604800/);
    expect(refusal(() => validateExpires(0))).toMatch(/seconds/);
    expect(() => validateExpires(10, 5)).toThrow(/1 to 5/);
  });
  it('integer ranges and required fields', () => {
    expect(() => validateIntRange('maxKeys', undefined, 1, 1000)).not.toThrow();
    expect(refusal(() => validateIntRange('maxKeys', 1001, 1, 1000))).toMatch(/maxKeys 1001/);
    expect(refusal(() => requireBucket(undefined, 'PutObject'))).toMatch(/no bucket.*PutObject/);
    expect(requireBucket('b1', 'PutObject')).toBe('b1');
    expect(refusal(() => requireField('', 'key', 'GetObject'))).toMatch(/`key` is required/);
  });
});
