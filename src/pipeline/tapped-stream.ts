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
  /** Sees every chunk, in order, before the reader does; a promise holds the chunk back until it settles. */
  chunk?(value: Uint8Array): void | Promise<void>;
  /** Runs once at the end; throwing (or rejecting) errors the stream instead of closing it. */
  end?(): void | Promise<void>;
  /** The stream was cancelled or failed before its end: release what the tap holds. */
  abort?(): void;
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
async function finish(state: TapState): Promise<void> {
  if (state.ended) return;
  state.ended = true;
  for (const tap of state.taps) await tap.end?.();
}

/** Hands a chunk to every tap; a promise only when a tap asked to be waited for. */
function feed(state: TapState, value: Uint8Array): Promise<unknown> | undefined {
  let pending: Promise<void>[] | undefined;
  for (const tap of state.taps) {
    const result = tap.chunk?.(value);
    if (result) (pending ??= []).push(result);
  }
  return pending && Promise.all(pending);
}

/** The stream ends early (cancelled or failed): taps let go of what they hold. */
function abortTaps(state: TapState): void {
  if (state.ended) return;
  state.ended = true;
  for (const tap of state.taps) tap.abort?.();
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
            await finish(state);
            controller.close();
            return;
          }
          const fed = feed(state, value);
          if (fed) await fed;
          controller.enqueue(value);
        } catch (error) {
          abortTaps(state);
          controller.error(error);
        }
      },
      cancel: () => {
        abortTaps(state);
        return source.cancel();
      },
    },
    { highWaterMark: 0 },
  );
  states.set(stream, state);
  return stream;
}

/** True when `addTap` would accept a tap on `stream`. */
export function canTap(stream: ReadableStream<Uint8Array>): boolean {
  const state = states.get(stream);
  return state !== undefined && !state.started && !stream.locked;
}

/** Hooks `tap` into a tappable stream nobody has read yet; false when the caller must wrap instead. */
export function addTap(stream: ReadableStream<Uint8Array>, tap: StreamTap): boolean {
  if (!canTap(stream)) return false;
  states.get(stream)!.taps.push(tap);
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
      const fed = feed(state, chunk);
      if (fed) await fed;
      // A plain Uint8Array view, so that `bytes()` never hands out a transport's Buffer subclass.
      collected.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    await finish(state);
  } catch (error) {
    abortTaps(state);
    await state.source.cancel().catch(() => undefined);
    throw error;
  }
  return collected.result();
}
