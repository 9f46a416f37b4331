/**
 * The WebAssembly CRC-64 kernel (src/integrity/crc64-wasm.ts) against an independent BigInt reference, and
 * Crc64's two paths (WebAssembly for large updates, JS for small ones and as the fallback) against
 * each other.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Crc64, crc64 } from '../../src/integrity/crc64.js';
import { createCrc64Wasm } from '../../src/integrity/crc64-wasm.js';
import { randomBytes } from '../helpers/prng.js';

const POLY = 0xc96c5795d7870f42n;
const MASK = (1n << 64n) - 1n;

/** Bit-by-bit CRC-64/XZ from the parameters (docs/protocol.md, "CRC-64"), continuing from `seed`. */
function referenceCrc(data: Uint8Array, seed = 0n): bigint {
  let crc = ~seed & MASK;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ POLY : crc >> 1n;
  }
  return ~crc & MASK;
}

/** Slicing-by-8 tables built here from the polynomial, independent of src/integrity/crc64.ts. */
function slicingTables(): { lo: Uint32Array; hi: Uint32Array } {
  const table: bigint[] = [];
  for (let n = 0; n < 256; n++) {
    let crc = BigInt(n);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ POLY : crc >> 1n;
    table.push(crc);
  }
  const lo = new Uint32Array(8 * 256);
  const hi = new Uint32Array(8 * 256);
  let prev = table;
  for (let k = 0; k < 8; k++) {
    prev.forEach((v, n) => {
      lo[k * 256 + n] = Number(v & 0xffffffffn);
      hi[k * 256 + n] = Number(v >> 32n);
    });
    prev = prev.map((v) => (v >> 8n) ^ table[Number(v & 0xffn)]!);
  }
  return { lo, hi };
}

/** Runs the kernel from a decimal-CRC seed and returns the CRC it ends with. */
function viaKernel(kernel: NonNullable<ReturnType<typeof createCrc64Wasm>>, data: Uint8Array, seed = 0n): bigint {
  const reg = ~seed & MASK;
  const register = new Uint32Array([Number(reg & 0xffffffffn), Number(reg >> 32n)]);
  kernel(register, data);
  return ~((BigInt(register[1]!) << 32n) | BigInt(register[0]!)) & MASK;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('crc64 WebAssembly kernel', () => {
  const { lo, hi } = slicingTables();
  const kernel = createCrc64Wasm(lo, hi);

  it('compiles in Node (so Crc64 really takes the fast path here)', () => {
    expect(kernel).toBeTypeOf('function');
  });

  it('matches the bit-by-bit reference at every length 0..70, every alignment, and across the 64 KiB chunk', () => {
    const data = randomBytes(200_011, 7);
    for (let n = 0; n <= 70; n++) {
      for (let offset = 0; offset < 8; offset++) {
        const view = data.subarray(offset, offset + n);
        expect(viaKernel(kernel!, view), `n=${n} offset=${offset}`).toBe(referenceCrc(view));
      }
    }
    for (const n of [65_535, 65_536, 65_537, 131_079, 200_003]) {
      const view = data.subarray(3, 3 + n);
      expect(viaKernel(kernel!, view), `n=${n}`).toBe(referenceCrc(view));
    }
  });

  it('continues from a seed', () => {
    const data = randomBytes(5000, 11);
    const seed = referenceCrc(data.subarray(0, 1234));
    expect(viaKernel(kernel!, data.subarray(1234), seed)).toBe(referenceCrc(data));
  });
});

describe('Crc64 paths agree', () => {
  it('one large update (WebAssembly) equals small updates (JS) equals the reference', () => {
    const data = randomBytes(300_007, 3);
    const small = new Crc64();
    for (let off = 0; off < data.length; off += 311) small.update(data.subarray(off, off + 311));
    const large = new Crc64().update(data);
    expect(large.digest()).toBe(small.digest());
    expect(large.digest()).toBe(referenceCrc(data).toString());
    expect(large.bytesProcessed).toBe(data.length);
  });

  it('interleaved instances keep their own state (the kernel memory is shared)', () => {
    const a = randomBytes(40_000, 5);
    const b = randomBytes(40_000, 6);
    const ca = new Crc64();
    const cb = new Crc64('12345');
    for (let off = 0; off < a.length; off += 4000) {
      ca.update(a.subarray(off, off + 4000));
      cb.update(b.subarray(off, off + 4000));
    }
    expect(ca.digest()).toBe(crc64(a));
    expect(cb.digest()).toBe(referenceCrc(b, 12345n).toString());
  });

  it('falls back to the JS loop where WebAssembly is missing', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    vi.resetModules();
    const fresh = await import('../../src/integrity/crc64.js');
    const wasm = await import('../../src/integrity/crc64-wasm.js');
    expect(wasm.createCrc64Wasm(new Uint32Array(2048), new Uint32Array(2048))).toBeNull();
    const data = randomBytes(70_001, 9);
    expect(fresh.crc64(data)).toBe(referenceCrc(data).toString());
  });
});
