import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, openCheckpoint, sealCheckpoint, type CheckpointRecord } from '../../src/upload/checkpoint.js';
import { createFileCheckpointStore, nodeCheckpointStore } from '../../src/upload/checkpoint-file.node.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'osskit-cp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = (uploadId: string): CheckpointRecord =>
  sealCheckpoint({
    version: CHECKPOINT_VERSION,
    bucket: 'b',
    key: 'k',
    uploadId,
    source: { kind: 'file', name: '/x', size: 300_000, mtimeMs: 1 },
    partSize: 102400,
    parts: [],
  });

describe('file checkpoint store', () => {
  it('saves, loads and removes records; a missing record loads as undefined', async () => {
    const store = createFileCheckpointStore(join(dir, 'a'));
    expect(await store.load('id1')).toBeUndefined();
    await store.save('id1', record('U1'));
    expect(openCheckpoint(await store.load('id1'))?.uploadId).toBe('U1');
    await store.remove('id1');
    expect(await store.load('id1')).toBeUndefined();
    await store.remove('id1');
  });

  it('writes atomically: a temp file then a rename, never a partial record', async () => {
    const sub = join(dir, 'b');
    const store = createFileCheckpointStore(sub);
    await store.save('id', record('U1'));
    // Many concurrent overwrites: every read in between sees a whole record.
    const writes = Array.from({ length: 30 }, (_, i) => store.save('id', record(`U${i}`)));
    const reads = Array.from({ length: 30 }, () => store.load('id'));
    await Promise.all(writes);
    for (const value of await Promise.all(reads)) expect(openCheckpoint(value)).toBeDefined();
    expect((await readdir(sub)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await readdir(sub)).toHaveLength(1);
  });

  it('survives a crash mid-write: a stray temp file does not replace the record', async () => {
    const sub = join(dir, 'c');
    const store = createFileCheckpointStore(sub);
    await store.save('id', record('GOOD'));
    const [name] = await readdir(sub);
    // What a crash between writeFile and rename leaves behind.
    await writeFile(join(sub, `${name}.dead.tmp`), '{"version":1,"bucket":"b","ke');
    expect(openCheckpoint(await store.load('id'))?.uploadId).toBe('GOOD');
  });

  it('hands back a corrupt file as text that openCheckpoint discards', async () => {
    const sub = join(dir, 'd');
    const store = createFileCheckpointStore(sub);
    await store.save('id', record('U1'));
    const [name] = await readdir(sub);
    const path = join(sub, name!);
    await writeFile(path, (await readFile(path, 'utf8')).slice(0, 40));
    expect(openCheckpoint(await store.load('id'))).toBeUndefined();
  });

  it('checkpoint: <directory> stores inside it; checkpoint: <file> is the record itself', async () => {
    const sub = join(dir, 'e');
    await mkdir(sub);
    await nodeCheckpointStore(sub).save('abc', record('U1'));
    expect(await readdir(sub)).toEqual(['osskit-upload-abc.json']);
    const file = join(dir, 'one.json');
    await nodeCheckpointStore(file).save('whatever', record('U2'));
    expect(openCheckpoint(await readFile(file, 'utf8'))?.uploadId).toBe('U2');
  });
});
