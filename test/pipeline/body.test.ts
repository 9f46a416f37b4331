import { describe, expect, it } from 'vitest';
import { concatBytes, readAll } from '../../src/pipeline/body.js';

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => (chunks.forEach((x) => c.enqueue(x)), c.close()) });
}

function pattern(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('readAll', () => {
  const whole = pattern(10_000);
  const pieces = [whole.subarray(0, 1), whole.subarray(1, 4096), whole.subarray(4096, 9000), whole.subarray(9000)];

  it('reads a stream of many chunks, with or without a size hint', async () => {
    expect(await readAll(streamOf(...pieces))).toEqual(whole);
    const sized = await readAll(streamOf(...pieces), whole.byteLength);
    expect(sized).toEqual(whole);
    // The hint sizes the buffer exactly: nothing to trim, no spare capacity kept alive.
    expect(sized.buffer.byteLength).toBe(whole.byteLength);
  });

  it('copes with a body longer than announced', async () => {
    expect(await readAll(streamOf(...pieces), 5000)).toEqual(whole);
    expect(await readAll(streamOf(...pieces), 1)).toEqual(whole);
  });

  it('copes with a body shorter than announced, returning only what came', async () => {
    const short = await readAll(streamOf(...pieces), 20_000);
    expect(short).toEqual(whole);
    expect(short.byteLength).toBe(whole.byteLength);
  });

  it('ignores a hint that is not a usable length', async () => {
    for (const hint of [0, -1, Number.NaN, 1.5, Number.POSITIVE_INFINITY]) {
      expect(await readAll(streamOf(...pieces), hint)).toEqual(whole);
    }
    expect(await readAll(streamOf(), 100)).toEqual(new Uint8Array(0));
    expect(await readAll(streamOf())).toEqual(new Uint8Array(0));
  });

  it('releases the reader so a failed read leaves the stream unlocked', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(pattern(10));
        c.error(new Error('boom'));
      },
    });
    await expect(readAll(failing, 10)).rejects.toThrow('boom');
    expect(failing.locked).toBe(false);
  });

  it('reads async iterables, strings, bytes and Blobs', async () => {
    async function* gen(): AsyncGenerator<Uint8Array> {
      yield* pieces;
    }
    expect(await readAll(gen())).toEqual(whole);
    expect(await readAll('hé')).toEqual(new TextEncoder().encode('hé'));
    expect(await readAll(whole)).toBe(whole);
    expect(await readAll(new Blob([whole.slice().buffer]))).toEqual(whole);
  });
});

describe('concatBytes', () => {
  it('joins chunks and handles none and one', () => {
    expect(concatBytes([], 0)).toEqual(new Uint8Array(0));
    const one = pattern(3);
    expect(concatBytes([one], 3)).toBe(one);
    expect(concatBytes([pattern(2, 1), pattern(3, 2)], 5)).toEqual(new Uint8Array([...pattern(2, 1), ...pattern(3, 2)]));
  });
});
