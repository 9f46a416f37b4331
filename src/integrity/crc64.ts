/**
 * CRC-64/XZ, the checksum OSS returns as `x-oss-hash-crc64ecma` (docs/protocol.md, "CRC-64").
 *
 * The hot loop is table-driven. Updates of WASM_MIN_BYTES or more run slicing-by-16 in
 * WebAssembly over 64-bit integers (crc64-wasm.ts, about 1.8 GB/s on Node 20, bench/crc64.mjs);
 * shorter ones, and hosts without WebAssembly, run slicing-by-8 in JS over two 32-bit halves with
 * Uint32Array tables (about 850 MB/s): no BigInt per byte either way. BigInt appears only at the
 * edges (decimal in/out) and in the rarely called combine.
 */
import { createCrc64Wasm, type Crc64Kernel } from './crc64-wasm.js';

// Reflected polynomial 0xC96C5795D7870F42, split into halves.
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;

// TABLE_LO/HI[k * 256 + n]: the CRC of byte n followed by k zero bytes (slicing-by-8 tables).
// Built by functions marked pure, not by top-level loops: a bundle that never hashes drops them.
// (Literal arguments, 2048 = 8 * 256: esbuild keeps a pure call whose arguments do arithmetic.)
const TABLES = /* @__PURE__ */ buildTables();
const TABLE_LO = /* @__PURE__ */ TABLES.subarray(0, 2048);
const TABLE_HI = /* @__PURE__ */ TABLES.subarray(2048);

function buildTables(): Uint32Array {
  const tables = new Uint32Array(16 * 256);
  const TABLE_LO = tables.subarray(0, 8 * 256);
  const TABLE_HI = tables.subarray(8 * 256);
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const odd = lo & 1;
      lo = (lo >>> 1) | ((hi & 1) << 31);
      hi >>>= 1;
      if (odd) {
        lo ^= POLY_LO;
        hi ^= POLY_HI;
      }
    }
    TABLE_LO[n] = lo;
    TABLE_HI[n] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + n]!;
      const prevHi = TABLE_HI[(k - 1) * 256 + n]!;
      const idx = prevLo & 0xff;
      TABLE_LO[k * 256 + n] = ((prevLo >>> 8) | (prevHi << 24)) ^ TABLE_LO[idx]!;
      TABLE_HI[k * 256 + n] = (prevHi >>> 8) ^ TABLE_HI[idx]!;
    }
  }
  return tables;
}

// Below this, copying into WebAssembly memory and the call cost about what they save (measured).
const WASM_MIN_BYTES = 256;
// Compiled on the first large update, not at import (package.json sideEffects: false);
// null once WebAssembly turned out to be unavailable.
let kernel: Crc64Kernel | null | undefined;
const register = /* @__PURE__ */ new Uint32Array(2);

function wasmKernel(): Crc64Kernel | null {
  if (kernel === undefined) kernel = createCrc64Wasm(TABLE_LO, TABLE_HI);
  return kernel;
}

const MASK64 = 0xffff_ffff_ffff_ffffn;
const LITTLE_ENDIAN = /* @__PURE__ */ isLittleEndian();

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
}

function parseCrc(value: string): bigint {
  if (!/^\d{1,20}$/.test(value)) throw new TypeError('A CRC-64 must be an unsigned decimal string');
  const n = BigInt(value);
  if (n > MASK64) throw new TypeError('A CRC-64 must fit in 64 bits');
  return n;
}

/**
 * Streaming CRC-64/XZ. Seed it with a previous CRC to continue that data (AppendObject, resume).
 *
 * @example
 * const crc = new Crc64();
 * crc.update(chunk1).update(chunk2);
 * crc.digest(); // '11051210869376104954' for '123456789'
 */
export class Crc64 {
  // Internal register (the complemented CRC), as two unsigned 32-bit halves.
  #lo: number;
  #hi: number;
  #bytes = 0;

  /** @param seed the decimal CRC of the data that precedes what will be passed to update(). */
  constructor(seed = '0') {
    const reg = ~parseCrc(seed) & MASK64;
    this.#lo = Number(reg & 0xffffffffn) >>> 0;
    this.#hi = Number(reg >> 32n) >>> 0;
  }

  /** Feeds bytes; returns this for chaining. */
  update(bytes: Uint8Array): this {
    const n = bytes.length;
    const fast = n >= WASM_MIN_BYTES ? wasmKernel() : null;
    if (fast) {
      register[0] = this.#lo;
      register[1] = this.#hi;
      fast(register, bytes);
      this.#lo = register[0]!;
      this.#hi = register[1]!;
      this.#bytes += n;
      return this;
    }
    // Byte at a time until 4-byte aligned, so the main loop can read 32-bit words through a
    // Uint32Array view (about 1.4x faster than assembling words from bytes).
    let i = 0;
    while (i < n && ((bytes.byteOffset + i) & 3) !== 0) i++;
    this.#bytewise(bytes, 0, i);
    // Big-endian engines (none we target) would read words byte-swapped: they take the slow path.
    const words = LITTLE_ENDIAN ? ((n - i) >>> 3) << 1 : 0;
    if (words > 0) {
      const view = new Uint32Array(bytes.buffer, bytes.byteOffset + i, words);
      const TL = TABLE_LO;
      const TH = TABLE_HI;
      let lo = this.#lo;
      let hi = this.#hi;
      for (let w = 0; w < words; w += 2) {
        const l = lo ^ view[w]!;
        const h = hi ^ view[w + 1]!;
        const a = 1792 + (l & 0xff);
        const b = 1536 + ((l >>> 8) & 0xff);
        const c = 1280 + ((l >>> 16) & 0xff);
        const d = 1024 + (l >>> 24);
        const e = 768 + (h & 0xff);
        const f = 512 + ((h >>> 8) & 0xff);
        const g = 256 + ((h >>> 16) & 0xff);
        const k = h >>> 24;
        lo = TL[a]! ^ TL[b]! ^ TL[c]! ^ TL[d]! ^ TL[e]! ^ TL[f]! ^ TL[g]! ^ TL[k]!;
        hi = TH[a]! ^ TH[b]! ^ TH[c]! ^ TH[d]! ^ TH[e]! ^ TH[f]! ^ TH[g]! ^ TH[k]!;
      }
      this.#lo = lo >>> 0;
      this.#hi = hi >>> 0;
      i += words * 4;
    }
    this.#bytewise(bytes, i, n);
    this.#bytes += n;
    return this;
  }

  /** The plain one-table loop, for unaligned heads and short tails. */
  #bytewise(bytes: Uint8Array, from: number, to: number): void {
    let lo = this.#lo;
    let hi = this.#hi;
    for (let i = from; i < to; i++) {
      const idx = (lo ^ bytes[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!;
      hi = (hi >>> 8) ^ TABLE_HI[idx]!;
    }
    this.#lo = lo >>> 0;
    this.#hi = hi >>> 0;
  }

  /** The CRC so far, as OSS prints it: unsigned decimal. Does not reset the state. */
  digest(): string {
    const reg = (BigInt(this.#hi >>> 0) << 32n) | BigInt(this.#lo >>> 0);
    return (~reg & MASK64).toString();
  }

  /** Bytes passed to update() on this instance (not counting a seed's data). */
  get bytesProcessed(): number {
    return this.#bytes;
  }
}

/**
 * One-shot CRC-64/XZ as an unsigned decimal string.
 * @example crc64(new TextEncoder().encode('123456789')) // '11051210869376104954'
 */
export function crc64(bytes: Uint8Array): string {
  return new Crc64().update(bytes).digest();
}

// --- combine: zlib's crc32_combine (x^(8n) mod P multiplication) ported to 64 bits, in BigInt. ---

// Literals (POLY_HI and POLY_LO joined; 1 << 63), not expressions: a bundle that never combines
// drops them.
const POLY = 0xc96c5795_d7870f42n;
const TOP = 0x8000_0000_0000_0000n; // x^0 in the reflected representation

/** a(x) * b(x) mod P(x), reflected bit order. */
function multModP(a: bigint, b: bigint): bigint {
  let m = TOP;
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ POLY : b >> 1n;
  }
  return p;
}

// X2N[k] = x^(2^k) mod P.
const X2N: bigint[] = /* @__PURE__ */ buildX2N();

function buildX2N(): bigint[] {
  const x2n = [TOP >> 1n];
  for (let k = 1; k < 64; k++) x2n.push(multModP(x2n[k - 1]!, x2n[k - 1]!));
  return x2n;
}

/** x^(8·bytes) mod P: the operator that shifts a CRC past `bytes` zero bytes. */
function shiftOperator(bytes: number): bigint {
  let p = TOP;
  let k = 3; // 2^3 bits per byte
  let n = BigInt(bytes);
  while (n > 0n) {
    if (n & 1n) p = multModP(X2N[k & 63]!, p);
    n >>= 1n;
    k++;
  }
  return p;
}

// Multipart uploads combine many equal-sized parts: remember a few operators.
const operatorCache = new Map<number, bigint>();

function cachedShiftOperator(bytes: number): bigint {
  let op = operatorCache.get(bytes);
  if (op === undefined) {
    op = shiftOperator(bytes);
    if (operatorCache.size >= 16) operatorCache.delete(operatorCache.keys().next().value!);
    operatorCache.set(bytes, op);
  }
  return op;
}

/**
 * CRC of A‖B from crc(A), crc(B) and the length of B, without the data (docs/protocol.md, "CRC-64").
 * @example combineCrc64(crc64(a), crc64(b), b.length) === crc64(concat(a, b))
 */
export function combineCrc64(crcA: string, crcB: string, lengthB: number): string {
  if (!Number.isSafeInteger(lengthB) || lengthB < 0) throw new RangeError('lengthB must be a non-negative integer');
  const a = parseCrc(crcA);
  const b = parseCrc(crcB);
  if (lengthB === 0) return a.toString();
  return (multModP(cachedShiftOperator(lengthB), a) ^ b).toString();
}

/**
 * The whole object's CRC from its parts' CRCs, folded from '0' in the order given
 * (callers pass parts sorted by part number).
 * @example combineCrc64Parts([{ crc64: '…', size: 8388608 }, { crc64: '…', size: 1024 }])
 */
export function combineCrc64Parts(parts: readonly { crc64: string; size: number }[]): string {
  let crc = '0';
  for (const part of parts) crc = combineCrc64(crc, part.crc64, part.size);
  return crc;
}
