/**
 * A resumed upload never reuses a part whose source bytes changed: in-memory bodies and Blobs
 * without lastModified are fingerprinted whole, and every part taken over from a checkpoint is read
 * again and compared with its recorded CRC-64.
 */
import { describe, expect, it } from 'vitest';
import { KiB } from '../../src/defaults.js';
import { openCheckpoint } from '../../src/upload/checkpoint.js';
import { FINGERPRINT_SAMPLE_BYTES } from '../../src/upload/fingerprint.js';
import { upload } from '../../src/upload/upload.js';
import { randomBytes } from '../helpers/prng.js';
import { FakeApi, memoryStore, sameBytes } from './fake-api.js';

const partSize = 100 * KiB;
const env = { bucket: 'b', retryBaseDelayMs: 0 };

/** Runs an upload that is cancelled once `parts` parts are stored; returns the kept record. */
async function interrupted(api: FakeApi, store: ReturnType<typeof memoryStore>, body: Uint8Array | Blob, parts: number) {
  const controller = new AbortController();
  api.hooks.beforePart = async (input) => {
    if (input.partNumber === parts + 1) {
      controller.abort();
      await new Promise(() => undefined);
    }
  };
  const error = await upload(api, { key: 'k', body, partSize, parallel: 1, checkpoint: store, signal: controller.signal }, env).catch((e) => e);
  expect(error.code).toBe('Aborted');
  api.hooks = {};
  api.partNumbersSent.length = 0;
  const record = openCheckpoint([...store.records.values()][0])!;
  expect(record.parts.length).toBe(parts);
  return record;
}

/** 7 parts; returns a copy with one byte of part 2 changed, outside the four sampled windows. */
function bodies(seed: number): { before: Uint8Array<ArrayBuffer>; after: Uint8Array<ArrayBuffer> } {
  const before = randomBytes(7 * partSize, seed);
  const after = before.slice();
  const offset = partSize + 10;
  expect(offset).toBeGreaterThan(FINGERPRINT_SAMPLE_BYTES);
  expect(offset).toBeLessThan(Math.floor(before.byteLength / 3));
  after[offset]! ^= 0xff;
  return { before, after };
}

describe('resume after the source changed outside the sampled windows', () => {
  it('Uint8Array: starts over and stores the new bytes', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const { before, after } = bodies(41);
    const record = await interrupted(api, store, before, 3);
    const out = await upload(api, { key: 'k', body: after, partSize, checkpoint: store }, env);
    expect(out.uploadId).not.toBe(record.uploadId);
    expect(api.aborted).toContain(record.uploadId);
    expect(sameBytes(api.objects.get('k')!.bytes, after)).toBe(true);
  });

  it('string: starts over and stores the new text', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const before = 'a'.repeat(7 * partSize);
    const after = `${before.slice(0, partSize + 10)}b${before.slice(partSize + 11)}`;
    await interrupted(api, store, new TextEncoder().encode(before), 3);
    await upload(api, { key: 'k', body: after, partSize, checkpoint: store }, env);
    expect(new TextDecoder().decode(api.objects.get('k')!.bytes)).toBe(after);
  });

  it('Blob without lastModified: starts over and stores the new bytes', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const { before, after } = bodies(42);
    await interrupted(api, store, new Blob([before]), 3);
    await upload(api, { key: 'k', body: new Blob([after]), partSize, checkpoint: store }, env);
    expect(sameBytes(api.objects.get('k')!.bytes, after)).toBe(true);
  });

  it('File with the same name and lastModified: re-reads the reused parts and sends the changed one again', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const { before, after } = bodies(43);
    const record = await interrupted(api, store, new File([before], 'a.bin', { lastModified: 1000 }), 3);
    const out = await upload(api, { key: 'k', body: new File([after], 'a.bin', { lastModified: 1000 }), partSize, checkpoint: store }, env);
    // Same identity (sampled fingerprint): the upload resumes, parts 1 and 3 are reused, 2 is not.
    expect(out.uploadId).toBe(record.uploadId);
    expect(api.partNumbersSent.sort((a, b) => a - b)).toEqual([2, 4, 5, 6, 7]);
    expect(sameBytes(api.objects.get('k')!.bytes, after)).toBe(true);
  });
});
