/**
 * `downloadFile()` against the emulator: parallel ranged GETs into a temporary file, renamed into
 * place only after the CRC-64 check; faults mid-range and 5xx answers are retried per part; a
 * checkpoint resumes (parts on disk re-hashed before reuse); abort and a changed source leave no
 * file at the destination.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OssClient, OssClientError, OssError, downloadFile } from '../../src/index.node.js';
import type { Progress } from '../../src/commands/types.js';
import { randomBytes } from '../helpers/prng.js';

const BUCKET = 'downloads';
const PART = 64 * 1024;
let emu: Emulator;
let client: OssClient;
let dir: string;

async function put(key: string, data: Uint8Array): Promise<void> {
  await client.putObject({ key, body: data });
}

async function leftovers(): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.includes('osskit-download'));
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET, maxAttempts: 2 });
  await client.putBucket({});
});

beforeEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'osskit-download-'));
});

afterAll(async () => {
  await client.close();
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

describe('downloadFile', () => {
  it('writes a byte-identical file from parallel ranges, with monotonic byte progress', async () => {
    const data = randomBytes(7 * PART + 123, 1);
    await put('plain.bin', data);
    const file = join(dir, 'plain.bin');
    const seen: Progress[] = [];
    emu.stats.reset();
    const out = await client.downloadFile({ key: 'plain.bin', file, partSize: PART, parallel: 3, onProgress: (p) => seen.push(p) });
    expect(Buffer.compare(await readFile(file), data)).toBe(0);
    expect(out).toMatchObject({ size: data.byteLength, crc64: crc64(data), resumedParts: 0 });
    expect(emu.stats.count('GetObject')).toBe(8);
    const loaded = seen.map((p) => p.loadedBytes);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(loaded.at(-1)).toBe(data.byteLength);
    expect(seen.every((p) => p.totalBytes === data.byteLength)).toBe(true);
    // Byte level: more reports than parts.
    expect(seen.length).toBeGreaterThan(8);
    expect(await leftovers()).toEqual([]);
  });

  it('downloads an empty object and one smaller than a part', async () => {
    await put('empty.bin', new Uint8Array(0));
    await put('small.bin', randomBytes(1000, 2));
    await client.downloadFile({ key: 'empty.bin', file: join(dir, 'empty.bin') });
    await client.downloadFile({ key: 'small.bin', file: join(dir, 'small.bin'), partSize: PART });
    expect((await readFile(join(dir, 'empty.bin'))).byteLength).toBe(0);
    expect(Buffer.compare(await readFile(join(dir, 'small.bin')), randomBytes(1000, 2))).toBe(0);
  });

  it('survives connections dropped mid-range and 5xx answers, still byte-identical', async () => {
    const data = randomBytes(10 * PART + 5, 3);
    await put('faulty.bin', data);
    const file = join(dir, 'faulty.bin');
    emu.faults.dropMidBody('GetObject', 3);
    emu.faults.failNext('GetObject', 2, 503, 'ServiceUnavailable');
    emu.faults.failRandom('GetObject', 0.2, 42);
    try {
      await client.downloadFile({ key: 'faulty.bin', file, partSize: PART, parallel: 4, partAttempts: 6 });
    } finally {
      emu.faults.clear();
    }
    expect(Buffer.compare(await readFile(file), data)).toBe(0);
    expect(await leftovers()).toEqual([]);
  });

  it('resumes from a checkpoint: only missing or damaged parts are fetched again', async () => {
    const data = randomBytes(12 * PART, 4);
    await put('resume.bin', data);
    const file = join(dir, 'resume.bin');
    const controller = new AbortController();
    const first = await client
      .downloadFile({
        key: 'resume.bin',
        file,
        partSize: PART,
        parallel: 2,
        checkpoint: true,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loadedBytes >= 6 * PART) controller.abort();
        },
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(first).toBeInstanceOf(OssClientError);
    expect((first as OssClientError).code).toBe('Aborted');
    expect(existsSync(file)).toBe(false);
    const record = JSON.parse(await readFile(`${file}.osskit-download.json`, 'utf8')) as { parts: { partNumber: number }[] };
    expect(record.parts.length).toBeGreaterThanOrEqual(2);
    const kept = record.parts.map((p) => p.partNumber).sort((a, b) => a - b);

    // Damage one recorded part on disk: it must be re-hashed, found wrong and fetched again.
    const damaged = kept[0]!;
    const handle = await open(`${file}.osskit-download`, 'r+');
    await handle.write(new Uint8Array([0xde, 0xad]), 0, 2, (damaged - 1) * PART + 10);
    await handle.close();

    emu.stats.reset();
    const second = await client.downloadFile({ key: 'resume.bin', file, partSize: PART, checkpoint: true });
    expect(second.resumedParts).toBe(kept.length - 1);
    expect(emu.stats.count('GetObject')).toBe(12 - (kept.length - 1));
    expect(Buffer.compare(await readFile(file), data)).toBe(0);
    expect(await leftovers()).toEqual([]);
  });

  it('starts over when the checkpoint was taken under another ETag', async () => {
    const file = join(dir, 'replaced.bin');
    await put('replaced.bin', randomBytes(4 * PART, 5));
    const controller = new AbortController();
    await client
      .downloadFile({
        key: 'replaced.bin',
        file,
        partSize: PART,
        parallel: 1,
        checkpoint: true,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loadedBytes >= 2 * PART) controller.abort();
        },
      })
      .catch(() => undefined);
    expect(existsSync(`${file}.osskit-download.json`)).toBe(true);
    const fresh = randomBytes(4 * PART, 6);
    await put('replaced.bin', fresh);
    emu.stats.reset();
    const out = await client.downloadFile({ key: 'replaced.bin', file, partSize: PART, checkpoint: true });
    expect(out.resumedParts).toBe(0);
    expect(emu.stats.count('GetObject')).toBe(4);
    expect(Buffer.compare(await readFile(file), fresh)).toBe(0);
  });

  it('abort leaves nothing at the destination and no temporary file', async () => {
    const data = randomBytes(8 * PART, 7);
    await put('abort.bin', data);
    const file = join(dir, 'abort.bin');
    const controller = new AbortController();
    const error = await client
      .downloadFile({
        key: 'abort.bin',
        file,
        partSize: PART,
        parallel: 2,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loadedBytes > PART) controller.abort(new Error('stop'));
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(OssClientError);
    expect((error as OssClientError).code).toBe('Aborted');
    expect(existsSync(file)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('keeps an existing destination untouched when the download fails', async () => {
    const file = join(dir, 'kept.bin');
    await writeFile(file, 'previous contents');
    await put('kept.bin', randomBytes(3 * PART, 8));
    emu.faults.failNext('GetObject', 10, 500, 'InternalError');
    const error = await client.downloadFile({ key: 'kept.bin', file, partSize: PART, parallel: 1, partAttempts: 2 }).catch((e: unknown) => e);
    emu.faults.clear();
    expect(error).toBeInstanceOf(OssError);
    expect(await readFile(file, 'utf8')).toBe('previous contents');
    expect(await leftovers()).toEqual([]);
  });

  it('fails clearly when the object changes mid-download (If-Match → 412)', async () => {
    const original = randomBytes(8 * PART, 9);
    await put('moving.bin', original);
    const file = join(dir, 'moving.bin');
    let replaced: Promise<void> | undefined;
    const error = await client
      .downloadFile({
        key: 'moving.bin',
        file,
        partSize: PART,
        parallel: 1,
        checkpoint: true,
        onProgress: (p) => {
          if (p.loadedBytes >= PART && !replaced) replaced = put('moving.bin', randomBytes(8 * PART, 10));
        },
      })
      .catch((e: unknown) => e);
    await replaced;
    expect(error).toBeInstanceOf(OssError);
    expect((error as OssError).status).toBe(412);
    expect((error as OssError).code).toBe('PreconditionFailed');
    expect((error as OssError).message).toMatch(/changed during the download/);
    expect(existsSync(file)).toBe(false);
    // Nothing to resume from a version that is gone: record and partial file are removed.
    expect(await leftovers()).toEqual([]);
  });

  it('refuses to rename a file whose CRC-64 differs from the object’s', async () => {
    const data = randomBytes(3 * PART, 11);
    await put('crc.bin', data);
    const file = join(dir, 'crc.bin');
    const lying = {
      headObject: async (input: Parameters<OssClient['headObject']>[0]) => ({ ...(await client.headObject(input)), crc64: '12345' }),
      getObject: (input: Parameters<OssClient['getObject']>[0]) => client.getObject(input),
    };
    const error = await downloadFile(lying, { bucket: BUCKET, key: 'crc.bin', file, partSize: PART }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssClientError);
    expect((error as OssClientError).code).toBe('CrcMismatch');
    expect(existsSync(file)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses bad input before any request', async () => {
    emu.stats.reset();
    const bad = [
      { key: '', file: join(dir, 'x') },
      { key: 'k', file: '' },
      { key: 'k', file: join(dir, 'x'), partSize: 10 },
      { key: 'k', file: join(dir, 'x'), parallel: 0 },
      { key: 'k', file: dir },
      { key: 'k', file: join(dir, 'missing-dir', 'x') },
    ];
    for (const input of bad) {
      const error = await client.downloadFile(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OssClientError);
      expect((error as OssClientError).code).toBe('InvalidArgument');
    }
    expect(emu.stats.count()).toBe(0);
  });
});
