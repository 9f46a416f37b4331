import { describe, expect, it } from 'vitest';
import { crcCheckedStream } from '../../src/integrity/crc-check.js';
import { crc64 } from '../../src/integrity/crc64.js';
import { OssClientError } from '../../src/errors.js';
import { addTap, readTapped, tappableStream, type ChunkSource } from '../../src/pipeline/tapped-stream.js';

function source(chunks: Uint8Array[]): ChunkSource & { cancelled: boolean } {
  let at = 0;
  return {
    cancelled: false,
    read: async () => chunks[at++],
    async cancel() {
      this.cancelled = true;
    },
  };
}

const parts = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];
const all = new Uint8Array([1, 2, 3, 4, 5]);

async function readStream(stream: ReadableStream<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) out.push(...chunk);
  return out;
}

describe('tappable streams', () => {
  it('taps see every chunk and the end, through the web stream and through readTapped', async () => {
    for (const direct of [false, true]) {
      const stream = tappableStream(source(parts));
      const seen: number[] = [];
      let ended = 0;
      expect(addTap(stream, { chunk: (c) => void seen.push(c.byteLength), end: () => void ended++ })).toBe(true);
      const bytes = direct ? [...(await readTapped(stream, 5)!)] : await readStream(stream);
      expect(bytes).toEqual([...all]);
      expect(seen).toEqual([3, 2]);
      expect(ended).toBe(1);
    }
  });

  it('an end check that throws errors the stream and rejects readTapped', async () => {
    const failing = { end: () => { throw new OssClientError('NetworkError', 'short'); } };
    const web = tappableStream(source(parts));
    addTap(web, failing);
    await expect(readStream(web)).rejects.toMatchObject({ code: 'NetworkError' });
    const direct = tappableStream(source(parts));
    addTap(direct, failing);
    await expect(readTapped(direct, undefined)!).rejects.toMatchObject({ code: 'NetworkError' });
  });

  it('refuses taps and direct reads once reading started, and other streams', async () => {
    const stream = tappableStream(source(parts));
    const reader = stream.getReader();
    expect(addTap(stream, {})).toBe(false);
    expect(readTapped(stream, undefined)).toBeUndefined();
    reader.releaseLock();
    const plain = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    expect(addTap(plain, {})).toBe(false);
    expect(readTapped(plain, undefined)).toBeUndefined();
  });

  it('readTapped collects more than announced and less than announced', async () => {
    expect([...(await readTapped(tappableStream(source(parts)), 2)!)]).toEqual([...all]);
    expect([...(await readTapped(tappableStream(source(parts)), 9)!)]).toEqual([...all]);
  });

  it('crcCheckedStream taps a tappable body instead of wrapping it, and still catches a mismatch', async () => {
    const good = tappableStream(source(parts));
    expect(crcCheckedStream(good, crc64(all), {})).toBe(good);
    expect(await readStream(good)).toEqual([...all]);
    const bad = tappableStream(source(parts));
    const checked = crcCheckedStream(bad, '12345', { operation: 'GetObject' });
    await expect(readTapped(checked, 5)!).rejects.toMatchObject({ code: 'CrcMismatch' });
  });
});
