/**
 * The multipart path of a managed upload: one iterator of parts, `parallel` workers pulling from
 * it (a work queue whose memory is bounded by workers × part size), a checkpoint that remembers
 * finished parts, and cleanup that leaves no orphan parts unless the caller asked to resume.
 */
import { combineCrc64Parts, crc64 } from '../integrity/crc64.js';
import type { Progress } from '../commands/types.js';
import { isOssError, OssClientError } from '../errors.js';
import { md5, toHex } from '../integrity/hash.js';
import type { CheckpointPart, CheckpointStore, SourceIdentity } from './checkpoint.js';
import { checkSentCrc, withPartRetries } from './part-retry.js';
import { partCount, type Part, type SkipPart } from './parts.js';
import type { ProgressTracker } from './progress.js';
import type { recheckParts } from './recheck.js';
import { checkpointRecord, normalizeEtag, openSession, type Session } from './resume.js';
import {
  uploadOutput,
  type UploadApi,
  type UploadHeadObjectOutput,
  type UploadOptions,
  type UploadOutput,
} from './upload-api.js';
import { CoalescedSave } from './coalesced-save.js';

export interface MultipartJob {
  api: UploadApi;
  options: UploadOptions;
  /** The bucket name used to identify the checkpoint (input's or client's). */
  bucketName: string;
  partSize: number;
  parallel: number;
  partAttempts: number;
  totalBytes: number | undefined;
  /** Builds the parts iterator once the finished parts are known. */
  parts: (skip: SkipPart) => AsyncIterable<Part>;
  progress: ProgressTracker;
  store?: CheckpointStore;
  identity?: SourceIdentity;
  retryBaseDelayMs?: number;
  /** Hash each part here (see UploadEnv.partCrcChecked and crc64Check). */
  hashParts: boolean;
  /** Compare the object's CRC-64 with the parts' combination (off with the client's crc64Check: false). */
  checkObjectCrc: boolean;
  /** Reads every part again before completing and fails if the source changed (UploadSource.recheck). */
  recheck?: typeof recheckParts;
}

export async function runMultipartUpload(job: MultipartJob): Promise<UploadOutput> {
  const { options } = job;
  const controller = new AbortController();
  const onUserAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  // Everything from here on (initiate or resume included) may throw: the listener must not outlive
  // this call on the caller's signal, which may be long-lived and shared by many uploads.
  try {
    const session = await openSession(job);
    try {
      return await runSession(job, session, controller);
    } finally {
      await session.release?.().catch(() => undefined);
    }
  } finally {
    options.signal?.removeEventListener('abort', onUserAbort);
  }
}

/** Parts, then completion; on failure the upload is kept for resume (checkpoint) or aborted. */
async function runSession(job: MultipartJob, session: Session, controller: AbortController): Promise<UploadOutput> {
  const { api, options, progress } = job;
  const where = { bucket: options.bucket, key: options.key };
  const saver = session.store ? checkpointSaver(session, job) : undefined;
  // Set once CompleteMultipartUpload has stored the object: nothing is left to abort or resume.
  let stored = false;
  try {
    progress.start([...session.done.values()].reduce((sum, p) => sum + p.size, 0));
    await uploadParts(job, session, controller, saver);
    if (options.signal?.aborted) throw abortedError(job);
    const parts = [...session.done.values()].sort((a, b) => a.partNumber - b.partNumber);
    checkComplete(job, parts);
    await job.recheck?.(job.parts(() => false), new Map(parts.map((p) => [p.partNumber, p.crc64])), where);
    progress.completing();
    let out: CompleteOutput;
    try {
      out = await complete(job, session, parts);
    } catch (error) {
      // 203 CallbackFailed: the object is stored and only the callback failed (docs/protocol.md, "Upload callbacks").
      // Aborting would be pointless and a checkpoint would make the next run upload it all again.
      if (isOssError(error) && error.code === 'CallbackFailed') stored = true;
      throw error;
    }
    stored = true;
    const size = parts.reduce((sum, p) => sum + p.size, 0);
    if (job.checkObjectCrc && out.crc64 !== undefined && out.crc64 !== combineCrc64Parts(parts)) {
      throw new OssClientError('CrcMismatch', "the object's CRC-64 differs from the combination of its parts", {
        operation: 'CompleteMultipartUpload',
        ...where,
      });
    }
    progress.done(size);
    return uploadOutput(out, { size, uploadId: session.uploadId });
  } catch (error) {
    if (stored) throw error;
    const failure = options.signal?.aborted ? abortedError(job) : error;
    if (saver) {
      // Kept for resume: make sure the last finished parts are on record.
      await saver.flush();
    } else {
      await api.abortMultipartUpload({ ...where, uploadId: session.uploadId }).catch(() => undefined);
    }
    throw failure;
  } finally {
    if (stored) {
      // The upload id is spent once completed: the record could only mislead a later run.
      await saver?.flush();
      await session.store?.remove(session.id).catch(() => undefined);
    }
  }
}

/** Workers pull from one iterator until it ends or something fails. */
async function uploadParts(
  job: MultipartJob,
  session: Session,
  controller: AbortController,
  saver: CoalescedSave | undefined,
): Promise<void> {
  const iterator = job.parts((n) => session.done.has(n))[Symbol.asyncIterator]();
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;

  const worker = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      const next = await iterator.next();
      if (next.done || controller.signal.aborted) return;
      const sending = sendPart(job, session, next.value, controller.signal);
      inFlight.add(sending);
      try {
        await sending;
      } finally {
        inFlight.delete(sending);
      }
      // Only after success: a failed request might still hold the buffer.
      next.value.release?.();
      saver?.schedule();
    }
  };
  const fail = (error: unknown): void => {
    failure ??= { error };
    controller.abort(error);
  };
  const workers = Array.from({ length: job.parallel }, () => worker().catch(fail));
  // Race against the abort: a worker may be waiting on a stalled stream that will never yield.
  await Promise.race([Promise.all(workers), aborted(controller.signal)]);
  if (controller.signal.aborted) {
    await Promise.allSettled([...inFlight]);
    // Not awaited: return() queues behind a pending next() of a stalled source.
    void iterator.return?.()?.catch(() => undefined);
  }
  if (failure) throw failure.error;
}

async function sendPart(job: MultipartJob, session: Session, part: Part, signal: AbortSignal): Promise<void> {
  const { api, options, progress } = job;
  const { partNumber, bytes } = part;
  // Hashed here unless send() already checks it against the answer (no need to do it twice).
  let expected = job.hashParts ? crc64(bytes) : undefined;
  try {
    const retry = {
      attempts: job.partAttempts,
      signal,
      label: `part ${partNumber}`,
      operation: 'UploadPart',
      bucket: options.bucket,
      key: options.key,
      onRetry: () => progress.partRetry(partNumber),
      baseDelayMs: job.retryBaseDelayMs,
    };
    const out = await withPartRetries(async () => {
      const answer = await api.uploadPart({
        bucket: options.bucket,
        key: options.key,
        uploadId: session.uploadId,
        partNumber,
        body: bytes,
        ...(options.contentMd5 ? { contentMd5: true as const } : {}),
        signal,
        // Only when someone listens: byte counting makes the transport send the body in chunks.
        ...(options.onProgress ? { onProgress: (p: Progress) => progress.partProgress(partNumber, p.loadedBytes) } : {}),
      });
      return checkSentCrc(answer, expected, retry);
    }, retry);
    // With checks off and no CRC in the answer, hash only for what needs the part's CRC: a checkpoint
    // (resume combines them), the object check, a recheck. Otherwise '' marks it unknown.
    expected ??= out.crc64 ?? (needsPartCrcs(job, session) ? crc64(bytes) : UNKNOWN_CRC);
    session.done.set(partNumber, { partNumber, etag: out.etag, crc64: expected, size: bytes.byteLength });
    progress.partDone(partNumber, bytes.byteLength);
  } catch (error) {
    progress.partFailed(partNumber);
    throw error;
  }
}

/** A part record's CRC-64 when nothing needed it computed (see needsPartCrcs). */
const UNKNOWN_CRC = '';

function needsPartCrcs(job: MultipartJob, session: Session): boolean {
  return session.store !== undefined || job.checkObjectCrc || job.recheck !== undefined;
}

type CompleteOutput = Awaited<ReturnType<UploadApi['completeMultipartUpload']>>;

/**
 * CompleteMultipartUpload, retried like a part. Its answer can be lost after the service stored the
 * object (a connection cut mid-answer), and the retry (send()'s or ours) then finds the upload gone:
 * NoSuchUpload. A HEAD decides: an object of the parts' total size whose CRC-64 (or multipart ETag)
 * is the combination of our parts is the one we completed. It reports success without the callback
 * result, which went out with the lost answer.
 */
async function complete(job: MultipartJob, session: Session, parts: CheckpointPart[]): Promise<CompleteOutput> {
  const { api, options } = job;
  const where = { bucket: options.bucket, key: options.key };
  try {
    return await withPartRetries(
      () =>
        api.completeMultipartUpload({
          ...where,
          uploadId: session.uploadId,
          parts: parts.map(({ partNumber, etag }) => ({ partNumber, etag })),
          callback: options.callback,
          signal: options.signal,
        }),
      {
        attempts: job.partAttempts,
        signal: options.signal ?? new AbortController().signal,
        label: 'CompleteMultipartUpload',
        operation: 'CompleteMultipartUpload',
        ...where,
        baseDelayMs: job.retryBaseDelayMs,
      },
    );
  } catch (error) {
    if (!isOssError(error) || error.code !== 'NoSuchUpload' || !api.headObject) throw error;
    const head = await api.headObject({ ...where, signal: options.signal }).catch(() => undefined);
    if (!head || !isOurObject(head, parts)) throw error;
    return { etag: head.etag, ...(head.crc64 !== undefined ? { crc64: head.crc64 } : {}), requestId: head.requestId };
  }
}

function isOurObject(head: UploadHeadObjectOutput, parts: CheckpointPart[]): boolean {
  if (head.contentLength !== parts.reduce((sum, p) => sum + p.size, 0)) return false;
  if (head.crc64 !== undefined && parts.every((p) => p.crc64 !== UNKNOWN_CRC)) return head.crc64 === combineCrc64Parts(parts);
  const etag = multipartEtag(parts);
  return etag !== undefined && normalizeEtag(head.etag) === etag;
}

/** OSS's multipart ETag: MD5 over the parts' binary MD5s, then `-<count>`; undefined unless every part ETag is an MD5. */
function multipartEtag(parts: CheckpointPart[]): string | undefined {
  const digests = new Uint8Array(parts.length * 16);
  for (const [i, part] of parts.entries()) {
    const hex = normalizeEtag(part.etag);
    if (!/^[0-9A-F]{32}$/.test(hex)) return undefined;
    for (let j = 0; j < 16; j++) digests[i * 16 + j] = parseInt(hex.slice(2 * j, 2 * j + 2), 16);
  }
  return `${toHex(md5(digests)).toUpperCase()}-${parts.length}`;
}

/** Every part from 1 to the last must be present before completing. */
function checkComplete(job: MultipartJob, parts: CheckpointPart[]): void {
  const expected = job.totalBytes === undefined ? parts.length : partCount(job.totalBytes, job.partSize);
  const contiguous = parts.length === expected && parts.every((p, i) => p.partNumber === i + 1);
  if (!contiguous) {
    throw new OssClientError('InvalidArgument', `the body ended early: ${parts.length} of ${expected} parts were read`, {
      operation: 'Upload',
      bucket: job.options.bucket,
      key: job.options.key,
    });
  }
}

/** The upload's checkpoint record, saved after parts finish (see CoalescedSave). */
function checkpointSaver(session: Session, job: MultipartJob): CoalescedSave {
  const parts = () => [...session.done.values()].sort((a, b) => a.partNumber - b.partNumber);
  return new CoalescedSave(() => session.store!.save(session.id, checkpointRecord(job, session.uploadId, parts())));
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export function abortedError(job: { options: UploadOptions }): OssClientError {
  return new OssClientError('Aborted', 'the upload was aborted', {
    operation: 'Upload',
    bucket: job.options.bucket,
    key: job.options.key,
    cause: job.options.signal?.reason,
  });
}
