/**
 * `uploadFile({ checkpoint: true })` (issue 3 "Checkpoints"): the record lives under the
 * OS temp dir, named from bucket, key and the file's identity; a cancelled run leaves it (and the
 * upload) for the next run, which sends only the missing parts and removes the record.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';
import { checkpointId, openCheckpoint } from '../../src/upload/checkpoint.js';

const BUCKET = 'cp-true';
const PART = 100 * 1024;
let emu: Emulator;
let client: OssClient;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET });
  await client.putBucket({});
  dir = await mkdtemp(join(tmpdir(), 'osskit-cp-true-'));
});

afterAll(async () => {
  await client.close();
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

describe('uploadFile with checkpoint: true', () => {
  it('keeps a temp-dir record across a cancel and resumes from it', async () => {
    const file = join(dir, 'source.bin');
    const data = new Uint8Array(6 * PART + 11).map((_, i) => (i * 7) % 256);
    await writeFile(file, data);
    const info = await stat(file);
    const key = `resume-${Date.now()}.bin`;
    const record = join(
      tmpdir(),
      `osskit-upload-${checkpointId(BUCKET, key, { kind: 'file', name: file, size: data.byteLength, mtimeMs: Math.trunc(info.mtimeMs) })}.json`,
    );

    const controller = new AbortController();
    const first = await client
      .uploadFile({
        key,
        file,
        partSize: PART,
        parallel: 1,
        checkpoint: true,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loadedBytes >= 2 * PART) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect((first as { code?: string }).code).toBe('Aborted');
    expect(existsSync(record)).toBe(true);
    const saved = openCheckpoint(await readFile(record, 'utf8'));
    expect(saved?.key).toBe(key);
    const stored = (await client.listParts({ key, uploadId: saved!.uploadId })).parts.length;
    expect(stored).toBeGreaterThanOrEqual(2);

    emu.stats.reset();
    const out = await client.uploadFile({ key, file, partSize: PART, parallel: 2, checkpoint: true });
    expect(out.uploadId).toBe(saved!.uploadId);
    expect(emu.stats.count('InitiateMultipartUpload')).toBe(0);
    expect(emu.stats.count('UploadPart')).toBe(7 - stored);
    expect(out.crc64).toBe(crc64(data));
    expect(Buffer.from(await (await client.getObject({ key })).bytes()).equals(Buffer.from(data))).toBe(true);
    expect(existsSync(record)).toBe(false);
  });
});
