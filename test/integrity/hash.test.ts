import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  base64Utf8,
  createMd5,
  fromBase64,
  fromUtf8,
  hmacSha1,
  hmacSha256,
  md5,
  sha256,
  sha256Hex,
  toBase64,
  toHex,
  utf8,
} from '../../src/integrity/hash.js';

describe('hash', () => {
  it('utf8 encodes and decodes multi-byte text', () => {
    expect([...utf8('é中😀')]).toEqual([...Buffer.from('é中😀', 'utf8')]);
    expect(fromUtf8(utf8('é中😀'))).toBe('é中😀');
  });

  it('md5 gives the Content-MD5 example of docs/protocol.md, "Signature V1"', () => {
    expect(toBase64(md5('0123456789'))).toBe('eB5eJF1ptWaXm4bijSPyxw==');
  });

  it('incremental md5 equals one-shot', () => {
    const h = createMd5().update('01234').update(utf8('56789'));
    expect(toBase64(h.digest())).toBe('eB5eJF1ptWaXm4bijSPyxw==');
  });

  it('sha256Hex of empty input is the well-known constant', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256('abc'))).toBe(createHash('sha256').update('abc').digest('hex'));
  });

  it('hmacs agree with node:crypto for string and byte inputs', () => {
    const key = 'k€y';
    const msg = 'message ✓';
    expect(toHex(hmacSha1(key, msg))).toBe(createHmac('sha1', key).update(msg).digest('hex'));
    expect(toHex(hmacSha256(utf8(key), utf8(msg)))).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    // RFC 2202 test case 2 for HMAC-SHA1.
    expect(toHex(hmacSha1('Jefe', 'what do ya want for nothing?'))).toBe('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79');
  });

  it('toBase64/fromBase64 round-trip every length and all byte values', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    for (let n = 0; n <= 256; n++) {
      const slice = all.subarray(256 - n);
      const b64 = toBase64(slice);
      expect(b64).toBe(Buffer.from(slice).toString('base64'));
      expect([...fromBase64(b64)]).toEqual([...slice]);
    }
  });

  it('fromBase64 accepts URL-safe input, missing padding and whitespace', () => {
    expect([...fromBase64('-_8')]).toEqual([0xfb, 0xff]);
    expect([...fromBase64('AQ\nID')]).toEqual([1, 2, 3]);
    expect([...fromBase64('AQ')]).toEqual([1]);
  });

  it('fromBase64 rejects invalid characters and a dangling symbol', () => {
    expect(() => fromBase64('A*==')).toThrow(TypeError);
    expect(() => fromBase64('AQIDB')).toThrow(TypeError);
    expect(() => fromBase64('AQ==AQ')).toThrow(TypeError);
  });

  it('base64Utf8 encodes the callback-var example of docs/protocol.md, "Upload callbacks"', () => {
    expect(base64Utf8('{"x:my_var":"hello"}')).toBe('eyJ4Om15X3ZhciI6ImhlbGxvIn0=');
    expect(fromUtf8(fromBase64(base64Utf8('中文 ✓')))).toBe('中文 ✓');
  });
});
