/**
 * A source with a `recheck` (uploadFile of a file changed moments before the upload) is read again
 * before the object is committed: bytes that changed after they were sent fail the upload, naming
 * the part, instead of committing an object of old and new bytes.
 */
import { describe, expect, it } from 'vitest';
import { bytesParts } from '../../src/upload/parts.js';
import { recheckParts } from '../../src/upload/recheck.js';
import { uploadSource, type UploadSource } from '../../src/upload/upload.js';
import { randomBytes } from '../helpers/prng.js';
import { FakeApi } from './fake-api.js';

const partSize = 100 * 1024;
const env = { bucket: 'b', retryBaseDelayMs: 0 };

function mutableSource(data: Uint8Array): UploadSource {
  return { size: data.byteLength, parts: (size, skip) => bytesParts(data, size, skip), recheck: recheckParts };
}

describe('recheck before commit', () => {
  it('multipart: a part changed after it was sent fails the upload with InvalidArgument naming it', async () => {
    const api = new FakeApi();
    const data = randomBytes(4 * partSize, 71);
    api.hooks.beforePart = (input) => {
      if (input.partNumber === 3) data[partSize + 5]! ^= 1; // part 2 is already sent
    };
    const error = await uploadSource(api, mutableSource(data), { key: 'k', partSize, parallel: 1 }, env).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidArgument' });
    expect((error as Error).message).toMatch(/^part 2: the source changed/);
    expect(api.calls.CompleteMultipartUpload).toBeUndefined();
    expect(api.aborted).toEqual(['upload-1']);
  });

  it('multipart: an unchanged source completes after the second read', async () => {
    const api = new FakeApi();
    const data = randomBytes(4 * partSize + 9, 72);
    await uploadSource(api, mutableSource(data), { key: 'k', partSize }, env);
    expect(Buffer.compare(api.objects.get('k')!.bytes, data)).toBe(0);
  });

  it('single PutObject: bytes that differ on the second read are not sent', async () => {
    const api = new FakeApi();
    let reads = 0;
    const source: UploadSource = {
      size: 1000,
      parts: (size, skip) => bytesParts(randomBytes(1000, ++reads), size, skip),
      recheck: recheckParts,
    };
    const error = await uploadSource(api, source, { key: 'k', partSize }, env).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidArgument' });
    expect(api.calls.PutObject).toBeUndefined();
  });
});
