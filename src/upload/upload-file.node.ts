/**
 * `uploadFile()` (Node): a file by path, read by range one part at a time — never whole — with
 * checkpoints identified by the file's path, size and mtime.
 *
 * A file rewritten while it is read would make an object of old and new parts. Hashing it twice
 * would catch that but doubles the CPU cost, so the file's status is compared instead: size,
 * inode, mtime and ctime in nanoseconds, taken before the upload and again when a pass over the
 * file has read its last part (and whenever it is opened). ctime cannot be set back by `cp -p`,
 * `rsync -t` or `touch -d`, so any write in between shows — unless it falls in the same timestamp
 * tick as the file's last change before the upload (milliseconds on Linux, 2 s on FAT). So a file
 * changed within the last few seconds is also read again before the object is committed and
 * compared part by part with the CRC-64 of what was sent (recheck.ts); older files need no
 * second read. A file replaced by rename during a pass is still read whole from the handle that
 * pass opened (the old content, consistent); a later pass (recheck, resume) sees a new inode and fails.
 */
import type { BigIntStats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invalidArgument } from '../errors.js';
import { nodeCheckpointStore } from './checkpoint-file.node.js';
import { offloadPartCrc } from './crc-offload.node.js';
import { BufferPool, partCount, type Part, type SkipPart } from './parts.js';
import { recheckParts } from './recheck.js';
import { uploadSource, type UploadSource } from './upload.js';
import type { UploadApi, UploadEnv, UploadOptions, UploadOutput } from './upload-api.js';

export interface UploadFileInput extends UploadOptions {
  /** Path of the file to upload. */
  file: string;
}

/**
 * Uploads a file, in parts when it is larger than `partSize`.
 *
 * @example
 * await uploadFile(client, { key: 'backups/db.tar', file: '/data/db.tar', checkpoint: true });
 */
export async function uploadFile(api: UploadApi, input: UploadFileInput, env: UploadEnv = {}): Promise<UploadOutput> {
  if (typeof input.file !== 'string' || input.file === '') throw invalidArgument('file must be a path');
  const path = resolve(input.file);
  const info = await stat(path, { bigint: true }).catch((error: unknown) => {
    throw invalidArgument(`cannot read file ${input.file}`, { cause: error });
  });
  if (!info.isFile()) throw invalidArgument(`${input.file} is not a regular file`);
  const size = Number(info.size);
  // CRC-64 of large files in worker threads, off the event loop (crc-offload.node.ts).
  const offload = offloadPartCrc(api, size, input, env);
  const source: UploadSource = {
    size,
    parts: (partSize, skip) => fileParts(path, size, partSize, skip, info, offload?.hashPart),
    identity: async () => ({ kind: 'file', name: path, size, mtimeMs: Number(info.mtimeNs / 1_000_000n) }),
    recheck: recentlyChanged(info) ? recheckParts : undefined,
  };
  try {
    return await uploadSource(offload?.api ?? api, source, input, { checkpointStore: nodeCheckpointStore, ...env, ...offload?.env });
  } finally {
    await offload?.close();
  }
}

/**
 * Ranged reads: each part is read into a pooled buffer when a worker asks for it. With `before`
 * (the file's status when the upload began), the file must still match it when opened and once
 * the last part is read. `hashPart` sees each part's bytes once read (worker CRCs) and answers the
 * bytes to use: the same memory, possibly through a new view.
 */
export async function* fileParts(
  path: string,
  size: number,
  partSize: number,
  skip: SkipPart,
  before?: BigIntStats,
  hashPart?: (partNumber: number, bytes: Uint8Array) => Promise<Uint8Array>,
): AsyncGenerator<Part> {
  const handle = await open(path, 'r');
  const pool = new BufferPool(partSize);
  const unchanged = async (): Promise<void> => {
    if (before && changed(before, await handle.stat({ bigint: true }))) {
      throw invalidArgument(`${path} changed while it was being uploaded; upload it again`);
    }
  };
  try {
    await unchanged();
    const count = partCount(size, partSize);
    for (let i = 0; i < count; i++) {
      const partNumber = i + 1;
      if (skip(partNumber)) continue;
      const offset = i * partSize;
      const length = Math.min(partSize, size - offset);
      const read = async (): Promise<Uint8Array> => {
        const bytes = pool.take().subarray(0, length);
        for (let done = 0; done < length; ) {
          const { bytesRead } = await handle.read(bytes, done, length - done, offset + done);
          if (bytesRead === 0) throw invalidArgument(`${path} shrank while it was being uploaded`);
          done += bytesRead;
        }
        return bytes;
      };
      let bytes = await read();
      // The worker has the buffer while it hashes; if that fails the memory went with it.
      if (hashPart) bytes = await hashPart(partNumber, bytes).catch(read);
      // Checked before the last part is handed out: a single-part upload never asks for more.
      if (partNumber === count) await unchanged();
      const buffer = new Uint8Array(bytes.buffer, 0, bytes.buffer.byteLength);
      yield { partNumber, offset, bytes, release: () => pool.give(buffer) };
    }
    if (skip(count)) await unchanged();
  } finally {
    await handle.close();
  }
}

/** Ticks are at most 2 s (FAT); anything changed more recently, or in the future, is rechecked. */
const SETTLED_MS = 5_000;

function recentlyChanged(info: BigIntStats): boolean {
  return Date.now() - Number(info.ctimeMs) < SETTLED_MS;
}

function changed(a: BigIntStats, b: BigIntStats): boolean {
  return a.size !== b.size || a.ino !== b.ino || a.dev !== b.dev || a.mtimeNs !== b.mtimeNs || a.ctimeNs !== b.ctimeNs;
}
