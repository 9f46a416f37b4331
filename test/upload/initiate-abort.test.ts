/**
 * An abort while InitiateMultipartUpload is in flight: the answer is awaited (up to a grace period)
 * so the upload it creates is aborted — or kept on record with a checkpoint — never orphaned.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCheckpoint } from '../../src/upload/checkpoint.js';
const INITIATE_ABORT_GRACE_MS = 5000;
import { upload } from '../../src/upload/upload.js';
import { randomBytes } from '../helpers/prng.js';
import { FakeApi, memoryStore } from './fake-api.js';

const partSize = 100 * 1024;
const env = { bucket: 'b', retryBaseDelayMs: 0 };

/** InitiateMultipartUpload waits until `release()`; `started` resolves once it was called. */
function gatedInitiate(api: FakeApi) {
  let release = (): void => undefined;
  let started = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const called = new Promise<void>((resolve) => (started = resolve));
  api.hooks.beforeInitiate = async () => {
    started();
    await gate;
  };
  return { release, called };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('abort during InitiateMultipartUpload', () => {
  it('waits for the answer, aborts the new upload, then rejects with Aborted', async () => {
    const api = new FakeApi();
    const { release, called } = gatedInitiate(api);
    const controller = new AbortController();
    const running = upload(api, { key: 'k', body: randomBytes(3 * partSize, 61), partSize, signal: controller.signal }, env);
    await called;
    controller.abort();
    release();
    await expect(running).rejects.toMatchObject({ code: 'Aborted' });
    expect(api.aborted).toEqual(['upload-1']);
    expect(api.calls.UploadPart).toBeUndefined();
  });

  it('with a checkpoint, keeps the new upload on record for the next run', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const { release, called } = gatedInitiate(api);
    const controller = new AbortController();
    const running = upload(
      api,
      { key: 'k', body: randomBytes(3 * partSize, 62), partSize, checkpoint: store, signal: controller.signal },
      env,
    );
    await called;
    controller.abort();
    release();
    await expect(running).rejects.toMatchObject({ code: 'Aborted' });
    expect(api.aborted).toEqual([]);
    expect(openCheckpoint([...store.records.values()][0])?.uploadId).toBe('upload-1');
  });

  it('rejects after the grace period, and aborts the upload when the late answer arrives', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const api = new FakeApi();
    const { release, called } = gatedInitiate(api);
    const controller = new AbortController();
    const running = upload(api, { key: 'k', body: randomBytes(3 * partSize, 63), partSize, signal: controller.signal }, env);
    const outcome = running.catch((e: unknown) => e);
    await called;
    controller.abort();
    await vi.advanceTimersByTimeAsync(INITIATE_ABORT_GRACE_MS);
    expect(await outcome).toMatchObject({ code: 'Aborted' });
    expect(api.aborted).toEqual([]);
    release();
    await vi.waitFor(() => expect(api.aborted).toEqual(['upload-1']));
    expect(api.calls.UploadPart).toBeUndefined();
  });
});
