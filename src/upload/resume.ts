/**
 * Starting or resuming the multipart upload behind a managed upload: a checkpoint is
 * trusted only if it matches this destination, source and part size, and even then the parts it
 * lists count only as far as ListParts confirms them — the server is the truth.
 */
import { crc64 } from '../integrity/crc64.js';
import { OssError } from '../errors.js';
import {
  CHECKPOINT_VERSION,
  checkpointId,
  checkpointMatches,
  openCheckpoint,
  sealCheckpoint,
  type CheckpointPart,
  type CheckpointRecord,
  type CheckpointStore,
} from './checkpoint.js';
// A call-time cycle only (multipart-upload imports openSession): both are functions.
import { abortedError, type MultipartJob } from './multipart-upload.js';
import { partCount } from './parts.js';
import type { ListedPart } from '../commands/multipart/list-parts.js';
import type { UploadApi, UploadOptions } from './upload-api.js';

export interface Session {
  uploadId: string;
  /** Parts the service holds (confirmed), by part number. */
  done: Map<number, CheckpointPart>;
  store?: CheckpointStore;
  id: string;
  release?: () => Promise<void>;
}

/** Resumes from a matching checkpoint, or initiates a new upload (discarding a stale one). */
export async function openSession(job: MultipartJob): Promise<Session> {
  const { api, options, store, identity } = job;
  if (!store || !identity) return { ...(await initiate(api, options)), done: new Map(), id: '' };

  const id = checkpointId(job.bucketName, options.key, identity);
  const release = store.lock ? await store.lock(id) : undefined;
  try {
    const raw = await store.load(id).catch(() => undefined);
    const record = openCheckpoint(raw);
    if (!record) await abortRecordedUpload(api, options, raw);
    if (record) {
      const want = { bucket: job.bucketName, key: options.key, source: identity, partSize: job.partSize };
      if (checkpointMatches(record, want)) {
        const listed = await listAllParts(api, options, record.uploadId);
        if (listed) {
          const done = await verifyReusedParts(job, reconcile(record, listed, job.partSize, job.totalBytes));
          return { uploadId: record.uploadId, done, store, id, release };
        }
      } else {
        // The source changed (or the record names another destination): its parts are useless.
        await abortRecordedUpload(api, options, record);
      }
      await store.remove(id).catch(() => undefined);
    }
    const { uploadId } = await initiate(api, options);
    await store.save(id, checkpointRecord(job, uploadId, [])).catch(() => undefined);
    return { uploadId, done: new Map(), store, id, release };
  } catch (error) {
    await release?.().catch(() => undefined);
    throw error;
  }
}

/** The sealed record of this job's upload `uploadId` with `parts` done, ready to save. */
export function checkpointRecord(job: MultipartJob, uploadId: string, parts: CheckpointPart[]): CheckpointRecord {
  const { bucketName, options, identity, partSize } = job;
  return sealCheckpoint({ version: CHECKPOINT_VERSION, bucket: bucketName, key: options.key, uploadId, source: identity!, partSize, parts });
}

/**
 * Aborts the upload a stored record names. A record that failed validation (corrupt, tampered,
 * older version) is not trusted for resuming, but its uploadId, when still readable, names an
 * upload of this key that would otherwise be left behind; a wrong id only costs a NoSuchUpload.
 */
export async function abortRecordedUpload(api: UploadApi, options: UploadOptions, raw: unknown): Promise<void> {
  const record = openCheckpoint(raw);
  const target = record
    ? { bucket: record.bucket || options.bucket, key: record.key, uploadId: record.uploadId }
    : { bucket: options.bucket, key: options.key, uploadId: readableUploadId(raw) };
  const uploadId = target.uploadId;
  if (!uploadId) return;
  await api.abortMultipartUpload({ ...target, uploadId }).catch(() => undefined);
}

function readableUploadId(raw: unknown): string | undefined {
  if (typeof raw === 'string') {
    // Text cut short (a crash mid-write) is not JSON, but its uploadId may still be whole.
    const found = /"uploadId"\s*:\s*"([^"\\]{1,1024})"/.exec(raw);
    return found?.[1];
  }
  const id = typeof raw === 'object' && raw !== null ? (raw as { uploadId?: unknown }).uploadId : undefined;
  return typeof id === 'string' && id !== '' && id.length <= 1024 ? id : undefined;
}

/** How long an abort waits for an InitiateMultipartUpload answer already on its way. */
export const INITIATE_ABORT_GRACE_MS = 5_000;

/**
 * InitiateMultipartUpload is sent without the caller's signal: cut off in flight, the request may
 * still create an upload whose id nobody would learn, an orphan no abort can reach. On abort we
 * wait for the answer instead (it is small); the aborted upload then ends as any aborted upload
 * does — abortMultipartUpload, or kept on record for a checkpoint. An answer slower than the grace
 * period no longer holds up the caller: the upload it names is aborted when it arrives.
 */
async function initiate(api: UploadApi, options: UploadOptions): Promise<{ uploadId: string }> {
  const pending = api.initiateMultipartUpload({
    bucket: options.bucket,
    key: options.key,
    contentType: options.contentType,
    metadata: options.metadata,
    headers: options.headers,
  });
  const signal = options.signal;
  if (!signal) return { uploadId: (await pending).uploadId };
  let answer: { uploadId: string } | typeof LATE;
  try {
    answer = await withGrace(pending, signal, INITIATE_ABORT_GRACE_MS);
  } catch (error) {
    throw signal.aborted ? abortedError({ options }) : error;
  }
  if (answer === LATE) {
    void pending
      .then(({ uploadId }) => api.abortMultipartUpload({ bucket: options.bucket, key: options.key, uploadId }))
      .catch(() => undefined);
    throw abortedError({ options });
  }
  return { uploadId: answer.uploadId };
}

const LATE = Symbol('late');

/** `pending`, or LATE when `signal` was aborted `graceMs` ago and it has not settled yet. */
function withGrace<T>(pending: Promise<T>, signal: AbortSignal, graceMs: number): Promise<T | typeof LATE> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = (): void => {
      timer = setTimeout(() => resolve(LATE), graceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    });
  });
}

/** All parts of an upload, or undefined when the service no longer knows it. */
export async function listAllParts(api: UploadApi, options: UploadOptions, uploadId: string): Promise<ListedPart[] | undefined> {
  const parts: ListedPart[] = [];
  let marker: number | undefined;
  try {
    for (;;) {
      const page = await api.listParts({
        bucket: options.bucket,
        key: options.key,
        uploadId,
        partNumberMarker: marker,
        signal: options.signal,
      });
      parts.push(...page.parts);
      if (!page.isTruncated || page.nextPartNumberMarker === undefined || page.nextPartNumberMarker === marker) break;
      marker = page.nextPartNumberMarker;
    }
  } catch (error) {
    if (error instanceof OssError && error.code === 'NoSuchUpload') return undefined;
    throw error;
  }
  return parts;
}

/**
 * Keeps the listed parts whose size is what this part size implies and whose CRC-64 is known (from
 * the listing, or from the record when the ETags agree). Anything else is sent again.
 */
export function reconcile(
  record: CheckpointRecord,
  listed: readonly ListedPart[],
  partSize: number,
  totalBytes: number | undefined,
): Map<number, CheckpointPart> {
  const saved = new Map(record.parts.map((p) => [p.partNumber, p]));
  const count = totalBytes === undefined ? undefined : partCount(totalBytes, partSize);
  const done = new Map<number, CheckpointPart>();
  for (const part of listed) {
    const n = part.partNumber;
    if (count === undefined || n > count) continue;
    const size = n < count ? partSize : totalBytes! - (count - 1) * partSize;
    if (part.size !== size) continue;
    const mine = saved.get(n);
    if (mine && (normalizeEtag(mine.etag) !== normalizeEtag(part.etag) || (part.crc64 !== undefined && part.crc64 !== mine.crc64))) continue;
    const crc64 = part.crc64 ?? mine?.crc64;
    if (crc64 === undefined) continue;
    done.set(n, { partNumber: n, etag: part.etag, crc64, size });
  }
  return done;
}

/**
 * A part on record is reused only if the source still holds the bytes it was made from. A source's
 * identity can match after its bytes changed (a file rewritten with its mtime kept by `cp -p` or
 * `touch -d`; a File changed between the sampled windows), so every part about to be reused is read
 * again and its CRC-64 compared with the one on record — reading is far cheaper than sending. Parts
 * that differ are dropped here and sent again.
 */
export async function verifyReusedParts(job: MultipartJob, done: Map<number, CheckpointPart>): Promise<Map<number, CheckpointPart>> {
  // Streams have no checkpoints; a sized source can be cut again from the start.
  if (done.size === 0 || job.totalBytes === undefined) return done;
  for await (const part of job.parts((n) => !done.has(n))) {
    if (job.options.signal?.aborted) throw abortedError(job);
    const kept = done.get(part.partNumber);
    if (kept && (part.bytes.byteLength !== kept.size || crc64(part.bytes) !== kept.crc64)) done.delete(part.partNumber);
    part.release?.();
  }
  return done;
}

/** An ETag to compare: without quotes and upper-case (OSS quotes them; some proxies don't). */
export function normalizeEtag(etag: string): string {
  return etag.replace(/"/g, '').toUpperCase();
}
