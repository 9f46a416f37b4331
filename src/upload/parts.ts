/**
 * Bodies → async iterators of numbered parts: one chunker per body kind. Each part is
 * held in memory only while it is uploaded, so an upload's memory is about `parallel × partSize`.
 * Files are cut by ranged reads in `upload-file.node.ts`.
 */
import { DEFAULT_PART_SIZE, MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE } from '../defaults.js';
import { invalidArgument } from '../errors.js';
import { utf8 } from '../integrity/hash.js';

/** What `upload()` accepts as a body. A Node `Readable` is an `AsyncIterable<Uint8Array>`. */
export type UploadBody =
  | Uint8Array
  | ArrayBuffer
  | string
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/** One numbered slice of the body, in memory while it is being sent. */
export interface Part {
  partNumber: number;
  /** Byte offset of the part in the object. */
  offset: number;
  bytes: Uint8Array;
  /**
   * Hands the part's buffer back for reuse once its upload succeeded. Chunkers that fill buffers
   * (files, streams) recycle them, so memory stays at `parallel × partSize` without waiting on GC.
   */
  release?: () => void;
}

/** Part-sized buffers handed out and given back; a buffer is never in two parts at once. */
export class BufferPool {
  readonly #size: number;
  readonly #free: Uint8Array[] = [];

  constructor(size: number) {
    this.#size = size;
  }

  take(): Uint8Array {
    return this.#free.pop() ?? new Uint8Array(this.#size);
  }

  give(buffer: Uint8Array): void {
    this.#free.push(buffer);
  }
}

/** Tells a chunker which part numbers are already stored (resume) so sized sources need not read them. */
export type SkipPart = (partNumber: number) => boolean;

/**
 * Part size for an upload: the requested (or default) size, raised in 1 KiB steps when the object
 * would otherwise need more than 10,000 parts. Refuses sizes outside 100 KiB – 5 GiB.
 *
 * @example
 * resolvePartSize(undefined, 200 * GiB) // → 20 MiB + a little, so that 10,000 parts suffice
 */
export function resolvePartSize(requested: number | undefined, totalBytes: number | undefined): number {
  if (requested !== undefined) {
    if (!Number.isSafeInteger(requested) || requested < MIN_PART_SIZE || requested > MAX_PART_SIZE) {
      throw invalidArgument(`partSize must be an integer from ${MIN_PART_SIZE} to ${MAX_PART_SIZE} bytes`);
    }
  }
  let size = requested ?? DEFAULT_PART_SIZE;
  if (totalBytes !== undefined && Math.ceil(totalBytes / size) > MAX_PARTS) {
    size = Math.ceil(totalBytes / MAX_PARTS / 1024) * 1024;
    if (size > MAX_PART_SIZE) throw invalidArgument(`the body is too large for ${MAX_PARTS} parts of at most 5 GiB`);
  }
  return size;
}

/** Number of parts a sized body is cut into (at least one, even when empty). */
export function partCount(totalBytes: number, partSize: number): number {
  return Math.max(1, Math.ceil(totalBytes / partSize));
}

/** Size of a body when it can be known without reading it. */
export function bodySize(body: UploadBody): number | undefined {
  if (typeof body === 'string') return utf8(body).byteLength;
  if (body instanceof Uint8Array || body instanceof ArrayBuffer) return body.byteLength;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body.size;
  return undefined;
}

/** Cuts any supported body into parts of `partSize` bytes (the last may be shorter). */
export function partsOf(body: UploadBody, partSize: number, skip: SkipPart = () => false): AsyncIterable<Part> {
  if (typeof body === 'string') return bytesParts(utf8(body), partSize, skip);
  if (body instanceof Uint8Array) return bytesParts(body, partSize, skip);
  if (body instanceof ArrayBuffer) return bytesParts(new Uint8Array(body), partSize, skip);
  if (typeof Blob !== 'undefined' && body instanceof Blob) return blobParts(body, partSize, skip);
  if (isReadableStream(body)) return streamParts(readableStreamIterable(body), partSize);
  if (isAsyncIterable(body)) return streamParts(body, partSize);
  throw invalidArgument('body must be a Blob, Uint8Array, ArrayBuffer, string, ReadableStream or async iterable');
}

/** Bytes already in memory: parts are views, nothing is copied. */
export async function* bytesParts(bytes: Uint8Array, partSize: number, skip: SkipPart): AsyncGenerator<Part> {
  const count = partCount(bytes.byteLength, partSize);
  for (let i = 0; i < count; i++) {
    if (skip(i + 1)) continue;
    const offset = i * partSize;
    yield { partNumber: i + 1, offset, bytes: bytes.subarray(offset, Math.min(offset + partSize, bytes.byteLength)) };
  }
}

/** A Blob (or File) is sliced lazily: only the parts being sent are read. */
export async function* blobParts(blob: Blob, partSize: number, skip: SkipPart): AsyncGenerator<Part> {
  const count = partCount(blob.size, partSize);
  for (let i = 0; i < count; i++) {
    if (skip(i + 1)) continue;
    const offset = i * partSize;
    const slice = blob.slice(offset, Math.min(offset + partSize, blob.size));
    yield { partNumber: i + 1, offset, bytes: new Uint8Array(await slice.arrayBuffer()) };
  }
}

/**
 * A stream of unknown length is cut as chunks arrive: a part is emitted as soon as `partSize` bytes
 * are buffered. An empty stream still yields one empty part so it becomes an empty object.
 */
export async function* streamParts(source: AsyncIterable<Uint8Array>, partSize: number): AsyncGenerator<Part> {
  let partNumber = 1;
  let offset = 0;
  const pool = new BufferPool(partSize);
  let buffer = pool.take();
  let filled = 0;
  for await (const chunk of source) {
    let from = 0;
    while (from < chunk.byteLength) {
      const take = Math.min(partSize - filled, chunk.byteLength - from);
      buffer.set(chunk.subarray(from, from + take), filled);
      filled += take;
      from += take;
      if (filled === partSize) {
        if (partNumber > MAX_PARTS) throw invalidArgument(`the stream needs more than ${MAX_PARTS} parts; raise partSize`);
        const full = buffer;
        yield { partNumber, offset, bytes: full, release: () => pool.give(full) };
        partNumber += 1;
        offset += partSize;
        // Another buffer for the next part: the previous one is owned by the worker uploading it.
        buffer = pool.take();
        filled = 0;
      }
    }
  }
  if (filled > 0 || partNumber === 1) {
    if (partNumber > MAX_PARTS) throw invalidArgument(`the stream needs more than ${MAX_PARTS} parts; raise partSize`);
    yield { partNumber, offset, bytes: buffer.subarray(0, filled) };
  }
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** Not every browser makes ReadableStream async-iterable yet, so read it by hand. */
async function* readableStreamIterable(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // Stopped early (abort or failure): cancel so the producer stops too.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
