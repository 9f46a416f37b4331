/**
 * REQUIRED proof of crash-safe resume: a child process uploading a 24 MiB file with a file
 * checkpoint is SIGKILLed mid-upload; a second run resumes from the checkpoint, sends exactly the
 * parts the service does not hold, and produces a byte-identical object.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { KiB, MiB } from '../../src/defaults.js';
import { openCheckpoint } from '../../src/upload/checkpoint.js';
import { randomBytes } from '../helpers/prng.js';
import { sameBytes } from './fake-api.js';
import { startHarness, type Harness } from './emulator-setup.js';

const SIZE = 24 * MiB;
const PART_SIZE = 256 * KiB;
const TOTAL_PARTS = SIZE / PART_SIZE; // 96
const KEY = 'crash/resume.bin';

let h: Harness;
let dir: string;
let file: string;
let checkpoint: string;
let data: Uint8Array;

beforeAll(async () => {
  h = await startHarness('crash-resume');
  dir = await mkdtemp(join(tmpdir(), 'osskit-crash-'));
  file = join(dir, 'source.bin');
  checkpoint = join(dir, 'upload.checkpoint.json');
  data = randomBytes(SIZE, 42);
  await writeFile(file, data);
});
afterAll(async () => {
  await h.client.close();
  await h.emu.close();
  await rm(dir, { recursive: true, force: true });
});

function startChild(): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> } {
  const args = [h.emu.endpoint, h.emu.region, h.bucket, KEY, file, checkpoint, String(PART_SIZE), '4'];
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/upload/fixtures/upload-child.ts', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, OSSKIT_TEST_AK: h.emu.credentials.accessKeyId, OSSKIT_TEST_SK: h.emu.credentials.accessKeySecret },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Parts the service holds for the upload, read until two listings agree (requests in flight at the kill may still land). */
async function settledParts(uploadId: string): Promise<number> {
  let last = -1;
  for (;;) {
    let count = 0;
    for await (const page of h.client.paginateListParts({ key: KEY, uploadId, maxParts: 50 })) count += page.parts.length;
    if (count === last) return count;
    last = count;
    await sleep(300);
  }
}

describe('crash and resume (child process, SIGKILL)', () => {
  it('resumes after SIGKILL, sending only the parts the service lacks', async () => {
    // Slow parts down so the kill lands mid-upload.
    h.emu.faults.latency(40, 'UploadPart');
    const first = startChild();
    // Kill once some parts are confirmed and on record in the checkpoint file.
    for (;;) {
      const exited = await Promise.race([first.done.then(() => true), sleep(20).then(() => false)]);
      if (exited) throw new Error(`the first run ended before it could be killed: ${(await first.done).stderr}`);
      const record = existsSync(checkpoint) ? openCheckpoint(await readFile(checkpoint, 'utf8').catch(() => '')) : undefined;
      if (record && record.parts.length >= 12) break;
    }
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    h.emu.faults.latency(0, 'UploadPart');

    const { uploads } = await h.client.listMultipartUploads({ prefix: KEY });
    expect(uploads).toHaveLength(1);
    const uploadId = uploads[0]!.uploadId;
    const record = openCheckpoint(await readFile(checkpoint, 'utf8'));
    expect(record?.uploadId).toBe(uploadId);
    const listedBefore = await settledParts(uploadId);
    expect(listedBefore).toBeGreaterThanOrEqual(12);
    expect(listedBefore).toBeLessThan(TOTAL_PARTS);

    h.emu.stats.reset();
    const second = startChild();
    const result = await second.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout.trim()) as { crc64: string; uploadId: string; size: number };

    expect(h.emu.stats.count('InitiateMultipartUpload')).toBe(0);
    expect(h.emu.stats.count('UploadPart')).toBe(TOTAL_PARTS - listedBefore);
    expect(h.emu.stats.count('CompleteMultipartUpload')).toBe(1);
    expect(out.uploadId).toBe(uploadId);
    expect(out.size).toBe(SIZE);
    expect(out.crc64).toBe(crc64(data));
    const stored = await (await h.client.getObject({ key: KEY })).bytes();
    expect(sameBytes(stored, data)).toBe(true);
    expect(existsSync(checkpoint)).toBe(false);
    expect((await h.client.listMultipartUploads({ prefix: KEY })).uploads).toEqual([]);
  }, 60_000);
});
