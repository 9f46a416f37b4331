/**
 * `uploadFile()` (Node): a file by path, read by range one part at a time — never whole — with
 * checkpoints identified by the file's path, size and mtime.
 */
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invalidArgument } from '../errors.js';
import { nodeCheckpointStore } from './checkpoint-file.node.js';
import { offloadPartCrc } from './crc-offload.node.js';
import { BufferPool, partCount, type Part, type SkipPart } from './parts.js';
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
  const info = await stat(path).catch((error: unknown) => {
    throw invalidArgument(`cannot read file ${input.file}`, { cause: error });
  });
  if (!info.isFile()) throw invalidArgument(`${input.file} is not a regular file`);
  const size = info.size;
  // CRC-64 of large files in worker threads, off the event loop (crc-offload.node.ts).
  const offload = offloadPartCrc(api, path, size, input, env);
  const source: UploadSource = {
    size,
    parts: (partSize, skip) => fileParts(path, size, partSize, skip, offload?.onRead),
    identity: async () => ({ kind: 'file', name: path, size, mtimeMs: Math.trunc(info.mtimeMs) }),
  };
  try {
    return await uploadSource(offload?.api ?? api, source, input, { checkpointStore: nodeCheckpointStore, ...env, ...offload?.env });
  } finally {
    await offload?.close();
  }
}

/** Ranged reads: each part is read into a pooled buffer when a worker asks for it. */
export async function* fileParts(
  path: string,
  size: number,
  partSize: number,
  skip: SkipPart,
  onRead?: (partNumber: number, offset: number, length: number) => void,
): AsyncGenerator<Part> {
  const handle = await open(path, 'r');
  const pool = new BufferPool(partSize);
  try {
    const count = partCount(size, partSize);
    for (let i = 0; i < count; i++) {
      const partNumber = i + 1;
      if (skip(partNumber)) continue;
      const offset = i * partSize;
      const length = Math.min(partSize, size - offset);
      onRead?.(partNumber, offset, length);
      const buffer = pool.take();
      const bytes = buffer.subarray(0, length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await handle.read(bytes, read, length - read, offset + read);
        if (bytesRead === 0) throw invalidArgument(`${path} shrank while it was being uploaded`);
        read += bytesRead;
      }
      yield { partNumber, offset, bytes, release: () => pool.give(buffer) };
    }
  } finally {
    await handle.close();
  }
}
