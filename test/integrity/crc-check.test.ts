import { describe, expect, it } from 'vitest';
import { crcCheckedStream, trackRequestCrc } from '../../src/integrity/crc-check.js';
import { crc64 } from '../../src/integrity/crc64.js';
import { readAll } from '../../src/pipeline/body.js';
import { isOssClientError } from '../../src/errors.js';

const data = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);

/** Byte equality without toEqual's per-element cost on large arrays. */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
}

describe('trackRequestCrc for bytes', () => {
  it('hashes on settle() or on first digest(), once', async () => {
    const tracked = await trackRequestCrc(data);
    expect(tracked.body).toBe(data);
    expect(typeof tracked.settle).toBe('function');
    tracked.settle!();
    const first = tracked.digest();
    expect(first).toBe(crc64(data));
    // Hashed once: later changes to the buffer do not alter the recorded CRC of what was sent.
    const copy = data.slice();
    const again = await trackRequestCrc(copy);
    again.settle!();
    copy[0] = copy[0]! ^ 0xff;
    expect(again.digest()).toBe(first);
  });

  it('digest() alone gives the same value as settle() first', async () => {
    expect((await trackRequestCrc(data)).digest()).toBe(crc64(data));
  });

  it('streamed bodies have no settle(): they are hashed as they are sent', async () => {
    const stream = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(data), c.close()) });
    const tracked = await trackRequestCrc(stream);
    expect(tracked.settle).toBeUndefined();
    expect(same(await readAll(tracked.body!), data)).toBe(true);
    expect(tracked.digest()).toBe(crc64(data));
  });
});

describe('crcCheckedStream', () => {
  const chunked = (): ReadableStream<Uint8Array> =>
    new ReadableStream({
      start(c) {
        for (let i = 0; i < data.byteLength; i += 65_536) c.enqueue(data.subarray(i, i + 65_536));
        c.close();
      },
    });

  it('passes bytes through unchanged when the CRC matches', async () => {
    expect(same(await readAll(crcCheckedStream(chunked(), crc64(data), {}), data.byteLength), data)).toBe(true);
  });

  it('errors with CrcMismatch at the end when it does not', async () => {
    const error = await readAll(crcCheckedStream(chunked(), '1', { operation: 'GetObject' }), data.byteLength).catch((e: unknown) => e);
    expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
  });
});
