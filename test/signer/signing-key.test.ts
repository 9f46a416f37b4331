import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { toHex } from '../../src/integrity/hash.js';
import {
  clearSigningKeyCache,
  deriveSigningKeyV4,
  signingKeyCacheSize,
  signingKeyFor,
  signingKeyV4,
} from '../../src/signer/signing-key.js';

function reference(secret: string, date: string, region: string, product: string): string {
  const h = (key: string | Buffer, msg: string) => createHmac('sha256', key).update(msg).digest();
  return h(h(h(h('aliyun_v4' + secret, date), region), product), 'aliyun_v4_request').toString('hex');
}

describe('signing key', () => {
  beforeEach(() => clearSigningKeyCache());

  it('matches the §3.5 example', () => {
    expect(toHex(deriveSigningKeyV4('sk', '20231216', 'cn-hangzhou', 'oss'))).toBe(
      'b412a03b134ebddd720f5167b5de6db66620ebb3b01cff4d49e3ccb09f8de97f',
    );
  });

  it('matches a node:crypto HMAC chain for other inputs, product defaulting to oss', () => {
    expect(toHex(deriveSigningKeyV4('s€cret', '20240229', 'ap-southeast-1'))).toBe(
      reference('s€cret', '20240229', 'ap-southeast-1', 'oss'),
    );
    expect(toHex(signingKeyV4('x', '20240101', 'cb-1', 'oss-cloudbox'))).toBe(reference('x', '20240101', 'cb-1', 'oss-cloudbox'));
  });

  it('caches per (secret, date, region, product) and never confuses secrets', () => {
    const a = signingKeyV4('a', '20240101', 'r');
    expect(signingKeyV4('a', '20240101', 'r')).toBe(a);
    const b = signingKeyV4('b', '20240101', 'r');
    expect(toHex(b)).not.toBe(toHex(a));
    expect(toHex(signingKeyV4('a', '20240102', 'r'))).not.toBe(toHex(a));
    expect(signingKeyCacheSize()).toBe(3);
  });

  it('holds at most 50 keys, dropping the least recently used', () => {
    const first = signingKeyV4('s', '20240101', 'r0');
    let r1: Uint8Array | undefined;
    for (let i = 1; i < 60; i++) {
      const key = signingKeyV4('s', '20240101', `r${i}`);
      if (i === 1) r1 = key;
      if (i < 40) signingKeyV4('s', '20240101', 'r0'); // keep r0 hot for a while
    }
    expect(signingKeyCacheSize()).toBe(50);
    // r0 was kept hot, so it survived (same array); r1 was the oldest, so it was recomputed.
    expect(signingKeyV4('s', '20240101', 'r0')).toBe(first);
    const again = signingKeyV4('s', '20240101', 'r1');
    expect(again).not.toBe(r1);
    expect(toHex(again)).toBe(toHex(r1!));
  });

  it('signingKeyFor follows a credentials object whose secret, date or region changes', () => {
    const credentials = { accessKeySecret: 'first-secret' };
    expect(toHex(signingKeyFor(credentials, '20231216', 'cn-hangzhou'))).toBe(reference('first-secret', '20231216', 'cn-hangzhou', 'oss'));
    // Same inputs again: the memoised key, still the right one.
    expect(toHex(signingKeyFor(credentials, '20231216', 'cn-hangzhou'))).toBe(reference('first-secret', '20231216', 'cn-hangzhou', 'oss'));
    expect(toHex(signingKeyFor(credentials, '20231217', 'cn-hangzhou'))).toBe(reference('first-secret', '20231217', 'cn-hangzhou', 'oss'));
    expect(toHex(signingKeyFor(credentials, '20231217', 'cn-beijing', 'oss-cloudbox'))).toBe(
      reference('first-secret', '20231217', 'cn-beijing', 'oss-cloudbox'),
    );
    credentials.accessKeySecret = 'rotated-secret';
    expect(toHex(signingKeyFor(credentials, '20231217', 'cn-beijing', 'oss-cloudbox'))).toBe(
      reference('rotated-secret', '20231217', 'cn-beijing', 'oss-cloudbox'),
    );
    // Shares the bounded cache with signingKeyV4, and a cleared cache is not answered from the memo.
    expect(signingKeyV4('rotated-secret', '20231217', 'cn-beijing', 'oss-cloudbox')).toBe(
      signingKeyFor(credentials, '20231217', 'cn-beijing', 'oss-cloudbox'),
    );
    const before = signingKeyFor(credentials, '20231217', 'cn-beijing', 'oss-cloudbox');
    clearSigningKeyCache();
    const after = signingKeyFor(credentials, '20231217', 'cn-beijing', 'oss-cloudbox');
    expect(after).not.toBe(before);
    expect(toHex(after)).toBe(toHex(before));
    expect(signingKeyCacheSize()).toBe(1);
  });
});
