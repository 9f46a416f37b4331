/**
 * Body helpers shared by send() and the transports: length, replayability, conversion to chunks or
 * a web stream, and reading a stream to the end. No Node built-ins: Node `Readable` streams arrive
 * here as `AsyncIterable<Uint8Array>` and need nothing special.
 */
import type { RequestBody } from '../commands/types.js';
import { ByteCollector, concatBytes } from './byte-collector.js';
export { concatBytes };
import { readTapped } from './tapped-stream.js';

/**
 * Largest slice handed to a transport at once, so upload progress moves in useful steps. 256 KiB:
 * an 8 MiB part still reports 32 steps, and each slice costs a generator step plus a socket write
 * and drain wait, which at 64 KiB took about a fifth more CPU per upload (bench/upload.mjs with
 * onProgress).
 */
const CHUNK_BYTES = 256 * 1024;

const encoder = new TextEncoder();

/** A body that can be sent again on retry: bytes, strings and Blobs (a Blob re-reads its source). */
export function isReplayable(body: RequestBody | undefined): body is Uint8Array | string | Blob {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array || isBlob(body);
}

export function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

/** Strings become UTF-8 bytes so that length, CRC and what goes on the wire agree. */
export function normalizeBody(body: RequestBody): Exclude<RequestBody, string> {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

/** Byte length when it is known without reading the body. */
export function bodyLength(body: RequestBody | undefined): number | undefined {
  if (body === undefined) return 0;
  if (typeof body === 'string') return encoder.encode(body).byteLength;
  if (body instanceof Uint8Array) return body.byteLength;
  if (isBlob(body)) return body.size;
  return undefined;
}

/** Any body as a sequence of byte chunks; Uint8Arrays are sliced (no copy) into CHUNK_BYTES pieces. */
export async function* iterateBody(body: RequestBody): AsyncGenerator<Uint8Array> {
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = normalizeBody(body) as Uint8Array;
    for (let offset = 0; offset < bytes.byteLength; offset += CHUNK_BYTES) {
      yield bytes.subarray(offset, Math.min(offset + CHUNK_BYTES, bytes.byteLength));
    }
    return;
  }
  const source = isBlob(body) ? body.stream() : body;
  if (isReadableStream(source)) {
    // Read through a reader rather than `for await`: Safari's ReadableStream is not async-iterable.
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield toBytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) yield toBytes(chunk);
}

/** Calls `onChunk` for each chunk as the consumer pulls it: how CRC and progress follow a one-shot stream. */
export async function* tapBody(body: RequestBody, onChunk: (chunk: Uint8Array) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of iterateBody(body)) {
    onChunk(chunk);
    yield chunk;
  }
}

/** A web stream over any body (pull-based, so backpressure holds). */
export function toReadableStream(body: RequestBody): ReadableStream<Uint8Array> {
  if (isReadableStream(body)) return body;
  const chunks = iterateBody(body);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/**
 * Reads a whole body or stream into one Uint8Array. `expectedLength` (a Content-Length) lets a
 * stream be copied straight into one buffer of that size as it arrives, instead of keeping every
 * chunk until the end and copying them all again; a body that turns out longer or shorter than
 * announced is still read correctly.
 *
 * @example const bytes = await readAll(response.body, Number(response.headers['content-length']));
 */
export async function readAll(body: RequestBody, expectedLength?: number): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return encoder.encode(body);
  if (isBlob(body)) return new Uint8Array(await body.arrayBuffer());
  if (isReadableStream(body)) return readStream(body, expectedLength);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of iterateBody(body)) {
    chunks.push(chunk);
    total += chunk.byteLength;
  }
  return concatBytes(chunks, total);
}

/**
 * Reads a response's whole body (empty when it has none). A lazy transport body is read from its
 * source without ever building its web stream.
 */
export function readBody(response: { readonly body: ReadableStream<Uint8Array> | null }, expectedLength?: number): Promise<Uint8Array> {
  const direct = readTapped(response, expectedLength);
  if (direct !== undefined) return direct;
  return response.body ? readStream(response.body, expectedLength) : Promise.resolve(new Uint8Array());
}

/** The reader loop without a generator in between: a download's hot path (one call per chunk). */
async function readStream(stream: ReadableStream<Uint8Array>, expectedLength: number | undefined): Promise<Uint8Array> {
  // A transport body nobody has read yet: straight from the transport, no web stream in between.
  const direct = readTapped(stream, expectedLength);
  if (direct !== undefined) return direct;
  const reader = stream.getReader();
  const collected = new ByteCollector(expectedLength);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      collected.push(toBytes(value));
    }
  } finally {
    reader.releaseLock();
  }
  return collected.result();
}

export function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;
}

function toBytes(chunk: Uint8Array | string): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}
