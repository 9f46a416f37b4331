/**
 * The framed binary answer of SelectObject (and CreateSelectObjectMeta). Every frame is
 *
 *   version (1 byte, = 1) | frame type (3 bytes) | payload length (4) | header checksum (4, always 0)
 *   | payload | payload checksum (4: CRC-32 of the payload, 0 when the request did not ask for it)
 *
 * all integers big-endian. Payloads by type:
 *   data        8388609  offset (8) | rows
 *   continuous  8388612  offset (8)                              keep-alive / progress while scanning
 *   end         8388613  offset (8) | scanned (8) | status (4) | error message
 *   meta end    8388614 (CSV) / 8388615 (JSON)
 *               offset (8) | scanned (8) | status (4) | splits (4) | rows (8) [| columns (4), CSV only] | error message
 * `offset` is how far into the object the scan had got. The client only decodes (here); the encoder
 * the emulator writes with is in encode-frame.ts, kept apart so browser bundles leave it out.
 */
import { crc32 } from '../integrity/crc32.js';
import { OssClientError } from '../errors.js';

export const FRAME_TYPES = {
  data: 8388609,
  continuous: 8388612,
  end: 8388613,
  metaEndCsv: 8388614,
  metaEndJson: 8388615,
} as const;

export const VERSION = 1;
export const HEADER_BYTES = 12;
export const CHECKSUM_BYTES = 4;

export interface DataFrame {
  type: 'data';
  offset: number;
  data: Uint8Array;
}
export interface ContinuousFrame {
  type: 'continuous';
  offset: number;
}
export interface EndFrame {
  type: 'end';
  offset: number;
  scannedBytes: number;
  /** An HTTP status: 200 (or 206 when records were skipped) on success. */
  status: number;
  errorMessage: string;
}
export interface MetaEndFrame {
  type: 'metaEnd';
  format: 'csv' | 'json';
  offset: number;
  scannedBytes: number;
  status: number;
  splits: number;
  rows: number;
  /** CSV only. */
  columns?: number;
  errorMessage: string;
}
export type SelectFrame = DataFrame | ContinuousFrame | EndFrame | MetaEndFrame;

function getUint64(view: DataView, at: number): number {
  return view.getUint32(at) * 2 ** 32 + view.getUint32(at + 4);
}

function broken(message: string): OssClientError {
  return new OssClientError('NetworkError', `SelectObject answer: ${message}`);
}

/** Reads one frame's payload into its typed form. */
function decodePayload(type: number, payload: Uint8Array): SelectFrame {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const need = (n: number) => {
    if (payload.length < n) throw broken(`frame type ${type} has a payload of ${payload.length} bytes, shorter than ${n}`);
  };
  const text = (from: number) => new TextDecoder().decode(payload.subarray(from));
  need(8);
  const offset = getUint64(view, 0);
  switch (type) {
    case FRAME_TYPES.data:
      return { type: 'data', offset, data: payload.subarray(8) };
    case FRAME_TYPES.continuous:
      return { type: 'continuous', offset };
    case FRAME_TYPES.end:
      need(20);
      return { type: 'end', offset, scannedBytes: getUint64(view, 8), status: view.getUint32(16), errorMessage: text(20) };
    case FRAME_TYPES.metaEndCsv:
    case FRAME_TYPES.metaEndJson: {
      const csv = type === FRAME_TYPES.metaEndCsv;
      need(csv ? 36 : 32);
      const frame: MetaEndFrame = {
        type: 'metaEnd',
        format: csv ? 'csv' : 'json',
        offset,
        scannedBytes: getUint64(view, 8),
        status: view.getUint32(16),
        splits: view.getUint32(20),
        rows: getUint64(view, 24),
        errorMessage: text(csv ? 36 : 32),
      };
      if (csv) frame.columns = view.getUint32(32);
      return frame;
    }
    default:
      throw broken(`unknown frame type ${type}`);
  }
}

/** Chunks of a web stream or any async iterable of bytes. */
async function* chunksOf(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!('getReader' in body)) {
    yield* body;
    return;
  }
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopping early (a consumer broke out, or a checksum failed) must free the connection.
    await reader.cancel().catch(() => undefined);
  }
}

/**
 * Decodes a framed answer, frame by frame, as bytes arrive. With `checkCrc`, a frame whose
 * non-zero payload checksum differs from the CRC-32 of its payload is refused
 * (`OssClientError('CrcMismatch')`); a stream that ends inside a frame, or before an end frame,
 * is a broken answer (`NetworkError`). Stops after the end (or meta end) frame.
 *
 * @example for await (const frame of decodeFrames(response.body, { checkCrc: true })) …
 */
export async function* decodeFrames(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  options: { checkCrc: boolean },
): AsyncGenerator<SelectFrame, void, undefined> {
  let buffer: Uint8Array = new Uint8Array(0);
  let ended = false;
  const chunks = chunksOf(body);
  try {
    for await (const chunk of chunks) {
      buffer = buffer.length ? concat(buffer, chunk) : chunk;
      let at = 0;
      while (buffer.length - at >= HEADER_BYTES) {
        const view = new DataView(buffer.buffer, buffer.byteOffset + at, HEADER_BYTES);
        const word = view.getUint32(0);
        const length = view.getUint32(4);
        if (word >>> 24 !== VERSION) throw broken(`unsupported frame version ${word >>> 24}`);
        const total = HEADER_BYTES + length + CHECKSUM_BYTES;
        if (buffer.length - at < total) break;
        const payload = buffer.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length);
        const sent = new DataView(buffer.buffer, buffer.byteOffset + at + HEADER_BYTES + length, 4).getUint32(0);
        if (options.checkCrc && sent !== 0) {
          const actual = crc32(payload);
          if (actual !== sent) {
            throw new OssClientError('CrcMismatch', `SelectObject frame checksum mismatch: computed ${actual}, the frame says ${sent}`);
          }
        }
        const frame = decodePayload(word & 0xffffff, payload.slice());
        at += total;
        yield frame;
        if (frame.type === 'end' || frame.type === 'metaEnd') {
          ended = true;
          return;
        }
      }
      buffer = buffer.subarray(at);
    }
  } finally {
    await chunks.return(undefined);
  }
  if (!ended) throw broken(buffer.length ? 'the stream ended inside a frame' : 'the stream ended before the end frame');
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
