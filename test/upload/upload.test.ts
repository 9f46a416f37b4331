import { describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { KiB } from '../../src/defaults.js';
import { OssClientError, OssError } from '../../src/errors.js';
import { openCheckpoint } from '../../src/upload/checkpoint.js';
import type { UploadProgress } from '../../src/upload/progress.js';
import { upload } from '../../src/upload/upload.js';
import { randomBytes } from '../helpers/prng.js';
import { FakeApi, memoryStore, sameBytes } from './fake-api.js';

const partSize = 100 * KiB;
const env = { bucket: 'b', retryBaseDelayMs: 0 };

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

function checkProgress(events: UploadProgress[], total: number): void {
  for (let i = 1; i < events.length; i++) expect(events[i]!.loadedBytes).toBeGreaterThanOrEqual(events[i - 1]!.loadedBytes);
  expect(events.filter((e) => e.loadedBytes === total)).toHaveLength(1);
  expect(events.at(-1)).toEqual({ loadedBytes: total, totalBytes: total, stage: 'done' });
  expect(events.at(-2)?.stage).toBe('completing');
}

describe('upload() with a fake UploadApi', () => {
  it('sends a body of one part as a single PutObject', async () => {
    const api = new FakeApi();
    const data = randomBytes(partSize);
    const events: UploadProgress[] = [];
    const out = await upload(api, { key: 'k', body: data, partSize, onProgress: (p) => events.push(p) }, env);
    expect(api.calls).toEqual({ PutObject: 1 });
    expect(sameBytes(api.objects.get('k')!.bytes, data)).toBe(true);
    expect(out.crc64).toBe(crc64(data));
    expect(out.uploadId).toBeUndefined();
    checkProgress(events, data.byteLength);
  });

  it('sends a larger body in parts, byte-identical, with the combined CRC checked', async () => {
    const api = new FakeApi();
    const data = randomBytes(5 * partSize + 17);
    const events: UploadProgress[] = [];
    const out = await upload(api, { key: 'k', body: new Blob([data]), partSize, parallel: 3, onProgress: (p) => events.push(p) }, env);
    expect(api.calls).toMatchObject({ InitiateMultipartUpload: 1, UploadPart: 6, CompleteMultipartUpload: 1 });
    expect(api.calls.PutObject).toBeUndefined();
    expect(sameBytes(api.objects.get('k')!.bytes, data)).toBe(true);
    expect(out.crc64).toBe(crc64(data));
    expect(out.size).toBe(data.byteLength);
    checkProgress(events, data.byteLength);
    expect(events[0]).toEqual({ loadedBytes: 0, totalBytes: data.byteLength, stage: 'uploading' });
  });

  it('never has more than `parallel` parts in flight, and uses them all', async () => {
    for (const parallel of [1, 2, 5]) {
      const api = new FakeApi();
      api.hooks.beforePart = () => new Promise((resolve) => setTimeout(resolve, 5));
      await upload(api, { key: 'k', body: randomBytes(12 * partSize), partSize, parallel }, env);
      expect(api.maxInFlight).toBe(parallel);
    }
  });

  it('keeps memory near parallel × partSize: the body is not read ahead', async () => {
    const api = new FakeApi();
    const parallel = 2;
    let pulled = 0;
    let worst = 0;
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 40; i++) {
        pulled += 25 * KiB;
        yield randomBytes(25 * KiB, i + 1);
      }
    }
    api.hooks.beforePart = async () => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      const confirmed = api.partNumbersSent.length * partSize;
      worst = Math.max(worst, pulled - confirmed);
    };
    const out = await upload(api, { key: 'k', body: body(), partSize, parallel }, env);
    expect(out.size).toBe(40 * 25 * KiB);
    // In flight: `parallel` parts, plus the one the chunker is filling.
    expect(worst).toBeLessThanOrEqual((parallel + 1) * partSize);
    expect(worst).toBeGreaterThan(0);
  });

  it('uploads streams of unknown length: small → PutObject, large → parts; total known at the end', async () => {
    async function* stream(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
      for (let o = 0; o < bytes.byteLength; o += 30_000) yield bytes.subarray(o, o + 30_000);
    }
    const small = randomBytes(partSize - 1);
    const api = new FakeApi();
    await upload(api, { key: 's', body: stream(small), partSize }, env);
    expect(api.calls).toEqual({ PutObject: 1 });
    expect(sameBytes(api.objects.get('s')!.bytes, small)).toBe(true);

    const large = randomBytes(4 * partSize + 5);
    const events: UploadProgress[] = [];
    await upload(api, { key: 'l', body: stream(large), partSize, onProgress: (p) => events.push(p) }, env);
    expect(sameBytes(api.objects.get('l')!.bytes, large)).toBe(true);
    expect(events.slice(0, -1).every((e) => e.totalBytes === undefined)).toBe(true);
    expect(events.at(-1)).toEqual({ loadedBytes: large.byteLength, totalBytes: large.byteLength, stage: 'done' });
  });

  it('passes the callback to CompleteMultipartUpload, or to PutObject for one part', async () => {
    const api = new FakeApi();
    const callback = { url: 'http://app.example/cb', body: 'object=${object}' };
    const multi = await upload(api, { key: 'm', body: randomBytes(2 * partSize + 1), partSize, callback }, env);
    expect(multi.callbackResult).toEqual({ called: true });
    expect(api.objects.get('m')!.callback).toEqual(callback);
    const single = await upload(api, { key: 's', body: 'tiny', callback }, env);
    expect(single.callbackResult).toEqual({ called: true });
    expect(api.objects.get('s')!.callback).toEqual(callback);
  });

  it('retries a failing part and succeeds', async () => {
    const api = new FakeApi();
    api.hooks.beforePart = (input, attempt) => {
      if (input.partNumber === 3 && attempt < 3) throw new OssError({ code: 'InternalError', status: 500, message: 'boom' });
    };
    const data = randomBytes(4 * partSize);
    await upload(api, { key: 'k', body: data, partSize }, env);
    expect(sameBytes(api.objects.get('k')!.bytes, data)).toBe(true);
    expect(api.calls.UploadPart).toBe(6);
  });

  it('fails with the part number when a part keeps failing, and aborts the upload', async () => {
    const api = new FakeApi();
    api.hooks.beforePart = (input) => {
      if (input.partNumber === 3) throw new OssError({ code: 'InternalError', status: 503, message: 'boom' });
    };
    const error = await upload(api, { key: 'k', body: randomBytes(6 * partSize), partSize, partAttempts: 4 }, env).catch((e) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error.code).toBe('InternalError');
    expect(error.message).toMatch(/part 3 failed after 4 attempts/);
    expect(error.cause).toBeInstanceOf(OssError);
    expect(api.aborted).toHaveLength(1);
    expect(api.uploads.size).toBe(0);
  });

  it('does not retry a 4xx part failure', async () => {
    const api = new FakeApi();
    api.hooks.beforePart = (input) => {
      if (input.partNumber === 2) throw new OssError({ code: 'AccessDenied', status: 403, message: 'no' });
    };
    const error = await upload(api, { key: 'k', body: randomBytes(3 * partSize), partSize, parallel: 1 }, env).catch((e) => e);
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toMatch(/part 2 failed after 1 attempt\b/);
    expect(api.partNumbersSent).toEqual([1]);
  });

  it('checks each part CRC-64 against the service and sends a damaged part again', async () => {
    const api = new FakeApi();
    api.hooks.partCrc = (n, attempt) => (n === 2 && attempt === 1 ? '12345' : undefined);
    const data = randomBytes(3 * partSize);
    await upload(api, { key: 'k', body: data, partSize }, env);
    expect(api.calls.UploadPart).toBe(4);

    const always = new FakeApi();
    always.hooks.partCrc = (n) => (n === 2 ? '12345' : undefined);
    const error = await upload(always, { key: 'k', body: data, partSize }, env).catch((e) => e);
    expect(error).toBeInstanceOf(OssClientError);
    expect(error.code).toBe('CrcMismatch');
    expect(error.message).toMatch(/part 2/);
  });

  it("refuses a completed object whose CRC-64 is not the parts' combination", async () => {
    const api = new FakeApi();
    api.hooks.objectCrc = () => '1';
    const error = await upload(api, { key: 'k', body: randomBytes(3 * partSize), partSize }, env).catch((e) => e);
    expect(error).toBeInstanceOf(OssClientError);
    expect(error.code).toBe('CrcMismatch');
  });

  it('sends Content-MD5 with every part when asked', async () => {
    const api = new FakeApi();
    const seen: unknown[] = [];
    api.hooks.beforePart = (input) => void seen.push(input.contentMd5);
    await upload(api, { key: 'k', body: randomBytes(2 * partSize + 1), partSize, contentMd5: true }, env);
    expect(seen).toEqual([true, true, true]);
  });

  it('cancel without a checkpoint stops parts in flight and aborts the upload on OSS', async () => {
    const api = new FakeApi();
    const controller = new AbortController();
    const stall = gate();
    api.hooks.beforePart = async (input) => {
      if (input.partNumber >= 3) {
        if (input.partNumber === 4) controller.abort();
        await stall.opened;
      }
    };
    const error = await upload(api, { key: 'k', body: randomBytes(10 * partSize), partSize, parallel: 2, signal: controller.signal }, env).catch((e) => e);
    expect(error).toBeInstanceOf(OssClientError);
    expect(error.code).toBe('Aborted');
    expect(api.inFlight).toBe(0);
    expect(api.aborted).toHaveLength(1);
    expect(api.calls.CompleteMultipartUpload).toBeUndefined();
    expect(api.calls.UploadPart).toBeLessThan(10);
  });

  it('cancel with a checkpoint keeps the upload and records the finished parts', async () => {
    const api = new FakeApi();
    const store = memoryStore();
    const controller = new AbortController();
    api.hooks.beforePart = async (input) => {
      if (input.partNumber === 4) {
        controller.abort();
        await new Promise(() => undefined);
      }
    };
    const data = randomBytes(8 * partSize);
    const error = await upload(api, { key: 'k', body: data, partSize, parallel: 1, checkpoint: store, signal: controller.signal }, env).catch((e) => e);
    expect(error.code).toBe('Aborted');
    expect(api.aborted).toHaveLength(0);
    const [record] = [...store.records.values()].map(openCheckpoint);
    expect(record?.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(api.uploads.has(record!.uploadId)).toBe(true);
  });

  it('refuses bad input before any request', async () => {
    const api = new FakeApi();
    const data = randomBytes(10);
    for (const input of [
      { key: 'k', body: data, partSize: 1000 },
      { key: 'k', body: data, parallel: 0 },
      { key: '', body: data },
      { key: 'k', body: (async function* () {})(), checkpoint: memoryStore() },
      { key: 'k', body: data, checkpoint: true },
    ]) {
      const error = await upload(api, input, env).catch((e) => e);
      expect(error).toBeInstanceOf(OssClientError);
      expect(error.code).toBe('InvalidArgument');
    }
    const aborted = AbortSignal.abort();
    expect((await upload(api, { key: 'k', body: data, signal: aborted }, env).catch((e) => e)).code).toBe('Aborted');
    expect(api.calls).toEqual({});
  });
});
