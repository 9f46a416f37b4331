import { describe, expect, it } from 'vitest';
import { DEFAULT_PART_SIZE, GiB, KiB, MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE, MiB } from '../../src/defaults.js';
import { OssClientError } from '../../src/errors.js';
import { partsOf, resolvePartSize, streamParts, type Part } from '../../src/upload/parts.js';
import { randomBytes } from '../helpers/prng.js';
import { sameBytes } from './fake-api.js';

async function collect(parts: AsyncIterable<Part>): Promise<Part[]> {
  const out: Part[] = [];
  for await (const p of parts) out.push({ ...p, bytes: p.bytes.slice() });
  return out;
}

function join(parts: Part[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.bytes.byteLength, 0));
  for (const p of parts) out.set(p.bytes, p.offset);
  return out;
}

async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < bytes.byteLength; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

describe('resolvePartSize', () => {
  it('defaults to 8 MiB', () => {
    expect(resolvePartSize(undefined, 100 * MiB)).toBe(DEFAULT_PART_SIZE);
    expect(resolvePartSize(undefined, undefined)).toBe(DEFAULT_PART_SIZE);
  });

  it('raises the size so that no upload needs more than 10,000 parts', () => {
    for (const total of [MAX_PARTS * DEFAULT_PART_SIZE + 1, 200 * GiB, 1234567 * MiB + 7]) {
      const size = resolvePartSize(undefined, total);
      expect(size).toBeGreaterThan(DEFAULT_PART_SIZE);
      expect(Math.ceil(total / size)).toBeLessThanOrEqual(MAX_PARTS);
      expect(size % KiB).toBe(0);
    }
    // Exactly 10,000 default parts needs no raise.
    expect(resolvePartSize(undefined, MAX_PARTS * DEFAULT_PART_SIZE)).toBe(DEFAULT_PART_SIZE);
    // A requested size is raised too.
    const raised = resolvePartSize(MIN_PART_SIZE, 10 * GiB);
    expect(Math.ceil((10 * GiB) / raised)).toBeLessThanOrEqual(MAX_PARTS);
  });

  it('refuses sizes outside 100 KiB – 5 GiB, and bodies too big for any size', () => {
    for (const bad of [MIN_PART_SIZE - 1, MAX_PART_SIZE + 1, 0, -5, 1.5 * MiB + 0.5, Number.NaN]) {
      expect(() => resolvePartSize(bad, 1)).toThrow(OssClientError);
      try {
        resolvePartSize(bad, 1);
      } catch (e) {
        expect((e as OssClientError).code).toBe('InvalidArgument');
      }
    }
    expect(resolvePartSize(MIN_PART_SIZE, 1)).toBe(MIN_PART_SIZE);
    expect(resolvePartSize(MAX_PART_SIZE, 1)).toBe(MAX_PART_SIZE);
    expect(() => resolvePartSize(undefined, MAX_PARTS * MAX_PART_SIZE + 1)).toThrow(/too large/);
  });
});

describe('partsOf', () => {
  const partSize = 100 * KiB;
  const data = randomBytes(3 * partSize + 123);

  it('cuts bytes into full parts and a short last part', async () => {
    const parts = await collect(partsOf(data, partSize));
    expect(parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4]);
    expect(parts.map((p) => p.bytes.byteLength)).toEqual([partSize, partSize, partSize, 123]);
    expect(parts.map((p) => p.offset)).toEqual([0, partSize, 2 * partSize, 3 * partSize]);
    expect(sameBytes(join(parts), data)).toBe(true);
  });

  it('cuts an exact multiple into full parts only', async () => {
    const parts = await collect(partsOf(data.subarray(0, 2 * partSize), partSize));
    expect(parts.map((p) => p.bytes.byteLength)).toEqual([partSize, partSize]);
  });

  it('gives Blobs, ArrayBuffers and strings the same parts', async () => {
    const fromBlob = await collect(partsOf(new Blob([data]), partSize));
    const fromBuffer = await collect(partsOf(data.slice().buffer, partSize));
    expect(sameBytes(join(fromBlob), data)).toBe(true);
    expect(sameBytes(join(fromBuffer), data)).toBe(true);
    expect(fromBlob.map((p) => p.bytes.byteLength)).toEqual([partSize, partSize, partSize, 123]);
    const text = 'héllo wörld '.repeat(20_000);
    const fromString = await collect(partsOf(text, partSize));
    expect(new TextDecoder().decode(join(fromString))).toBe(text);
  });

  it('skips finished parts without yielding them', async () => {
    const parts = await collect(partsOf(new Blob([data]), partSize, (n) => n === 1 || n === 3));
    expect(parts.map((p) => p.partNumber)).toEqual([2, 4]);
    expect(sameBytes(parts[0]!.bytes, data.subarray(partSize, 2 * partSize))).toBe(true);
  });

  it('yields one empty part for an empty body', async () => {
    const parts = await collect(partsOf(new Uint8Array(), partSize));
    expect(parts).toHaveLength(1);
    expect(parts[0]!.bytes.byteLength).toBe(0);
  });

  it('cuts streams of unknown length as chunks arrive, whatever the chunk sizes', async () => {
    for (const sizes of [[1000], [7, 99_999, 250_000], [partSize], [3 * partSize + 123]]) {
      const parts = await collect(partsOf(chunked(data, sizes), partSize));
      expect(parts.map((p) => p.bytes.byteLength)).toEqual([partSize, partSize, partSize, 123]);
      expect(sameBytes(join(parts), data)).toBe(true);
    }
  });

  it('emits a part before the stream ends (no read-ahead to the end)', async () => {
    let pulled = 0;
    async function* slow(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 10; i++) {
        pulled += 1;
        yield new Uint8Array(partSize / 2);
      }
    }
    const it = partsOf(slow(), partSize)[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value?.partNumber).toBe(1);
    expect(pulled).toBe(2);
    await it.return?.();
  });

  it('reads web ReadableStreams', async () => {
    const stream = new Blob([data]).stream();
    const parts = await collect(partsOf(stream, partSize));
    expect(sameBytes(join(parts), data)).toBe(true);
    expect(parts).toHaveLength(4);
  });

  it('handles an empty stream and an exact-multiple stream', async () => {
    expect((await collect(partsOf(chunked(new Uint8Array(), [1]), partSize))).map((p) => p.bytes.byteLength)).toEqual([0]);
    const exact = await collect(partsOf(chunked(data.subarray(0, 2 * partSize), [4096]), partSize));
    expect(exact.map((p) => p.bytes.byteLength)).toEqual([partSize, partSize]);
  });

  it('refuses a stream that needs more than 10,000 parts', async () => {
    const tooMany = await collect(streamParts(chunked(new Uint8Array(MAX_PARTS), [333]), 1));
    expect(tooMany).toHaveLength(MAX_PARTS);
    await expect(collect(streamParts(chunked(new Uint8Array(MAX_PARTS + 1), [333]), 1))).rejects.toThrow(/more than 10000 parts/);
  });

  it('refuses bodies it cannot read', () => {
    expect(() => partsOf(42 as never, partSize)).toThrow(OssClientError);
  });
});
