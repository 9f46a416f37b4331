/**
 * The start of every CRC-64 worker's source: compiles the WebAssembly kernel of crc64-wasm.ts from
 * `workerData.wasm` and fills its slicing tables, leaving `update(len)` (hash `len` bytes at DATA),
 * `bytes` / `words` (views of its memory), `SPAN` (bytes update may take at once), `hashView(view)`
 * (hash bytes held elsewhere) and the layout constants in scope. Workers are source
 * text run with `eval` (no separate file to locate in src/ or dist/, ESM or CJS alike), so this is
 * text too. It is a script, not a module: built-ins come from process.getBuiltinModule
 * (Node ≥ 20.16), so the text needs neither import nor require (bundlers scan osskit's ESM output
 * for require calls).
 */
import { Worker } from 'node:worker_threads';
import { moduleBytes, WASM_LAYOUT } from './crc64-wasm.js';

export const KERNEL_PRELUDE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { TABLES, STATE, DATA } = workerData.layout;
const instance = new WebAssembly.Instance(new WebAssembly.Module(workerData.wasm));
// A worker hashes 1 MiB per call (SPAN) rather than the module's 64 KiB: sixteen times fewer reads
// and calls. update(len) hashes any length at DATA; the memory only has to hold it.
const SPAN = 1 << 20;
instance.exports.memory.grow(Math.ceil((DATA + SPAN) / 65536) - instance.exports.memory.buffer.byteLength / 65536);
const update = instance.exports.update;
const bytes = new Uint8Array(instance.exports.memory.buffer);
const words = new Uint32Array(instance.exports.memory.buffer);
const T = TABLES >>> 2;
const S = STATE >>> 2;
// Table 0 of the reflected polynomial 0xC96C5795D7870F42, then T[k][n] = (T[k-1][n] >> 8) ^ T[0][T[k-1][n] & 0xff].
for (let n = 0; n < 256; n++) {
  let lo = n, hi = 0;
  for (let bit = 0; bit < 8; bit++) {
    const odd = lo & 1;
    lo = (lo >>> 1) | ((hi & 1) << 31);
    hi >>>= 1;
    if (odd) { lo ^= 0xd7870f42; hi ^= 0xc96c5795; }
  }
  words[T + 2 * n] = lo; words[T + 2 * n + 1] = hi;
}
for (let i = 256; i < 16 * 256; i++) {
  const lo = words[T + 2 * (i - 256)], hi = words[T + 2 * (i - 256) + 1];
  const idx = T + 2 * (lo & 0xff);
  words[T + 2 * i] = ((lo >>> 8) | (hi << 24)) ^ words[idx];
  words[T + 2 * i + 1] = (hi >>> 8) ^ words[idx + 1];
}
// Continues the register at STATE over the bytes of \`view\` (memory the kernel cannot see), SPAN at a time.
function hashView(view) {
  for (let at = 0; at < view.length; at += SPAN) {
    const n = Math.min(SPAN, view.length - at);
    bytes.set(view.subarray(at, at + n), DATA);
    update(n);
  }
}
// The decimal CRC-64 of a finished register (the complement of the internal one).
const MASK = (1n << 64n) - 1n;
const digestOf = (lo, hi) => (~((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)) & MASK).toString();
`;

/** Starts a worker running KERNEL_PRELUDE followed by `body`. */
export function startKernelWorker(body: string): Worker {
  return new Worker(KERNEL_PRELUDE + body, {
    eval: true,
    workerData: { wasm: moduleBytes(), layout: WASM_LAYOUT },
    // The source is CommonJS: a parent started with --input-type=module must not pass that on.
    execArgv: process.execArgv.filter((arg) => !arg.startsWith('--input-type')),
  });
}
