/**
 * Checkpoint records as JSON files (Node). Writes go to a temporary file that is then renamed over
 * the record, so a crash leaves either the old record or the new one — never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CheckpointRecord, CheckpointStore } from './checkpoint.js';

/**
 * One record per upload in `dir` (default: the OS temp dir), named from the checkpoint id
 * (bucket, key and source path).
 *
 * @example
 * await uploadFile(client, { key, file, checkpoint: createFileCheckpointStore('/var/tmp/uploads') });
 */
export function createFileCheckpointStore(dir: string = tmpdir()): CheckpointStore {
  return jsonStore((id) => join(dir, `osskit-upload-${id}.json`));
}

/** A store that keeps its (single) record at exactly `path`, whatever the id. */
export function createSingleFileCheckpointStore(path: string): CheckpointStore {
  return jsonStore(() => path);
}

/**
 * What `checkpoint: true | '<path>'` means in Node: `true` → a file in the OS temp dir; an existing
 * directory → a file in it; any other path → the record file itself.
 */
export function nodeCheckpointStore(spec: true | string): CheckpointStore {
  if (spec === true) return createFileCheckpointStore();
  const path = spec;
  return {
    async load(id) {
      return (await storeFor(path)).load(id);
    },
    async save(id, record) {
      return (await storeFor(path)).save(id, record);
    },
    async remove(id) {
      return (await storeFor(path)).remove(id);
    },
  };
}

async function storeFor(path: string): Promise<CheckpointStore> {
  const isDir = await stat(path).then((s) => s.isDirectory(), () => false);
  return isDir ? createFileCheckpointStore(path) : createSingleFileCheckpointStore(path);
}

function jsonStore(pathOf: (id: string) => string): CheckpointStore {
  return {
    async load(id) {
      try {
        // Returned as text: openCheckpoint() parses and validates it, discarding anything corrupt.
        return await readFile(pathOf(id), 'utf8');
      } catch {
        return undefined;
      }
    },
    async save(id, record: CheckpointRecord) {
      const path = pathOf(id);
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temp, JSON.stringify(record), { mode: 0o600 });
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    async remove(id) {
      await rm(pathOf(id), { force: true });
    },
  };
}
