/**
 * uploadFile and a file that changes: resumed after a rewrite that kept the mtime (`cp -p`,
 * `touch -d`), the changed part is sent again; rewritten during an upload, it fails clearly
 * instead of storing an object of old and new parts.
 */
import { openSync, closeSync, writeSync } from 'node:fs';
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { randomBytes } from '../helpers/prng.js';
import { startHarness, type Harness } from '../upload/emulator-setup.js';
import { memoryStore, sameBytes } from '../upload/fake-api.js';

const PART = 100 * 1024;
let h: Harness;
let dir: string;

beforeAll(async () => {
  h = await startHarness('file-changes');
  dir = await mkdtemp(join(tmpdir(), 'osskit-file-changes-'));
});

afterAll(async () => {
  await h.client.close();
  await h.emu.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  h.emu.faults.clear();
  h.emu.stats.reset();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Overwrites bytes in place (same size), as an editor or `cp` onto the file would. */
function overwrite(file: string, offset: number, bytes: Uint8Array): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.byteLength, offset);
  } finally {
    closeSync(fd);
  }
}

describe('uploadFile resumed after a rewrite that kept size and mtime', () => {
  it('reads the recorded parts again and re-sends the one that changed', async () => {
    const file = join(dir, 'kept-mtime.bin');
    const key = 'kept-mtime.bin';
    const data = randomBytes(7 * PART, 51);
    await writeFile(file, data);
    const mtime = new Date('2024-05-01T12:00:00Z'); // `touch -d`, whole seconds: restorable exactly
    await utimes(file, mtime, mtime);
    const store = memoryStore();
    const controller = new AbortController();
    const first = await h.client
      .uploadFile({
        key,
        file,
        partSize: PART,
        parallel: 1,
        checkpoint: store,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loadedBytes >= 3 * PART) controller.abort();
        },
      })
      .catch((e: unknown) => e);
    expect((first as { code?: string }).code).toBe('Aborted');

    const changed = data.slice();
    changed.fill(7, PART + 100, PART + 200);
    overwrite(file, PART + 100, changed.subarray(PART + 100, PART + 200));
    await utimes(file, mtime, mtime); // what `cp -p` or `touch -d` leaves behind
    expect((await stat(file)).mtimeMs).toBe(mtime.getTime());

    h.emu.stats.reset();
    const out = await h.client.uploadFile({ key, file, partSize: PART, checkpoint: store });
    expect(out.crc64).toBe(crc64(changed));
    const sent = h.emu.stats.count('UploadPart');
    expect(h.emu.stats.count('InitiateMultipartUpload')).toBe(0);
    // Parts 1 and 3 were reused; part 2 and the four missing ones were sent.
    expect(sent).toBe(7 - 3 + 1);
    expect(sameBytes(await (await h.client.getObject({ key })).bytes(), changed)).toBe(true);
  });
});

describe('uploadFile of a file rewritten during the upload', () => {
  it('fails with InvalidArgument instead of storing old and new parts, and leaves nothing behind', async () => {
    const file = join(dir, 'rewritten.bin');
    const key = 'rewritten.bin';
    const data = randomBytes(5 * PART, 52);
    await writeFile(file, data);
    // Keep the rewrite below out of the timestamp tick of this first write.
    await sleep(30);
    let rewritten = false;
    const error = await h.client
      .uploadFile({
        key,
        file,
        partSize: PART,
        parallel: 1,
        onProgress: (p) => {
          if (!rewritten && p.loadedBytes >= PART) {
            rewritten = true;
            // Part 1 is sent already; part 5 is not read yet: a mix unless the change is noticed.
            overwrite(file, 0, randomBytes(5 * PART, 53));
          }
        },
      })
      .catch((e: unknown) => e);
    expect(rewritten).toBe(true);
    expect((error as { code?: string }).code).toBe('InvalidArgument');
    expect((error as Error).message).toMatch(/changed while it was being uploaded/);
    await expect(h.client.headObject({ key })).rejects.toMatchObject({ code: 'NoSuchKey' });
    const { uploads } = await h.client.listMultipartUploads({ prefix: key });
    expect(uploads).toEqual([]);
  });
});
