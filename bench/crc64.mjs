// CRC-64 throughput: streaming Crc64 over 64 MiB in 1 MiB chunks, plus combine cost.
// ali-oss computes no CRC-64 (it checks none by default), so there is no ali-oss ratio here; as a
// yardstick the same data goes through node:zlib's native CRC-32 (C, not comparable work, but it
// shows how far a JS checksum is from a native one).
// Prints one JSON line. Run after `npm run build`: node bench/crc64.mjs
import { crc32 } from 'node:zlib';
import { Crc64, combineCrc64, crc64 } from '../dist/index.node.js';

const MiB = 1024 * 1024;
const TOTAL = 64 * MiB;
const CHUNK = MiB;
const ROUNDS = 3;

const data = new Uint8Array(TOTAL);
let x = 0x9e3779b9;
for (let i = 0; i < TOTAL; i++) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  data[i] = x & 0xff;
}

// Warm up the JIT on a smaller buffer first.
crc64(data.subarray(0, 4 * MiB));

let best = Infinity;
let digest = '';
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  const crc = new Crc64();
  for (let off = 0; off < TOTAL; off += CHUNK) crc.update(data.subarray(off, off + CHUNK));
  digest = crc.digest();
  best = Math.min(best, performance.now() - start);
}

let nativeBest = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  let c = 0;
  for (let off = 0; off < TOTAL; off += CHUNK) c = crc32(data.subarray(off, off + CHUNK), c);
  nativeBest = Math.min(nativeBest, performance.now() - start);
}

const parts = 1000;
const partCrc = crc64(data.subarray(0, 8 * MiB));
const combineStart = performance.now();
let combined = '0';
for (let i = 0; i < parts; i++) combined = combineCrc64(combined, partCrc, 8 * MiB + (i % 3));
const combineMs = performance.now() - combineStart;

console.log(
  JSON.stringify({
    bench: 'crc64',
    bytes: TOTAL,
    chunkBytes: CHUNK,
    bestMs: Number(best.toFixed(1)),
    mbPerSec: Number((TOTAL / MiB / (best / 1000)).toFixed(1)),
    combineOpsPerSec: Math.round(parts / (combineMs / 1000)),
    nativeCrc32MbPerSec: Number((TOTAL / MiB / (nativeBest / 1000)).toFixed(1)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    digest,
  }),
);
