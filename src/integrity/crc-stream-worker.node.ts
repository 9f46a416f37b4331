/**
 * CRC-64 of a large download hashed by a worker thread (Node), off the event loop's critical path:
 * hashing in-thread costs about as much CPU as receiving the bytes. The event loop only copies
 * chunks into 1 MiB batches (a plain memcpy) and moves each batch to the worker without copying
 * (a transferred ArrayBuffer); the worker hashes it and moves the buffer back for reuse. Messages
 * on one port keep their order, so one worker serves every stream of the process.
 *
 * The worker is started on first use and unref'd; while a batch or a result is outstanding it is
 * ref'd, so a pending check keeps Node running but an idle worker never does.
 */
import type { Worker } from 'node:worker_threads';
import type { StreamCrc } from './crc-check.js';
import { startKernelWorker } from './crc-worker-source.node.js';

const BATCH_BYTES = 1024 * 1024;
/** Batches one stream may have at the worker before its reader waits (backpressure). */
const BATCHES_PER_STREAM = 4;
/** Below this size a download is hashed in-thread: hand-over and the result's round trip cost more than they save. */
const MIN_BYTES = 4 * 1024 * 1024;

// Registers are kept per stream id; a batch continues its stream's register.
const WORKER_BODY = `
const registers = new Map();
parentPort.on('message', (m) => {
  if (m.drop) { registers.delete(m.id); return; }
  let r = registers.get(m.id) || [0xffffffff, 0xffffffff];
  if (m.buffer) {
    words[S] = r[0]; words[S + 1] = r[1];
    hashView(new Uint8Array(m.buffer, 0, m.length));
    r = [words[S], words[S + 1]];
    registers.set(m.id, r);
    parentPort.postMessage({ id: m.id, buffer: m.buffer }, [m.buffer]);
  }
  if (m.end) {
    registers.delete(m.id);
    parentPort.postMessage({ id: m.id, crc: digestOf(r[0], r[1]) });
  }
});
`;

interface Reply {
  id: number;
  buffer?: ArrayBuffer;
  crc?: string;
}

interface Stream {
  /** A batch came back from the worker. */
  returned(buffer: ArrayBuffer): void;
  finished(crc: string): void;
  failed(error: Error): void;
}

/** The process's hashing worker: started on first use; replaced after it dies. */
class Hub {
  #worker: Worker | undefined;
  // Held weakly while idle: a download its reader dropped without cancelling must not keep its
  // batches alive (once it is collected, the worker forgets its register too). A stream with
  // replies to come (batches at the worker, a result) is pinned: someone is waiting on it.
  readonly #streams = new Map<number, WeakRef<Stream>>();
  readonly #pinned = new Map<number, { stream: Stream; replies: number }>();
  readonly #collected = new FinalizationRegistry<number>((id) => this.close(id, true));
  #nextId = 0;
  #failures = 0;

  /** True when a worker runs or can be started now; a runtime that cannot start one gets false for good. */
  get usable(): boolean {
    if (this.#failures >= 3) return false;
    try {
      this.#start();
      return true;
    } catch {
      this.#failures = 3;
      return false;
    }
  }

  open(stream: Stream): number {
    const id = this.#nextId++;
    this.#streams.set(id, new WeakRef(stream));
    this.#collected.register(stream, id);
    return id;
  }

  close(id: number, drop: boolean): void {
    if (this.#streams.delete(id) && drop) this.#worker?.postMessage({ id, drop: true });
  }

  post(stream: Stream, message: { id: number; buffer?: ArrayBuffer; length?: number; end?: boolean }): void {
    const worker = this.#start();
    // Each batch comes back, and an end brings the result: one reply each. While any reply is to
    // come, the worker keeps Node running.
    const replies = (message.buffer ? 1 : 0) + (message.end ? 1 : 0);
    if (this.#pinned.size === 0) worker.ref();
    const pin = this.#pinned.get(message.id);
    if (pin) pin.replies += replies;
    else this.#pinned.set(message.id, { stream, replies });
    worker.postMessage(message, message.buffer ? [message.buffer] : []);
  }

  /** A reply arrived for `id`: the stream waits for one fewer. */
  #unpin(id: number): void {
    const pin = this.#pinned.get(id);
    if (pin && --pin.replies <= 0) this.#pinned.delete(id);
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startKernelWorker(WORKER_BODY);
    worker.unref();
    worker.on('message', (reply: Reply) => {
      this.#failures = 0;
      const stream = this.#streams.get(reply.id)?.deref();
      this.#unpin(reply.id);
      if (this.#pinned.size === 0) worker.unref();
      if (reply.buffer) stream?.returned(reply.buffer);
      if (reply.crc !== undefined) stream?.finished(reply.crc);
    });
    const lost = (error: Error): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#failures++;
      // Their batches are gone with the worker: those streams cannot be checked any more.
      const streams = [...this.#streams.values()];
      this.#streams.clear();
      this.#pinned.clear();
      for (const stream of streams) stream.deref()?.failed(error);
    };
    worker.on('error', lost);
    worker.on('exit', () => lost(new Error('the CRC-64 worker stopped')));
    return (this.#worker = worker);
  }
}

let hub: Hub | undefined;

class WorkerStreamCrc implements StreamCrc, Stream {
  readonly #hub: Hub;
  readonly #id: number;
  readonly #free: ArrayBuffer[] = [];
  #allocated = 0;
  #batch: Uint8Array | undefined;
  #filled = 0;
  #waiting: (() => void) | undefined;
  #result: { resolve: (crc: string) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;

  constructor(h: Hub) {
    this.#hub = h;
    this.#id = h.open(this);
  }

  update(chunk: Uint8Array): void | Promise<void> {
    let offset = 0;
    while (offset < chunk.byteLength) {
      if (this.#failure) throw this.#failure;
      const batch = this.#batch ?? this.#take();
      if (batch === undefined) return this.#wait().then(() => this.update(chunk.subarray(offset)));
      const n = Math.min(batch.byteLength - this.#filled, chunk.byteLength - offset);
      batch.set(chunk.subarray(offset, offset + n), this.#filled);
      this.#filled += n;
      offset += n;
      if (this.#filled === batch.byteLength) this.#send(false);
    }
  }

  digest(): Promise<string> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#result = { resolve, reject };
      this.#send(true);
    });
  }

  abandon(): void {
    this.#hub.close(this.#id, true);
  }

  returned(buffer: ArrayBuffer): void {
    this.#free.push(buffer);
    this.#wake();
  }

  finished(crc: string): void {
    this.#hub.close(this.#id, false);
    this.#result?.resolve(crc);
  }

  failed(error: Error): void {
    this.#failure = new Error(`the CRC-64 of this download could not be completed: ${error.message}`, { cause: error });
    this.#result?.reject(this.#failure);
    this.#wake();
  }

  #take(): Uint8Array | undefined {
    let buffer = this.#free.pop();
    if (buffer === undefined && this.#allocated < BATCHES_PER_STREAM) {
      buffer = new ArrayBuffer(BATCH_BYTES);
      this.#allocated++;
    }
    if (buffer === undefined) return undefined;
    this.#filled = 0;
    return (this.#batch = new Uint8Array(buffer));
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** Lets an update waiting for a free batch go on (or find the failure). */
  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.();
  }

  /** Moves the current batch (if any bytes) to the worker; `end` also asks for the result. */
  #send(end: boolean): void {
    const batch = this.#batch;
    this.#batch = undefined;
    if (batch !== undefined && this.#filled > 0) {
      this.#hub.post(this, { id: this.#id, buffer: batch.buffer as ArrayBuffer, length: this.#filled, end });
    } else {
      if (batch !== undefined) this.#free.push(batch.buffer as ArrayBuffer);
      if (end) this.#hub.post(this, { id: this.#id, end });
    }
    this.#filled = 0;
  }
}

/**
 * Worker hashing for a download of `length` bytes, or undefined to hash in-thread (small or
 * unknown length, or a worker that keeps failing).
 */
export function createStreamCrc(length: number | undefined): StreamCrc | undefined {
  if (length === undefined || !(length >= MIN_BYTES)) return undefined;
  hub ??= new Hub();
  return hub.usable ? new WorkerStreamCrc(hub) : undefined;
}
