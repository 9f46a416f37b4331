import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/integrity/crc32.js';
import { randomBytes } from '../helpers/prng.js';

describe('crc32', () => {
  it('gives the CRC-32 check value of "123456789"', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('agrees with zlib on random data, also when continued in pieces', () => {
    for (const size of [1, 7, 100, 4097]) {
      const data = randomBytes(size, size);
      expect(crc32(data)).toBe(zlibCrc32(data));
      const cut = Math.floor(size / 3);
      expect(crc32(data.subarray(cut), crc32(data.subarray(0, cut)))).toBe(zlibCrc32(data));
    }
  });
});
