// CRC-64 throughput: osskit's streaming Crc64 (WebAssembly kernel) over 64 MiB in 1 MiB update()
// calls, against crc64-ecma182.js (the CRC-64 package ali-oss's ecosystem uses, an Emscripten build
// of C) on the same bytes and chunks; plus combineCrc64 calls per second (how part CRCs are folded).
// Rounds alternate the two and each reports its median. node:zlib's native CRC-32 is shown as a
// yardstick for compiled code. Both libraries share this process (pure CPU, no I/O).
// Prints one JSON line. Run after `npm run build`: node bench/crc64.mjs [rounds]
import { createRequire } from 'node:module';
import { crc32 } from 'node:zlib';
import { Crc64, combineCrc64, crc64 } from '../dist/index.node.js';
import { median } from './child.mjs';

const MiB = 1024 * 1024;
const TOTAL = 64 * MiB;
const CHUNK = MiB;
const ROUNDS = Math.max(3, Number(process.argv[2] ?? 5));

const data = Buffer.alloc(TOTAL);
let x = 0x9e3779b9;
for (let i = 0; i < TOTAL; i++) {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  data[i] = x & 0xff;
}

let other;
let otherNote;
try {
  other = createRequire(import.meta.url)('crc64-ecma182.js');
} catch (error) {
  otherNote = `crc64-ecma182.js unavailable: ${error.message}`;
}

const runs = { osskit: [], other: [], native: [] };
let digest = '';
let otherDigest = '';
const time = (fn) => {
  const start = performance.now();
  fn();
  return performance.now() - start;
};
const ours = () => {
  const crc = new Crc64();
  for (let off = 0; off < TOTAL; off += CHUNK) crc.update(data.subarray(off, off + CHUNK));
  digest = crc.digest();
};
const theirs = () => {
  let crc = '0';
  for (let off = 0; off < TOTAL; off += CHUNK) crc = other.crc64(data.subarray(off, off + CHUNK), crc);
  otherDigest = crc;
};
// Warm-up (JIT, WebAssembly compile) on both.
crc64(data.subarray(0, 4 * MiB));
other?.crc64(data.subarray(0, 4 * MiB));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? ['other', 'osskit'] : ['osskit', 'other'];
  for (const lib of order) {
    if (lib === 'osskit') runs.osskit.push(time(ours));
    else if (other) runs.other.push(time(theirs));
  }
  runs.native.push(
    time(() => {
      let c = 0;
      for (let off = 0; off < TOTAL; off += CHUNK) c = crc32(data.subarray(off, off + CHUNK), c);
    }),
  );
}
if (other && otherDigest !== digest) otherNote = `crc64-ecma182.js disagrees: ${otherDigest} vs ${digest}`;

const parts = 1000;
const partCrc = crc64(data.subarray(0, 8 * MiB));
const combineStart = performance.now();
let combined = '0';
for (let i = 0; i < parts; i++) combined = combineCrc64(combined, partCrc, 8 * MiB + (i % 3));
const combineMs = performance.now() - combineStart;

const mbps = (ms) => (ms === undefined ? undefined : Number((TOTAL / 1e6 / (ms / 1000)).toFixed(1)));
console.log(
  JSON.stringify({
    bench: 'crc64',
    bytes: TOTAL,
    chunkBytes: CHUNK,
    rounds: ROUNDS,
    mbPerSec: mbps(median(runs.osskit)),
    crc64Ecma182MbPerSec: mbps(median(runs.other)),
    combineOpsPerSec: Math.round(parts / (combineMs / 1000)),
    nativeCrc32MbPerSec: mbps(median(runs.native)),
    digest,
    ...(otherNote ? { note: otherNote } : {}),
  }),
);
