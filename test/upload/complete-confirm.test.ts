/**
 * A CompleteMultipartUpload that ends in NoSuchUpload (its earlier answer lost) is confirmed with
 * HEAD: success only when the object under the key is the combination of our parts.
 */
import { describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { OssError } from '../../src/errors.js';
import { upload } from '../../src/upload/upload.js';
import { randomBytes } from '../helpers/prng.js';
import { FakeApi } from './fake-api.js';

const partSize = 100 * 1024;
const env = { bucket: 'b', retryBaseDelayMs: 0 };
const noSuchUpload = (): OssError => new OssError({ code: 'NoSuchUpload', status: 404, message: 'no such upload' });

describe('completion confirmed by HEAD', () => {
  it('reports success when the stored object is the combination of the parts', async () => {
    const api = new FakeApi();
    const body = randomBytes(3 * partSize + 1, 31);
    // The object is stored, then the answer is lost: the caller only sees the retry's NoSuchUpload.
    api.hooks.afterComplete = () => {
      throw noSuchUpload();
    };
    const out = await upload(api, { key: 'k', body, partSize }, env);
    expect(api.calls.HeadObject).toBe(1);
    expect(out.crc64).toBe(crc64(body));
    expect(api.aborted).toEqual([]);
  });

  it('fails with NoSuchUpload when another object sits under the key', async () => {
    const api = new FakeApi();
    const body = randomBytes(3 * partSize + 1, 32);
    api.hooks.beforeComplete = () => {
      const other = randomBytes(3 * partSize + 1, 33);
      api.objects.set('k', { bytes: other, crc64: crc64(other) });
      throw noSuchUpload();
    };
    const error = await upload(api, { key: 'k', body, partSize }, env).catch((e: unknown) => e);
    expect((error as OssError).code).toBe('NoSuchUpload');
    expect(api.calls.HeadObject).toBe(1);
  });

  it('fails with NoSuchUpload when nothing is stored', async () => {
    const api = new FakeApi();
    api.hooks.beforeComplete = () => {
      throw noSuchUpload();
    };
    const error = await upload(api, { key: 'k', body: randomBytes(2 * partSize, 34), partSize }, env).catch((e: unknown) => e);
    expect((error as OssError).code).toBe('NoSuchUpload');
  });
});
