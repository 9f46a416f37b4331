import { describe, expect, it } from 'vitest';
import { KiB } from '../../src/defaults.js';
import { OssClientError } from '../../src/errors.js';
import { openCheckpoint, type CheckpointRecord } from '../../src/upload/checkpoint.js';
import type { UploadProgress } from '../../src/upload/progress.js';
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
  const [raw] = [...store.records.values()];
  const record = openCheckpoint(raw)!;
  expect(record).toBeDefined();
  return record;
}

describe('resuming from a checkpoint', () => {
  it('sends only the missing parts, reports the confirmed bytes first, and removes the record', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const data = randomBytes(7 * partSize + 11);
    const record = await interrupted(api, store, data, 3);
    expect(record.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);

    const events: UploadProgress[] = [];
    const out = await upload(api, { key: 'k', body: data, partSize, checkpoint: store, onProgress: (p) => events.push(p) }, env);
    expect(api.calls.InitiateMultipartUpload).toBe(1);
    // Three parts listed over two pages of ListParts (the fake pages by two).
    expect(api.calls.ListParts).toBe(2);
    expect(api.partNumbersSent.sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    expect(out.uploadId).toBe(record.uploadId);
    expect(events[0]).toEqual({ loadedBytes: 3 * partSize, totalBytes: data.byteLength, stage: 'uploading' });
    expect(sameBytes(api.objects.get('k')!.bytes, data)).toBe(true);
    expect(store.records.size).toBe(0);
  });

  it('trusts the server over the record: lost parts are sent again, unrecorded parts are kept', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const data = randomBytes(6 * partSize);
    const record = await interrupted(api, store, data, 4);
    const server = api.uploads.get(record.uploadId)!.parts;
    server.delete(2);
    // A part the service stored but the record missed (a crash right after it was confirmed).
    const fifth = data.slice(4 * partSize, 5 * partSize);
    await api.uploadPart({ bucket: 'b', key: 'k', uploadId: record.uploadId, partNumber: 5, body: fifth });
    api.partNumbersSent.length = 0;

    await upload(api, { key: 'k', body: data, partSize, checkpoint: store }, env);
    expect(api.partNumbersSent.sort()).toEqual([2, 6]);
    expect(sameBytes(api.objects.get('k')!.bytes, data)).toBe(true);
  });

  it('sends again a listed part whose size or ETag disagrees', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const data = randomBytes(5 * partSize);
    const record = await interrupted(api, store, data, 3);
    const server = api.uploads.get(record.uploadId)!.parts;
    server.set(1, { ...server.get(1)!, bytes: server.get(1)!.bytes.subarray(1) });
    server.set(2, { ...server.get(2)!, etag: '"DIFFERENT"' });

    await upload(api, { key: 'k', body: data, partSize, checkpoint: store }, env);
    expect(api.partNumbersSent.sort()).toEqual([1, 2, 4, 5]);
    expect(sameBytes(api.objects.get('k')!.bytes, data)).toBe(true);
  });

  it('starts over and aborts the stale upload when the source changed', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const before = randomBytes(5 * partSize, 1);
    const record = await interrupted(api, store, new File([before], 'a.bin', { lastModified: 1000 }), 2);
    const after = randomBytes(5 * partSize, 2);
    const out = await upload(api, { key: 'k', body: new File([after], 'a.bin', { lastModified: 2000 }), partSize, checkpoint: store }, env);
    expect(api.aborted).toEqual([record.uploadId]);
    expect(out.uploadId).not.toBe(record.uploadId);
    expect(api.partNumbersSent.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(sameBytes(api.objects.get('k')!.bytes, after)).toBe(true);
  });

  it('notices a change of content even when name, size and mtime agree (sampled fingerprint)', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const before = randomBytes(5 * partSize, 1);
    await interrupted(api, store, new File([before], 'a.bin', { lastModified: 1000 }), 2);
    const after = before.slice();
    after[0] = after[0]! ^ 0xff;
    await upload(api, { key: 'k', body: new File([after], 'a.bin', { lastModified: 1000 }), partSize, checkpoint: store }, env);
    expect(api.aborted).toHaveLength(1);
    expect(sameBytes(api.objects.get('k')!.bytes, after)).toBe(true);
  });

  it('starts over when the service no longer knows the upload (NoSuchUpload)', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const data = randomBytes(4 * partSize);
    const record = await interrupted(api, store, data, 2);
    api.uploads.delete(record.uploadId);
    const out = await upload(api, { key: 'k', body: data, partSize, checkpoint: store }, env);
    expect(out.uploadId).not.toBe(record.uploadId);
    expect(api.partNumbersSent.sort()).toEqual([1, 2, 3, 4]);
  });

  it('discards a corrupt record instead of trusting it', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const data = randomBytes(4 * partSize);
    const record = await interrupted(api, store, data, 2);
    const [id] = [...store.records.keys()];
    const tampered: CheckpointRecord = { ...record, parts: [...record.parts, { partNumber: 3, etag: '"X"', crc64: '1', size: partSize }] };
    store.records.set(id!, tampered);
    const out = await upload(api, { key: 'k', body: data, partSize, checkpoint: store }, env);
    expect(out.uploadId).not.toBe(record.uploadId);
    expect(api.calls.ListParts ?? 0).toBe(0);
    expect(sameBytes(api.objects.get('k')!.bytes, data)).toBe(true);
  });

  it('takes the store lock for the whole upload and refuses when it is held elsewhere', async () => {
    const api = new FakeApi();
    const held = new Set<string>();
    const log: string[] = [];
    const store = {
      ...memoryStore(),
      async lock(id: string) {
        if (held.has(id)) throw new OssClientError('InvalidArgument', 'busy');
        held.add(id);
        log.push('lock');
        return async () => {
          held.delete(id);
          log.push('unlock');
        };
      },
    };
    const data = randomBytes(3 * partSize);
    await upload(api, { key: 'k', body: data, partSize, checkpoint: store }, env);
    expect(log).toEqual(['lock', 'unlock']);

    const stall = new Promise<void>(() => undefined);
    api.hooks.beforePart = () => stall;
    const controller = new AbortController();
    const first = upload(api, { key: 'k', body: data, partSize, checkpoint: store, signal: controller.signal }, env);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await upload(api, { key: 'k', body: data, partSize, checkpoint: store }, env).catch((e) => e);
    expect(second.message).toMatch(/busy/);
    controller.abort();
    expect((await first.catch((e) => e)).code).toBe('Aborted');
  });
});
