/**
 * A response body stream that integrity checks can hook into instead of wrapping. Each wrapper
 * (CRC-64, length) would otherwise add a ReadableStream, a reader and a promise per chunk on the
 * download path; a tap runs inside the one pull that takes the chunk from the transport. The
 * same source can also be read to the end without the web stream machinery (`readTapped`), which
 * is what `bytes()` does. Streams that are not tappable (fetch, a caller's) are wrapped as before.
 *
 * A transport may go further and answer with a {@link LazyBodyResponse}: the web
 * stream is only built when someone reads `response.body`. Node's ReadableStream costs about
 * 10 µs to construct, a noticeable share of a small request, and most answers (XML documents,
 * `bytes()`) never need one: the functions here take the response itself and read its source.
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
  /** A chunk that has already arrived, taken without waiting; undefined when none is there yet. */
  take?(): Uint8Array | undefined;
  /** The reader lost interest: release the connection. */
  cancel(): Promise<void>;
}

interface TapState {
  source: ChunkSource;
  taps: StreamTap[];
  started: boolean;
  ended: boolean;
  /** The web stream, once built. */
  stream?: ReadableStream<Uint8Array>;
}

/** Something with a body: a transport's response, or the body stream itself. */
export type BodyTarget = ReadableStream<Uint8Array> | { readonly body: ReadableStream<Uint8Array> | null };

// Keyed by the stream, and for a lazy body also by the response that holds it.
const states = new WeakMap<object, TapState>();

/** The tap state of an unread, unlocked tappable body. */
function unread(target: BodyTarget): TapState | undefined {
  const state = states.get(target);
  return state !== undefined && !state.started && !state.stream?.locked ? state : undefined;
}

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
  return streamOf(newState(source));
}

function newState(source: ChunkSource): TapState {
  return { source, taps: [], started: false, ended: false };
}

/**
 * A response whose `body` stream is built from `source` on first access; until then the functions
 * of this module read, tap and cancel the source directly. (A class, so that the getter lives on
 * the prototype: an object given its own accessor is slower to build and to read.) Spreading it
 * (`{ ...response }`) copies no body: say `body` explicitly.
 */
export class LazyBodyResponse {
  readonly #state: TapState;

  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    source: ChunkSource,
  ) {
    this.#state = newState(source);
    states.set(this, this.#state);
  }

  get body(): ReadableStream<Uint8Array> {
    return this.#state.stream ?? streamOf(this.#state);
  }
}

/** True when `target` has a body, without building a lazy one. */
export function hasBody(target: { readonly body: ReadableStream<Uint8Array> | null }): boolean {
  return states.has(target) || target.body !== null;
}

/** True when the body was handed out as a stream and is being read. */
export function bodyLocked(target: { readonly body: ReadableStream<Uint8Array> | null }): boolean {
  const state = states.get(target);
  if (state !== undefined) return state.stream?.locked ?? false;
  return target.body?.locked ?? false;
}

/**
 * Lets go of an unread body: a lazy one is cancelled at its source (no stream is built for it),
 * any other unlocked one through its stream.
 */
export function discardBody(target: { readonly body: ReadableStream<Uint8Array> | null } | null | undefined): void {
  if (!target) return;
  const state = states.get(target);
  if (state !== undefined && state.stream === undefined) {
    if (state.started) return;
    state.started = true;
    abortTaps(state);
    state.source.cancel().catch(() => undefined);
    return;
  }
  const body = target.body;
  if (body && !body.locked) body.cancel().catch(() => undefined);
}

function streamOf(state: TapState): ReadableStream<Uint8Array> {
  const { source } = state;
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
          // Hand over what has already arrived too (the source bounds it): the reader then takes
          // those chunks from the stream's queue without a pull, a promise and a task each.
          for (let chunk: Uint8Array | undefined = value; chunk !== undefined; chunk = source.take?.()) {
            const fed = feed(state, chunk);
            if (fed) await fed;
            controller.enqueue(chunk);
          }
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
  state.stream = stream;
  states.set(stream, state);
  return stream;
}

/** True when `addTap` would accept a tap on `target`. */
export function canTap(target: BodyTarget): boolean {
  return unread(target) !== undefined;
}

/** Hooks `tap` into a tappable body nobody has read yet; false when the caller must wrap instead. */
export function addTap(target: BodyTarget, tap: StreamTap): boolean {
  const state = unread(target);
  state?.taps.push(tap);
  return state !== undefined;
}

/**
 * Reads a tappable body nobody has read yet to the end, taps applied, without pulling it through
 * a web stream (a stream already built is locked meanwhile). Undefined when `target` is not such a
 * body. With `expectedLength`, chunks are copied once into a buffer of that size.
 */
export function readTapped(target: BodyTarget, expectedLength: number | undefined): Promise<Uint8Array> | undefined {
  const state = unread(target);
  if (state === undefined) return undefined;
  state.started = true;
  const reader = state.stream?.getReader();
  const result = drain(state, expectedLength);
  return reader ? result.finally(() => reader.releaseLock()) : result;
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
