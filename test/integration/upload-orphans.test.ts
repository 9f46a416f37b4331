/**
 * Managed uploads leave no orphan multipart upload behind: not when the caller aborts while
 * InitiateMultipartUpload is in flight, and not when a corrupt checkpoint record still names an
 * earlier upload.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkpointId } from '../../src/upload/checkpoint.js';
import { identityOf } from '../../src/upload/fingerprint.js';
import { randomBytes } from '../helpers/prng.js';
import { memoryStore } from '../upload/fake-api.js';
import { startHarness, type Harness } from '../upload/emulator-setup.js';

const PART = 100 * 1024;
let h: Harness;

beforeAll(async () => {
  h = await startHarness('upload-orphans');
});

afterAll(async () => {
  await h.client.close();
  await h.emu.close();
});

beforeEach(() => {
  h.emu.faults.clear();
  h.emu.stats.reset();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function openUploads(key: string): Promise<string[]> {
  const { uploads } = await h.client.listMultipartUploads({ prefix: key });
  return uploads.filter((u) => u.key === key).map((u) => u.uploadId);
}

describe('abort while InitiateMultipartUpload is in flight', () => {
  it('aborts the upload the late answer names before rejecting with Aborted', async () => {
    const key = 'initiate-abort.bin';
    const delay = 300;
    h.emu.faults.latency(delay, 'InitiateMultipartUpload');
    const controller = new AbortController();
    const running = h.client.upload({ key, body: randomBytes(3 * PART, 4), partSize: PART, signal: controller.signal });
    while (h.emu.stats.count('InitiateMultipartUpload') === 0) await sleep(5);
    controller.abort();
    const error = await running.catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('Aborted');
    // Whatever the emulator did with the initiate request, it has done it by now.
    await sleep(delay + 100);
    expect(await openUploads(key)).toEqual([]);
    expect(h.emu.stats.count('UploadPart')).toBe(0);
  });
});

describe('a corrupt checkpoint record', () => {
  it('has the upload it names aborted when its uploadId can be read', async () => {
    const key = 'corrupt-record.bin';
    const body = randomBytes(3 * PART + 5, 5);
    const { uploadId: old } = await h.client.initiateMultipartUpload({ key });
    await h.client.uploadPart({ key, uploadId: old, partNumber: 1, body: body.subarray(0, PART) });
    const store = memoryStore();
    const id = checkpointId('upload-orphans', key, await identityOf(body));
    // Truncated on disk (e.g. a crash mid-write): not JSON, so not resumable...
    store.records.set(id, `{"version":1,"bucket":"upload-orphans","key":"${key}","uploadId":"${old}","parts":[`);
    await expect(openUploads(key)).resolves.toEqual([old]);

    const out = await h.client.upload({ key, body, partSize: PART, checkpoint: store });
    expect(out.uploadId).not.toBe(old);
    expect(await openUploads(key)).toEqual([]);
    expect(store.records.size).toBe(0);
  });

  it('that failed its checksum has its upload aborted too', async () => {
    const key = 'tampered-record.bin';
    const body = randomBytes(3 * PART + 5, 6);
    const { uploadId: old } = await h.client.initiateMultipartUpload({ key });
    const store = memoryStore();
    const id = checkpointId('upload-orphans', key, await identityOf(body));
    store.records.set(id, { version: 1, bucket: 'upload-orphans', key, uploadId: old, parts: [], checksum: 'bad' });

    await h.client.upload({ key, body, partSize: PART, checkpoint: store });
    expect(await openUploads(key)).toEqual([]);
  });
});
