import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { KiB } from '../../src/defaults.js';
import { OssClientError, OssError } from '../../src/errors.js';
import type { UploadProgress } from '../../src/upload/progress.js';
import { randomBytes } from '../helpers/prng.js';
import { sameBytes } from './fake-api.js';
import { startHarness, type Harness } from './emulator-setup.js';

const partSize = 128 * KiB;
let h: Harness;
let dir: string;

beforeAll(async () => {
  h = await startHarness();
  dir = await mkdtemp(join(tmpdir(), 'osskit-upload-'));
});
afterAll(async () => {
  await h.client.close();
  await h.emu.close();
  await rm(dir, { recursive: true, force: true });
});

async function download(key: string): Promise<Uint8Array> {
  return (await h.client.getObject({ key })).bytes();
}

describe('client.upload() against the emulator', () => {
  it('uploads in parts: the object is byte-identical and its CRC-64 matches', async () => {
    const data = randomBytes(10 * partSize + 999, 7);
    h.emu.stats.reset();
    const events: UploadProgress[] = [];
    const out = await h.client.upload({ key: 'dir/multi part.bin', body: new Blob([data]), partSize, parallel: 3, onProgress: (p) => events.push(p) });
    expect(h.emu.stats.count('UploadPart')).toBe(11);
    expect(h.emu.stats.count('CompleteMultipartUpload')).toBe(1);
    expect(out.crc64).toBe(crc64(data));
    expect(out.etag).toMatch(/-11"$/);
    expect(sameBytes(await download('dir/multi part.bin'), data)).toBe(true);
    const head = await h.client.headObject({ key: 'dir/multi part.bin' });
    expect(head.crc64).toBe(crc64(data));
    expect(events.filter((e) => e.loadedBytes === data.byteLength)).toHaveLength(1);
    expect(events.at(-1)?.stage).toBe('done');
  });

  it('uses a single PutObject below the part size', async () => {
    h.emu.stats.reset();
    const out = await h.client.upload({ key: 'small.txt', body: 'hello, osskit' });
    expect(h.emu.stats.count('PutObject')).toBe(1);
    expect(h.emu.stats.count('InitiateMultipartUpload')).toBe(0);
    expect(out.crc64).toBe(crc64(new TextEncoder().encode('hello, osskit')));
    expect(await (await h.client.getObject({ key: 'small.txt' })).text()).toBe('hello, osskit');
  });

  it('completes correctly while 30% of UploadPart requests fail', async () => {
    const data = randomBytes(16 * partSize + 3, 11);
    h.emu.faults.failRandom('UploadPart', 0.3, 1234);
    try {
      h.emu.stats.reset();
      const out = await h.client.upload({ key: 'flaky.bin', body: data, partSize, parallel: 4, partAttempts: 6 });
      expect(out.crc64).toBe(crc64(data));
      expect(h.emu.stats.count('UploadPart')).toBeGreaterThan(17);
    } finally {
      h.emu.faults.failRandom('UploadPart', 0);
    }
    expect(sameBytes(await download('flaky.bin'), data)).toBe(true);
  });

  it('uploads a Node Readable / async iterable of unknown length', async () => {
    const data = randomBytes(3 * partSize + 5, 3);
    async function* stream(): AsyncGenerator<Uint8Array> {
      for (let o = 0; o < data.byteLength; o += 10_000) yield data.subarray(o, o + 10_000);
    }
    const out = await h.client.upload({ key: 'stream.bin', body: stream(), partSize });
    expect(out.size).toBe(data.byteLength);
    expect(sameBytes(await download('stream.bin'), data)).toBe(true);
  });

  it('returns the callback result from CompleteMultipartUpload', async () => {
    let received = '';
    const app: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received = body;
        const answer = JSON.stringify({ ok: true, got: body });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
        res.end(answer);
      });
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const port = (app.address() as { port: number }).port;
      const data = randomBytes(2 * partSize + 1, 5);
      const out = await h.client.upload({
        key: 'cb.bin',
        body: data,
        partSize,
        callback: { url: `http://127.0.0.1:${port}/cb`, body: 'object=${object}&size=${size}&who=${x:who}', vars: { 'x:who': 'me' } },
      });
      expect(received).toBe(`object=cb.bin&size=${data.byteLength}&who=me`);
      expect(out.callbackResult).toEqual({ ok: true, got: received });
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it('a failed callback (203 CallbackFailed) keeps the object, aborts nothing and drops the checkpoint', async () => {
    const app: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(500).end('app down'));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    try {
      const port = (app.address() as { port: number }).port;
      const file = join(dir, 'callback-source.bin');
      const data = randomBytes(3 * partSize + 9, 31);
      await writeFile(file, data);
      const checkpoint = join(dir, 'callback-cp.json');
      h.emu.stats.reset();
      const error = await h.client
        .uploadFile({ key: 'cb-fail.bin', file, partSize, checkpoint, callback: { url: `http://127.0.0.1:${port}/cb`, body: 'object=${object}' } })
        .catch((e) => e);
      expect(error).toBeInstanceOf(OssError);
      expect(error.code).toBe('CallbackFailed');
      expect(error.status).toBe(203);
      expect(h.emu.stats.count('AbortMultipartUpload')).toBe(0);
      expect(sameBytes(await download('cb-fail.bin'), data)).toBe(true);
      expect((await h.client.listMultipartUploads({ prefix: 'cb-fail.bin' })).uploads).toEqual([]);
      // No record pointing at the spent upload: a second run would start afresh, not resume it.
      expect(existsSync(checkpoint)).toBe(false);
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it('cancelling without a checkpoint leaves no multipart upload behind', async () => {
    const controller = new AbortController();
    h.emu.faults.latency(50, 'UploadPart');
    try {
      const data = randomBytes(20 * partSize, 9);
      const running = h.client.upload({
        key: 'cancel.bin',
        body: data,
        partSize,
        parallel: 2,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loadedBytes >= 2 * partSize) controller.abort();
        },
      });
      const error = await running.catch((e) => e);
      expect(error).toBeInstanceOf(OssClientError);
      expect(error.code).toBe('Aborted');
    } finally {
      h.emu.faults.latency(0, 'UploadPart');
    }
    const { uploads } = await h.client.listMultipartUploads({ prefix: 'cancel.bin' });
    expect(uploads).toEqual([]);
  });

  it('uploadFile reads a file by range, and resumes from a file checkpoint sending only missing parts', async () => {
    const file = join(dir, 'source.bin');
    const data = randomBytes(8 * partSize + 77, 21);
    await writeFile(file, data);
    const checkpoint = join(dir, 'cp.json');
    // First run: cancelled once three parts are stored; the checkpoint keeps the upload.
    const controller = new AbortController();
    const first = await h.client
      .uploadFile({
        key: 'file.bin',
        file,
        partSize,
        parallel: 1,
        checkpoint,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loadedBytes >= 3 * partSize) controller.abort();
        },
      })
      .catch((e) => e);
    expect(first.code).toBe('Aborted');
    const pending = await h.client.listMultipartUploads({ prefix: 'file.bin' });
    expect(pending.uploads).toHaveLength(1);
    const uploadId = pending.uploads[0]!.uploadId;
    const stored = (await h.client.listParts({ key: 'file.bin', uploadId })).parts.length;
    expect(stored).toBeGreaterThanOrEqual(3);

    h.emu.stats.reset();
    const events: UploadProgress[] = [];
    const out = await h.client.uploadFile({ key: 'file.bin', file, partSize, parallel: 2, checkpoint, onProgress: (p) => events.push(p) });
    expect(h.emu.stats.count('InitiateMultipartUpload')).toBe(0);
    expect(h.emu.stats.count('UploadPart')).toBe(9 - stored);
    expect(events[0]!.loadedBytes).toBe(stored * partSize);
    expect(out.uploadId).toBe(uploadId);
    expect(out.crc64).toBe(crc64(data));
    expect(sameBytes(await download('file.bin'), data)).toBe(true);
    expect((await h.client.listMultipartUploads({ prefix: 'file.bin' })).uploads).toEqual([]);
    // The record is removed after success.
    expect(existsSync(checkpoint)).toBe(false);
  });
});
