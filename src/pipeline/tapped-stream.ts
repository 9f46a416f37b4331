/**
 * A response body stream that integrity checks can hook into instead of wrapping. Each wrapper
 * (CRC-64, length) would otherwise add a ReadableStream, a reader and a promise per chunk on the
 * download path; a tap runs inside the one pull that takes the chunk from the transport. The
 * same source can also be read to the end without the web stream machinery (`readTapped`), which
 * is what `bytes()` does. Streams that are not tappable (fetch, a caller's) are wrapped as before.
 */
import { ByteCollector } from './byte-collector.js';

/** A check run on a body as it is read. */
export interface StreamTap {
  /** Sees every chunk, in order, before the reader does. */
  chunk?(value: Uint8Array): void;
  /** Runs once at the end; throwing errors the stream instead of closing it. */
  end?(): void;
}

/** Where a tappable stream takes its chunks from. */
export interface ChunkSource {
  /** The next chunk, undefined at the end; failures are thrown already mapped to client errors. */
  read(): Promise<Uint8Array | undefined>;
  /** The reader lost interest: release the connection. */
  cancel(): Promise<void>;
}

interface TapState {
  source: ChunkSource;
  taps: StreamTap[];
  started: boolean;
  ended: boolean;
}

const states = new WeakMap<ReadableStream<Uint8Array>, TapState>();

/** Runs the taps' end checks once; the first to throw decides the error. */
function finish(state: TapState): void {
  if (state.ended) return;
  state.ended = true;
  for (const tap of state.taps) tap.end?.();
}

/** One ReadableStream straight over `source`, pulled only when read (no read-ahead). */
export function tappableStream(source: ChunkSource): ReadableStream<Uint8Array> {
  const state: TapState = { source, taps: [], started: false, ended: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        state.started = true;
        if (state.ended) {
          controller.close();
          return;
        }
        try {
          const value = await source.read();
          if (value === undefined) {
            finish(state);
            controller.close();
            return;
          }
          for (const tap of state.taps) tap.chunk?.(value);
          controller.enqueue(value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: () => source.cancel(),
    },
    { highWaterMark: 0 },
  );
  states.set(stream, state);
  return stream;
}

/** Hooks `tap` into a tappable stream nobody has read yet; false when the caller must wrap instead. */
export function addTap(stream: ReadableStream<Uint8Array>, tap: StreamTap): boolean {
  const state = states.get(stream);
  if (state === undefined || state.started || stream.locked) return false;
  state.taps.push(tap);
  return true;
}

/**
 * Reads a tappable stream nobody has read yet to the end, taps applied, without pulling it through
 * the web stream (the stream is locked meanwhile). Undefined when the stream is not such a stream.
 * With `expectedLength`, chunks are copied once into a buffer of that size.
 */
export function readTapped(stream: ReadableStream<Uint8Array>, expectedLength: number | undefined): Promise<Uint8Array> | undefined {
  const state = states.get(stream);
  if (state === undefined || state.started || stream.locked) return undefined;
  state.started = true;
  const reader = stream.getReader();
  return drain(state, expectedLength).finally(() => reader.releaseLock());
}

async function drain(state: TapState, expectedLength: number | undefined): Promise<Uint8Array> {
  const collected = new ByteCollector(expectedLength);
  try {
    for (;;) {
      const chunk = await state.source.read();
      if (chunk === undefined) break;
      for (const tap of state.taps) tap.chunk?.(chunk);
      // A plain Uint8Array view, so that `bytes()` never hands out a transport's Buffer subclass.
      collected.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  } catch (error) {
    state.ended = true;
    await state.source.cancel().catch(() => undefined);
    throw error;
  }
  finish(state);
  return collected.result();
}
