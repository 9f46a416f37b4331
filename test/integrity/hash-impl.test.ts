/**
 * The two digest backends must be interchangeable: src/integrity/hash-impl.ts (@noble/hashes, browsers and
 * tests) and src/integrity/hash-impl.node.ts (node:crypto, swapped in by the Node build). Every function is
 * run on the same inputs through both and the outputs compared byte for byte.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as nodeImpl from '../../src/integrity/hash-impl.node.js';
import * as portable from '../../src/integrity/hash-impl.js';
import type { BytesLike } from '../../src/integrity/hash-impl.js';

// Type-level: the Node backend offers every export of the portable one with a compatible signature.
const backends: (typeof portable)[] = [portable, nodeImpl];
void backends;

/** xorshift32: reproducible "random" inputs, so a failure can be replayed. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

const rand = prng(0x5eed);
const int = (max: number) => Math.floor(rand() * max);

function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = int(256);
  return out;
}

// ASCII, Latin-1, CJK, emoji (surrogate pairs) and lone surrogates (both encoders write U+FFFD).
const ALPHABET = ['a', 'Z', '0', ' ', '/', '\n', 'é', 'ß', '中', '文', 'ключ', '😀', '🚀', '\u0000', '\ud800', '\udfff'];

function randomString(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[int(ALPHABET.length)]!;
  return s;
}

/** A mix of edge cases and random strings/bytes, some of them views into a larger buffer. */
function inputs(): BytesLike[] {
  const list: BytesLike[] = ['', new Uint8Array(0), 'abc', '中文 ✓ 😀', '\ud83d', 'x'.repeat(64), 'x'.repeat(65)];
  for (let i = 0; i < 150; i++) {
    const length = int(i < 100 ? 200 : 5000);
    if (i % 3 === 0) list.push(randomString(length));
    else if (i % 3 === 1) list.push(randomBytes(length));
    else list.push(randomBytes(length + 7).subarray(3, 3 + length)); // non-zero byteOffset
  }
  list.push(randomBytes(3 * 1024 * 1024 + 1), randomString(100_000));
  return list;
}

const DATA = inputs();
const KEYS: BytesLike[] = ['', 'secret', 'k'.repeat(64), 'k'.repeat(65), '密钥🔑', randomBytes(32), randomBytes(200).subarray(5, 150)];

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function label(value: BytesLike): string {
  return typeof value === 'string' ? `string(${value.length})` : `bytes(${value.byteLength}@${value.byteOffset})`;
}

describe('hash backends agree', () => {
  it('sha256, sha256Hex, md5 and toHex on every input', () => {
    for (const data of DATA) {
      const where = label(data);
      if (typeof data !== 'string') {
        expect(nodeImpl.toHex(data), where).toBe(hex(data));
        expect(portable.toHex(data), where).toBe(hex(data));
      }
      expect(hex(nodeImpl.sha256(data)), where).toBe(hex(portable.sha256(data)));
      expect(nodeImpl.sha256Hex(data), where).toBe(portable.sha256Hex(data));
      expect(hex(nodeImpl.md5(data)), where).toBe(hex(portable.md5(data)));
    }
  });

  it('hmacSha1 and hmacSha256 for keys shorter, equal to and longer than the block size', () => {
    for (const [i, data] of DATA.entries()) {
      const key = KEYS[i % KEYS.length]!;
      const where = `${label(key)} / ${label(data)}`;
      expect(hex(nodeImpl.hmacSha1(key, data)), where).toBe(hex(portable.hmacSha1(key, data)));
      expect(hex(nodeImpl.hmacSha256(key, data)), where).toBe(hex(portable.hmacSha256(key, data)));
    }
  });

  it('incremental md5 and sha256 over random splits of string and byte chunks equal one-shot', () => {
    for (const data of DATA.slice(0, 80)) {
      const whole = typeof data === 'string' ? new TextEncoder().encode(data) : data;
      const impls = [nodeImpl, portable] as const;
      const md5s = impls.map((impl) => impl.createMd5());
      const shas = impls.map((impl) => impl.createSha256());
      for (let at = 0; at < whole.byteLength; ) {
        const next = Math.min(whole.byteLength, at + 1 + int(300));
        const chunk = whole.subarray(at, next);
        for (const h of [...md5s, ...shas]) h.update(chunk);
        at = next;
      }
      const oneShotMd5 = hex(portable.md5(whole));
      const oneShotSha = portable.sha256Hex(whole);
      for (const h of md5s) expect(hex(h.digest()), label(data)).toBe(oneShotMd5);
      for (const h of shas) expect(hex(h.digest()), label(data)).toBe(oneShotSha);
    }
    // Mixed string and byte chunks, chained.
    for (const impl of [nodeImpl, portable]) {
      expect(hex(impl.createMd5().update('01234').update(new TextEncoder().encode('56789')).digest())).toBe(
        createHash('md5').update('0123456789').digest('hex'),
      );
    }
  });

  it('both match node:crypto on known values (neither backend is checked only against the other)', () => {
    for (const impl of [nodeImpl, portable]) {
      expect(impl.sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
      expect(Buffer.from(impl.md5('0123456789')).toString('base64')).toBe('eB5eJF1ptWaXm4bijSPyxw==');
      // RFC 2202 §3 case 2 and RFC 4231 §4.3 case 2.
      expect(hex(impl.hmacSha1('Jefe', 'what do ya want for nothing?'))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
      expect(hex(impl.hmacSha256('Jefe', 'what do ya want for nothing?'))).toBe(
        '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      );
      expect(hex(impl.hmacSha256('密钥', '中文'))).toBe(createHmac('sha256', '密钥').update('中文').digest('hex'));
    }
  });

  it('the Node backend hands out plain Uint8Arrays that own their bytes, never Buffers', () => {
    const outputs = [
      nodeImpl.md5('x'),
      nodeImpl.sha256('x'),
      nodeImpl.hmacSha1('k', 'x'),
      nodeImpl.hmacSha256('k', 'x'),
      nodeImpl.createMd5().update('x').digest(),
      nodeImpl.createSha256().update('x').digest(),
    ];
    for (const out of outputs) {
      expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
      expect(out.byteOffset).toBe(0);
      expect(out.buffer.byteLength).toBe(out.byteLength);
    }
  });

  it('does not change its inputs', () => {
    const key = randomBytes(80);
    const data = randomBytes(1000);
    const before = hex(key) + hex(data);
    nodeImpl.hmacSha256(key, data);
    portable.hmacSha256(key, data);
    nodeImpl.createMd5().update(data).digest();
    expect(hex(key) + hex(data)).toBe(before);
  });
});
