/**
 * CRC-64 of file ranges in worker threads (Node), so hashing a large upload or download never
 * runs on the event loop. A worker reads the range itself (for a file being uploaded or just
 * written, the page cache makes that second read cheap) straight into the WebAssembly kernel's
 * memory, so neither thread copies the bytes again; callers combine range CRCs with combineCrc64.
 *
 * The worker is source text run with `eval` (no separate file to locate in src/ or dist/, ESM or
 * CJS alike); it compiles the same kernel as crc64.ts from moduleBytes().
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { moduleBytes, WASM_LAYOUT } from '../integrity/crc64-wasm.js';

// A script, not a module: built-ins come from process.getBuiltinModule (Node ≥ 20.16), so the
// text needs neither import nor require (bundlers scan osskit's ESM output for require calls).
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const { openSync, readSync, closeSync } = process.getBuiltinModule('node:fs');
const { TABLES, STATE, DATA, CHUNK } = workerData.layout;
const instance = new WebAssembly.Instance(new WebAssembly.Module(workerData.wasm));
const update = instance.exports.update;
const bytes = new Uint8Array(instance.exports.memory.buffer);
const words = new Uint32Array(instance.exports.memory.buffer);
const T = TABLES >>> 2;
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
const S = STATE >>> 2;
const MASK = (1n << 64n) - 1n;
parentPort.on('message', ({ id, path, offset, length }) => {
  let fd;
  try {
    fd = openSync(path, 'r');
    words[S] = 0xffffffff; words[S + 1] = 0xffffffff;
    let position = offset, left = length;
    while (left > 0) {
      const n = readSync(fd, bytes, DATA, Math.min(CHUNK, left), position);
      if (n === 0) throw new Error('the file ended before the range did');
      update(n);
      position += n; left -= n;
    }
    const register = (BigInt(words[S + 1]) << 32n) | BigInt(words[S]);
    parentPort.postMessage({ id, crc: (~register & MASK).toString() });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;

const MAX_FAILURES = 3;

interface Job {
  id: number;
  path: string;
  offset: number;
  length: number;
  resolve: (crc: string) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Job | undefined;
}

/**
 * A few workers hashing file ranges; started on first use, stopped by close(). Workers are
 * unref'd, so a pool that is never closed does not keep the process alive.
 *
 * @example
 * const pool = new CrcPool(2);
 * const crc = await pool.hashRange('/data/big.bin', 0, 8 << 20);
 * await pool.close();
 */
export class CrcPool {
  readonly #size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 0;
  #closed = false;
  // Workers lost without finishing a job: past a few, the pool refuses work instead of respawning.
  #failures = 0;

  /** `size` workers at most; by default one fewer than the machine's cores (at least one, at most 4). */
  constructor(size = defaultPoolSize()) {
    this.#size = Math.max(1, Math.floor(size));
  }

  /** CRC-64/XZ (decimal) of `length` bytes of `path` from `offset`. */
  hashRange(path: string, offset: number, length: number): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('the CRC pool is closed'));
    if (this.#failures >= MAX_FAILURES) return Promise.reject(new Error('the CRC workers keep failing'));
    if (length === 0) return Promise.resolve('0');
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, path, offset, length, resolve, reject });
      this.#dispatch();
    });
  }

  /** Stops the workers; queued and running jobs are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    const refused = new Error('the CRC pool is closed');
    for (const job of this.#queue.splice(0)) job.reject(refused);
    await Promise.all(
      this.#slots.splice(0).map((slot) => {
        slot.busy?.reject(refused);
        return slot.worker.terminate();
      }),
    );
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find((s) => s.busy === undefined) ?? this.#spawn();
      if (!slot) return;
      const job = this.#queue.shift()!;
      slot.busy = job;
      slot.worker.postMessage({ id: job.id, path: job.path, offset: job.offset, length: job.length });
    }
  }

  #spawn(): Slot | undefined {
    if (this.#slots.length >= this.#size) return undefined;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { wasm: moduleBytes(), layout: WASM_LAYOUT },
      // The source is CommonJS: a parent started with --input-type=module must not pass that on.
      execArgv: process.execArgv.filter((arg) => !arg.startsWith('--input-type')),
    });
    worker.unref();
    const slot: Slot = { worker, busy: undefined };
    worker.on('message', (message: { id: number; crc?: string; error?: string }) => {
      this.#failures = 0;
      const job = slot.busy;
      slot.busy = undefined;
      if (job && job.id === message.id) {
        if (message.crc !== undefined) job.resolve(message.crc);
        else job.reject(new Error(`cannot hash ${job.path}: ${message.error}`));
      }
      this.#dispatch();
    });
    worker.on('error', (error) => this.#lose(slot, error));
    worker.on('exit', () => this.#lose(slot, new Error('a CRC worker stopped')));
    this.#slots.push(slot);
    return slot;
  }

  /** A worker died: its job fails, and the next job gets a fresh worker. */
  #lose(slot: Slot, error: Error): void {
    const index = this.#slots.indexOf(slot);
    // 'error' is followed by 'exit': count the loss once.
    if (index < 0) return;
    this.#slots.splice(index, 1);
    slot.busy?.reject(error);
    slot.busy = undefined;
    if (this.#closed) return;
    if (++this.#failures >= MAX_FAILURES) {
      for (const job of this.#queue.splice(0)) job.reject(error);
      return;
    }
    this.#dispatch();
  }
}

/** One fewer worker than the machine's cores (the event loop keeps one), at least one, at most 4. */
export function defaultPoolSize(): number {
  return Math.min(4, Math.max(1, availableParallelism() - 1));
}
