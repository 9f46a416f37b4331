import { describe, expect, it } from 'vitest';
import { addTap, readTapped, tappableStream } from '../../src/pipeline/tapped-stream.js';
import { withTap } from '../../src/pipeline/with-tap.js';

const plain = (chunks: Uint8Array[], fail?: Error): ReadableStream<Uint8Array> =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      if (fail) controller.error(fail);
      else controller.close();
    },
  });

const parts = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];

describe('withTap', () => {
  it('taps a tappable stream in place', () => {
    const stream = tappableStream({ read: async () => undefined, cancel: async () => undefined });
    expect(withTap(stream, {})).toBe(stream);
  });

  it('wraps any other stream in a tappable one: the tap sees every chunk and the end, and more taps can join', async () => {
    const seen: number[] = [];
    let ended = 0;
    const wrapped = withTap(plain(parts), { chunk: (c) => void seen.push(c.byteLength), end: () => void ended++ });
    expect(addTap(wrapped, {})).toBe(true);
    expect([...(await readTapped(wrapped, 5)!)]).toEqual([1, 2, 3, 4, 5]);
    expect({ seen, ended }).toEqual({ seen: [3, 2], ended: 1 });
  });

  it('an end check that throws errors the stream; a failing source aborts the tap', async () => {
    const refused = withTap(plain(parts), {
      end: () => {
        throw new Error('too short');
      },
    });
    await expect(readTapped(refused, 5)!).rejects.toThrow('too short');
    let aborted = 0;
    const broken = withTap(plain(parts, new Error('reset')), { abort: () => void aborted++ });
    await expect(new Response(broken).arrayBuffer()).rejects.toThrow('reset');
    expect(aborted).toBe(1);
  });
});
