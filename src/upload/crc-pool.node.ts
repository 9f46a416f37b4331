/**
 * CRC-64 in worker threads (Node), so hashing a large upload or download never runs on the event
 * loop. A worker hashes either a file range it reads itself, straight into the WebAssembly kernel's
 * memory (downloadFile's ranges, just written), or a buffer moved to it and back without a copy
 * (uploadFile's parts, already read); callers combine range CRCs with combineCrc64.
 *
 * The worker compiles the same kernel as crc64.ts (crc-worker-source.node.ts).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startKernelWorker } from '../integrity/crc-worker-source.node.js';

// Hashes `length` bytes of `path` from `offset`, read straight into the kernel's memory; or of a
// buffer moved here (no copy), which goes back with the answer.
const WORKER_BODY = `
const { openSync, readSync, closeSync } = process.getBuiltinModule('node:fs');
parentPort.on('message', ({ id, path, buffer, offset, length }) => {
  let fd;
  try {
    words[S] = 0xffffffff; words[S + 1] = 0xffffffff;
    if (buffer) {
      hashView(new Uint8Array(buffer, offset, length));
      parentPort.postMessage({ id, crc: digestOf(words[S], words[S + 1]), buffer }, [buffer]);
      return;
    }
    fd = openSync(path, 'r');
    let position = offset, left = length;
    while (left > 0) {
      const n = readSync(fd, bytes, DATA, Math.min(SPAN, left), position);
      if (n === 0) throw new Error('the file ended before the range did');
      update(n);
      position += n; left -= n;
    }
    parentPort.postMessage({ id, crc: digestOf(words[S], words[S + 1]) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error), buffer }, buffer ? [buffer] : []);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
});
`;

const MAX_FAILURES = 3;

interface Job {
  id: number;
  /** A file range to read, or… */
  path?: string;
  /** …a buffer to hash, moved to the worker and back. */
  buffer?: ArrayBuffer;
  offset: number;
  length: number;
  resolve: (answer: { crc: string; buffer?: ArrayBuffer }) => void;
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
  async hashRange(path: string, offset: number, length: number): Promise<string> {
    if (length === 0) return '0';
    return (await this.#submit({ path, offset, length })).crc;
  }

  /**
   * CRC-64/XZ (decimal) of `bytes`, whose whole ArrayBuffer is moved to a worker while it hashes
   * (no copy): `bytes` is detached meanwhile, and the answer carries a view of the same memory to
   * use instead. When hashing fails (a worker lost, the pool closed) the promise rejects and `bytes`
   * stays detached: read the data again.
   */
  async hashBytes(bytes: Uint8Array): Promise<{ crc: string; bytes: Uint8Array }> {
    // Read before the move: a detached view reports offset and length 0.
    const { byteOffset: offset, byteLength: length } = bytes;
    const answer = await this.#submit({ buffer: bytes.buffer as ArrayBuffer, offset, length });
    return { crc: answer.crc, bytes: new Uint8Array(answer.buffer!, offset, length) };
  }

  #submit(work: Pick<Job, 'path' | 'buffer' | 'offset' | 'length'>): Promise<{ crc: string; buffer?: ArrayBuffer }> {
    if (this.#closed) return Promise.reject(new Error('the CRC pool is closed'));
    if (this.#failures >= MAX_FAILURES) return Promise.reject(new Error('the CRC workers keep failing'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, ...work, resolve, reject });
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
      const { id, path, buffer, offset, length } = job;
      slot.worker.postMessage({ id, path, buffer, offset, length }, buffer ? [buffer] : []);
    }
  }

  #spawn(): Slot | undefined {
    if (this.#slots.length >= this.#size) return undefined;
    const worker = startKernelWorker(WORKER_BODY);
    worker.unref();
    const slot: Slot = { worker, busy: undefined };
    worker.on('message', (message: { id: number; crc?: string; error?: string; buffer?: ArrayBuffer }) => {
      this.#failures = 0;
      const job = slot.busy;
      slot.busy = undefined;
      if (job && job.id === message.id) {
        if (message.crc !== undefined) job.resolve({ crc: message.crc, buffer: message.buffer });
        else job.reject(new Error(`cannot hash ${job.path ?? 'a buffer'}: ${message.error}`));
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
