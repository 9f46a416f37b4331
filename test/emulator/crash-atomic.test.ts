/**
 * Issue 10 item 12: objects survive kill -9 whole. An emulator child with a data directory is
 * SIGKILLed again and again while it overwrites many objects; after every restart each object is
 * exactly one version that was sent (bytes, ETag and CRC-64 agree, never new bytes under old
 * fields), never older than a confirmed write, and no temporary file is left behind.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { mulberry32 } from '../helpers/prng.js';
import { BIN_SOURCE, type EmulatorChild, bundle, killChild, startChild } from './emulator-child.js';
import { createBucket, putObject, send } from './helpers.js';

const KEYS = Array.from({ length: 32 }, (_, i) => `crash/object-${i}.bin`);
const KILLS = 18;
const BUCKET = 'crash';

let bin: Awaited<ReturnType<typeof bundle>>;
const dir = mkdtempSync(join(tmpdir(), 'osskit-crash-emu-'));

beforeAll(async () => {
  bin = await bundle(BIN_SOURCE);
});
afterAll(() => {
  bin.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** Version `v` of a key: a size and a repeated pattern that both name the version. */
function content(key: string, version: number): Buffer {
  return Buffer.alloc(128 * 1024 + (version % 5) * 32 * 1024, `${key}|v${version}|`);
}

function filesUnder(path: string): string[] {
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

test(`every object is whole old or whole new after ${KILLS} SIGKILLs mid-overwrite`, { timeout: 60_000 }, async () => {
  const rand = mulberry32(12);
  const sent = new Map<string, number>();
  const confirmed = new Map<string, number>();
  let running: EmulatorChild = await startChild(bin.file, ['--data', dir]);
  await createBucket(running.emu, BUCKET);
  for (const key of KEYS) {
    expect((await putObject(running.emu, BUCKET, key, content(key, 0))).status).toBe(200);
    sent.set(key, 0);
    confirmed.set(key, 0);
  }

  for (let round = 1; round <= KILLS; round++) {
    // Overwrite every object at once, then kill the emulator somewhere in the middle of it.
    const writes = KEYS.map(async (key) => {
      const version = round;
      sent.set(key, version);
      const res = await putObject(running.emu, BUCKET, key, content(key, version)).catch(() => undefined);
      if (res?.status === 200) confirmed.set(key, version);
    });
    await new Promise((resolve) => setTimeout(resolve, 2 + Math.floor(rand() * 40)));
    await killChild(running);
    await Promise.all(writes);

    running = await startChild(bin.file, ['--data', dir]);
    // Orphans of the killed run are gone: nothing is left in tmp/, no stray temporary files.
    expect(readdirSync(join(dir, 'tmp'))).toEqual([]);
    expect(filesUnder(dir).filter((file) => !/(bucket\.json|\.obj)$/.test(file))).toEqual([]);
    for (const key of KEYS) {
      const got = await send(running.emu, { bucket: BUCKET, key });
      expect(got.status, key).toBe(200);
      const version = Number(/\|v(\d+)\|/.exec(got.body.subarray(0, 64).toString('latin1'))?.[1]);
      expect(got.body.equals(content(key, version)), `${key} holds exactly version ${version}`).toBe(true);
      expect(got.headers['x-oss-hash-crc64ecma'], `${key} CRC-64`).toBe(crc64(got.body));
      expect(got.headers['etag'], `${key} ETag`).toBe(`"${createHash('md5').update(got.body).digest('hex').toUpperCase()}"`);
      expect(version).toBeGreaterThanOrEqual(confirmed.get(key)!);
      expect(version).toBeLessThanOrEqual(sent.get(key)!);
      confirmed.set(key, version);
    }
  }
  await killChild(running);
});
