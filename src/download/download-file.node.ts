/**
 * `downloadFile()` (Node): an object saved to a file by parallel ranged GETs, each written at its
 * offset into a temporary file beside the destination. Every range is asked for with `If-Match`
 * on the ETag seen at the start, so a source that changes mid-download fails (412) instead of
 * producing a file stitched from two versions. Parts are hashed from the temporary file in worker
 * threads; the file is renamed into place only once the combination of the parts' CRC-64s equals
 * the object's. With a checkpoint, an interrupted download resumes: same ETag required, and parts
 * already on disk are hashed again before they are kept.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { GetObjectInput, GetObjectOutput, HeadObjectInput, HeadObjectOutput } from '../commands/object/index.js';
import type { BaseInput, BaseOutput, Progress } from '../commands/types.js';
import { combineCrc64Parts } from '../integrity/crc64.js';
import { DEFAULT_PARALLEL, DEFAULT_PART_SIZE } from '../defaults.js';
import { invalidArgument, OssClientError, OssError, restateOssError } from '../errors.js';
import { CrcPool, defaultPoolSize } from '../upload/crc-pool.node.js';
import { DEFAULT_PART_ATTEMPTS, withPartRetries } from '../upload/part-retry.js';
import {
  DOWNLOAD_CHECKPOINT_VERSION,
  loadDownloadCheckpoint,
  removeDownloadCheckpoint,
  saveDownloadCheckpoint,
  type DownloadCheckpoint,
  type DownloadCheckpointPart,
} from './checkpoint.node.js';
import { CoalescedSave } from '../upload/coalesced-save.js';

/** Smallest part accepted: smaller ranges cost a request each for little data. */
const MIN_DOWNLOAD_PART_SIZE = 64 * 1024;
/** Received chunks are gathered up to this many bytes, then written with one writev(). */
const WRITE_BATCH_BYTES = 1024 * 1024;

export interface DownloadFileInput extends BaseInput {
  key: string;
  /** Destination path. Written only at the end, by renaming a finished, checked temporary file. */
  file: string;
  versionId?: string;
  /** Bytes per ranged GET (default 8 MiB, at least 64 KiB). */
  partSize?: number;
  /** Ranged GETs in flight at once (default 4). */
  parallel?: number;
  /**
   * Keep progress so a later call resumes: `true` keeps the record beside the destination
   * (`<file>.osskit-download.json`), a string is the record's path. The partial data stays in
   * `<file>.osskit-download` until the download completes.
   */
  checkpoint?: boolean | string;
  /** Bytes received so far (monotonic; retried bytes are not counted twice). */
  onProgress?: (progress: Progress) => void;
  /** Attempts per part, first included (default 3), on top of each request's own retries. */
  partAttempts?: number;
}

export interface DownloadFileOutput extends BaseOutput {
  /** The object's size, which is the file's. */
  size: number;
  /** The ETag every range was read under. */
  etag: string;
  /** Decimal CRC-64/XZ of the file (the combination of its parts'), when one was computed. */
  crc64?: string;
  /** Parts reused from an earlier, interrupted run. */
  resumedParts: number;
}

/** What downloadFile calls; `OssClient` has both. */
export interface DownloadApi {
  headObject(input: HeadObjectInput): Promise<HeadObjectOutput>;
  getObject(input: GetObjectInput): Promise<GetObjectOutput>;
}

export interface DownloadEnv {
  /** The client's default bucket, to name the object in the checkpoint. */
  bucket?: string;
  /** `false` (the client's crc64Check: false): no CRC comparison at the end, and no hashing unless resumable. */
  crc64Check?: boolean;
  /** Base delay of the per-part backoff (tests pass 0). */
  retryBaseDelayMs?: number;
}

interface Plan {
  input: DownloadFileInput;
  env: DownloadEnv;
  where: { operation: string; bucket?: string; key: string };
  etag: string;
  size: number;
  partSize: number;
  count: number;
  temp: string;
  hash: boolean;
}

/**
 * Downloads an object into a file.
 *
 * @example
 * await client.downloadFile({ key: 'backups/db.tar', file: '/data/db.tar', parallel: 8, checkpoint: true });
 */
export async function downloadFile(api: DownloadApi, input: DownloadFileInput, env: DownloadEnv = {}): Promise<DownloadFileOutput> {
  const where = { operation: 'DownloadFile', bucket: input.bucket, key: input.key };
  if (typeof input.key !== 'string' || input.key === '') throw invalidArgument('key is required', where);
  if (typeof input.file !== 'string' || input.file === '') throw invalidArgument('file must be a path', where);
  const partSize = input.partSize ?? DEFAULT_PART_SIZE;
  if (!Number.isSafeInteger(partSize) || partSize < MIN_DOWNLOAD_PART_SIZE) {
    throw invalidArgument(`partSize must be an integer of at least ${MIN_DOWNLOAD_PART_SIZE} bytes`, where);
  }
  const parallel = input.parallel ?? DEFAULT_PARALLEL;
  if (!Number.isSafeInteger(parallel) || parallel < 1 || parallel > 100) throw invalidArgument('parallel must be an integer from 1 to 100', where);
  const attempts = input.partAttempts ?? DEFAULT_PART_ATTEMPTS;
  if (!Number.isSafeInteger(attempts) || attempts < 1) throw invalidArgument('partAttempts must be a whole number of at least 1', where);
  const file = resolve(input.file);
  const isDir = await stat(file).then((s) => s.isDirectory(), () => false);
  if (isDir) throw invalidArgument(`${input.file} is a directory`, where);
  await stat(dirname(file)).catch((error: unknown) => {
    throw invalidArgument(`cannot write into ${dirname(input.file)}`, { ...where, cause: error });
  });
  if (input.signal?.aborted) throw abortedError(input, where);

  const checkpointPath = input.checkpoint === true ? `${file}.osskit-download.json` : typeof input.checkpoint === 'string' ? resolve(input.checkpoint) : undefined;
  const head = await api.headObject({ bucket: input.bucket, key: input.key, versionId: input.versionId, signal: input.signal });
  const size = head.contentLength;
  const hash = env.crc64Check !== false || checkpointPath !== undefined;
  const pool = hash ? new CrcPool(Math.min(parallel, defaultPoolSize())) : undefined;
  try {
    const previous = checkpointPath ? await loadDownloadCheckpoint(checkpointPath) : undefined;
    const bucketName = input.bucket ?? env.bucket ?? '';
    const reusable =
      previous !== undefined &&
      previous.bucket === bucketName &&
      previous.key === input.key &&
      previous.versionId === input.versionId &&
      previous.etag === head.etag &&
      previous.size === size;
    const plan: Plan = {
      input,
      env,
      where,
      etag: head.etag,
      size,
      // A resumed download keeps the part size its parts were cut with.
      partSize: reusable ? previous.partSize : partSize,
      count: 0,
      temp: checkpointPath ? `${file}.osskit-download` : `${file}.${randomBytes(6).toString('hex')}.osskit-download`,
      hash,
    };
    plan.count = Math.max(1, Math.ceil(size / plan.partSize));
    const record: DownloadCheckpoint = {
      version: DOWNLOAD_CHECKPOINT_VERSION,
      bucket: bucketName,
      key: input.key,
      ...(input.versionId !== undefined ? { versionId: input.versionId } : {}),
      etag: head.etag,
      size,
      partSize: plan.partSize,
      parts: [],
    };
    const done = new Map<number, DownloadCheckpointPart>();
    if (reusable) for (const part of await verifiedParts(plan, previous, pool)) done.set(part.partNumber, part);
    const resumedParts = done.size;

    const handle = await open(plan.temp, reusable && resumedParts > 0 ? 'r+' : 'w');
    let failure: unknown;
    try {
      await handle.truncate(size);
      const saving = checkpointPath ? recordSaver(checkpointPath, record, done) : undefined;
      await saving?.save();
      const saver = saving?.saver;
      try {
        await fetchParts(api, plan, handle, done, parallel, attempts, pool, saver);
      } finally {
        await saver?.flush();
      }
    } catch (error) {
      failure = error;
    } finally {
      await handle.close().catch(() => undefined);
    }
    if (failure !== undefined) {
      // Keep the partial file for a resume, unless what is on disk can never be completed.
      const hopeless = !checkpointPath || isChangedSource(failure);
      if (hopeless) {
        await rm(plan.temp, { force: true });
        if (checkpointPath) await removeDownloadCheckpoint(checkpointPath);
      }
      throw explain(failure, plan);
    }

    const parts = [...done.values()].sort((a, b) => a.partNumber - b.partNumber);
    const crc64 = hash ? combineCrc64Parts(parts.map((p) => ({ crc64: p.crc64, size: partLength(plan, p.partNumber) }))) : undefined;
    if (env.crc64Check !== false && head.crc64 !== undefined && crc64 !== undefined && crc64 !== head.crc64) {
      await rm(plan.temp, { force: true });
      if (checkpointPath) await removeDownloadCheckpoint(checkpointPath);
      throw new OssClientError('CrcMismatch', `CRC-64 mismatch: OSS reported ${head.crc64}, the downloaded file hashes to ${crc64}`, where);
    }
    await rename(plan.temp, file);
    if (checkpointPath) await removeDownloadCheckpoint(checkpointPath);
    return { requestId: head.requestId, size, etag: head.etag, ...(crc64 !== undefined ? { crc64 } : {}), resumedParts };
  } finally {
    await pool?.close();
  }
}

/** The recorded parts whose bytes in the temporary file still hash to what was recorded. */
async function verifiedParts(plan: Plan, previous: DownloadCheckpoint, pool: CrcPool | undefined): Promise<DownloadCheckpointPart[]> {
  const onDisk = await stat(plan.temp).then((s) => s.size, () => -1);
  if (onDisk !== plan.size || !pool) return [];
  const candidates = previous.parts.filter((p) => p.partNumber >= 1 && p.partNumber <= plan.count);
  const checks = await Promise.all(
    candidates.map(async (part) => {
      const crc = await pool.hashRange(plan.temp, (part.partNumber - 1) * plan.partSize, partLength(plan, part.partNumber)).catch(() => undefined);
      return crc === part.crc64 ? part : undefined;
    }),
  );
  return checks.filter((p): p is DownloadCheckpointPart => p !== undefined);
}

/** `parallel` workers pull part numbers until all are on disk or one fails; a failure stops the rest. */
async function fetchParts(
  api: DownloadApi,
  plan: Plan,
  handle: FileHandle,
  done: Map<number, DownloadCheckpointPart>,
  parallel: number,
  attempts: number,
  pool: CrcPool | undefined,
  saver: CoalescedSave | undefined,
): Promise<void> {
  const { input } = plan;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(input.signal?.reason);
  input.signal?.addEventListener('abort', onAbort, { once: true });
  const progress = new ByteProgress(plan, done);
  const pending = Array.from({ length: plan.count }, (_, i) => i + 1).filter((n) => !done.has(n));
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (let partNumber = pending.shift(); partNumber !== undefined && !controller.signal.aborted; partNumber = pending.shift()) {
      const n = partNumber;
      const crc = await withPartRetries(
        async () => {
          progress.restart(n);
          await fetchPart(api, plan, handle, n, controller.signal, (bytes) => progress.add(n, bytes));
          return pool ? pool.hashRange(plan.temp, (n - 1) * plan.partSize, partLength(plan, n)) : '';
        },
        {
          attempts,
          signal: controller.signal,
          label: `part ${n}`,
          operation: 'GetObject',
          bucket: input.bucket,
          key: input.key,
          baseDelayMs: plan.env.retryBaseDelayMs,
        },
      );
      done.set(n, { partNumber: n, crc64: crc });
      saver?.schedule();
    }
  };
  try {
    await Promise.all(
      Array.from({ length: Math.min(parallel, Math.max(1, pending.length)) }, () =>
        worker().catch((error: unknown) => {
          failure ??= { error };
          controller.abort(error);
        }),
      ),
    );
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
  }
  if (input.signal?.aborted) throw abortedError(input, plan.where);
  if (failure) throw failure.error;
  progress.finish();
}

/** One ranged GET under If-Match, written at the part's offset in batches of about 1 MiB. */
async function fetchPart(
  api: DownloadApi,
  plan: Plan,
  handle: FileHandle,
  partNumber: number,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const start = (partNumber - 1) * plan.partSize;
  const length = partLength(plan, partNumber);
  if (length === 0) return;
  const answer = await api.getObject({
    bucket: plan.input.bucket,
    key: plan.input.key,
    versionId: plan.input.versionId,
    range: { start, end: start + length - 1 },
    ifMatch: plan.etag,
    signal,
  });
  const reader = answer.body.getReader();
  if (answer.status !== 206 && !(answer.status === 200 && start === 0 && length === plan.size)) {
    await reader.cancel().catch(() => undefined);
    throw new OssClientError('NetworkError', `part ${partNumber}: expected a 206 range answer, got ${answer.status}`, plan.where);
  }
  let position = start;
  let batch: Uint8Array[] = [];
  let batched = 0;
  const flush = async (): Promise<void> => {
    if (batched === 0) return;
    const buffers = batch;
    const from = position;
    const size = batched;
    position += batched;
    batch = [];
    batched = 0;
    // writev may write less than asked: keep going from where it stopped.
    const { bytesWritten } = await handle.writev(buffers, from);
    if (bytesWritten < size) await writeRest(handle, buffers, bytesWritten, from);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (position + batched + value.byteLength > start + length) {
        throw new OssClientError('NetworkError', `part ${partNumber}: the answer is longer than the range`, plan.where);
      }
      batch.push(value);
      batched += value.byteLength;
      onBytes(value.byteLength);
      if (batched >= WRITE_BATCH_BYTES) await flush();
    }
    await flush();
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  if (position !== start + length) {
    throw new OssClientError('NetworkError', `part ${partNumber}: the answer ended after ${position - start} of ${length} bytes`, plan.where);
  }
}

async function writeRest(handle: FileHandle, buffers: Uint8Array[], skip: number, from: number): Promise<void> {
  let offset = from;
  for (const buffer of buffers) {
    let view = buffer;
    if (skip >= view.byteLength) {
      skip -= view.byteLength;
      offset += view.byteLength;
      continue;
    }
    view = view.subarray(skip);
    offset += skip;
    skip = 0;
    while (view.byteLength > 0) {
      const { bytesWritten } = await handle.write(view, 0, view.byteLength, offset);
      view = view.subarray(bytesWritten);
      offset += bytesWritten;
    }
  }
}

function partLength(plan: Plan, partNumber: number): number {
  return Math.max(0, Math.min(plan.partSize, plan.size - (partNumber - 1) * plan.partSize));
}

/** Bytes on disk so far: each part counts its best attempt, so a retry never moves progress back. */
class ByteProgress {
  readonly #plan: Plan;
  readonly #best = new Map<number, number>();
  readonly #current = new Map<number, number>();
  #reported = -1;
  #loaded: number;

  constructor(plan: Plan, done: Map<number, DownloadCheckpointPart>) {
    this.#plan = plan;
    this.#loaded = [...done.keys()].reduce((sum, n) => sum + partLength(plan, n), 0);
    this.#emit();
  }

  restart(partNumber: number): void {
    this.#current.set(partNumber, 0);
  }

  add(partNumber: number, bytes: number): void {
    const now = (this.#current.get(partNumber) ?? 0) + bytes;
    this.#current.set(partNumber, now);
    const best = this.#best.get(partNumber) ?? 0;
    if (now > best) {
      this.#best.set(partNumber, now);
      this.#loaded += now - best;
      this.#emit();
    }
  }

  finish(): void {
    this.#loaded = this.#plan.size;
    this.#emit();
  }

  #emit(): void {
    const listener = this.#plan.input.onProgress;
    if (!listener || this.#loaded === this.#reported) return;
    this.#reported = this.#loaded;
    listener({ loadedBytes: this.#loaded, totalBytes: this.#plan.size });
  }
}

/** Saves the download record now (`save`) and after parts finish (`saver`, see CoalescedSave). */
function recordSaver(path: string, record: DownloadCheckpoint, done: Map<number, DownloadCheckpointPart>) {
  const save = () => saveDownloadCheckpoint(path, { ...record, parts: [...done.values()].sort((a, b) => a.partNumber - b.partNumber) });
  return { save, saver: new CoalescedSave(save) };
}

function isChangedSource(error: unknown): boolean {
  const cause = error instanceof OssError ? error : undefined;
  return cause?.status === 412 || cause?.code === 'PreconditionFailed';
}

/** A 412 on a range means the object was replaced after the download started: say so. */
function explain(error: unknown, plan: Plan): unknown {
  if (!(error instanceof OssError) || !isChangedSource(error)) return error;
  const message = `the object changed during the download (its ETag is no longer ${plan.etag}); nothing was written to ${plan.input.file}`;
  return restateOssError(error, message, plan.where);
}

function abortedError(input: DownloadFileInput, where: Plan['where']): OssClientError {
  return new OssClientError('Aborted', 'the download was aborted', { ...where, cause: input.signal?.reason });
}
