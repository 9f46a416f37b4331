/**
 * Hooks a check into a response body: a tap on a tappable stream (tapped-stream.ts), else a
 * tappable stream over the body's reader with the tap on it. Either way one mechanism runs the
 * check, and later checks and `bytes()` find a tappable stream.
 */
import { addTap, tappableStream, type StreamTap } from './tapped-stream.js';

/**
 * `stream` with `tap` applied as it is read.
 * @example const checked = withTap(body, { chunk: (c) => void (n += c.byteLength), end: () => check(n) });
 */
export function withTap(stream: ReadableStream<Uint8Array>, tap: StreamTap): ReadableStream<Uint8Array> {
  if (addTap(stream, tap)) return stream;
  const reader = stream.getReader();
  const wrapped = tappableStream({
    read: async () => {
      const { done, value } = await reader.read();
      return done ? undefined : value;
    },
    cancel: () => reader.cancel(),
  });
  addTap(wrapped, tap);
  return wrapped;
}
