/**
 * `upload()`: a body of any kind to one object. One part → a single PutObject; more → multipart
 * with `parallel` workers, per-part retries and CRC checks, progress, cancel and checkpoints.
 */
import type { Progress } from '../commands/types.js';
import { crc64 } from '../integrity/crc64.js';
import { DEFAULT_PARALLEL } from '../defaults.js';
import { OssClientError, invalidArgument } from '../errors.js';
import { utf8 } from '../integrity/hash.js';
import { validateKey } from '../commands/validate.js';
import { checkpointId, type CheckpointStore, type SourceIdentity } from './checkpoint.js';
import { identityOf } from './fingerprint.js';
import { abortedError, runMultipartUpload } from './multipart-upload.js';
import { checkSentCrc, DEFAULT_PART_ATTEMPTS, withPartRetries } from './part-retry.js';
import { bodySize, partsOf, resolvePartSize, type Part, type SkipPart, type UploadBody } from './parts.js';
import { ProgressTracker } from './progress.js';
import type { recheckParts } from './recheck.js';
import { abortRecordedUpload } from './resume.js';
import { uploadOutput, type UploadApi, type UploadEnv, type UploadOptions, type UploadOutput } from './upload-api.js';

export interface UploadInput extends UploadOptions {
  /** Blob/File, Uint8Array, ArrayBuffer, string, web ReadableStream or any AsyncIterable<Uint8Array> (Node Readable). */
  body: UploadBody;
}

/** A body the upload core can cut into parts; files and in-memory bodies have one each. */
export interface UploadSource {
  /** Bytes in all, or undefined for a stream of unknown length. */
  size: number | undefined;
  parts(partSize: number, skip: SkipPart): AsyncIterable<Part>;
  /** Identity for checkpoints; undefined when the source cannot be recognised again (streams). */
  identity?: () => Promise<SourceIdentity>;
  /**
   * Reads the parts again before the object is committed and fails if they changed (recheck.ts's
   * `recheckParts`): for a sized source that may change during the upload without its metadata
   * showing it (a file). Passed in by such sources, so bundles without them leave it out.
   */
  recheck?: typeof recheckParts;
}

/**
 * Uploads `body` to `key`, in parts when it is larger than `partSize`.
 *
 * @example
 * const { etag } = await upload(client, {
 *   key: 'videos/big.mp4', body: file, parallel: 4,
 *   onProgress: ({ loadedBytes, totalBytes }) => console.log(loadedBytes, totalBytes),
 * });
 */
export function upload(api: UploadApi, input: UploadInput, env: UploadEnv = {}): Promise<UploadOutput> {
  const body = input.body;
  const sized = body instanceof ArrayBuffer ? new Uint8Array(body) : typeof body === 'string' ? utf8(body) : body;
  const source: UploadSource = {
    size: bodySize(sized),
    parts: (partSize, skip) => partsOf(sized, partSize, skip),
    identity:
      sized instanceof Uint8Array || (typeof Blob !== 'undefined' && sized instanceof Blob)
        ? () => identityOf(sized as Blob | Uint8Array)
        : undefined,
  };
  return uploadSource(api, source, input, env);
}

/** The shared core of `upload()` and `uploadFile()`. */
export async function uploadSource(
  api: UploadApi,
  source: UploadSource,
  options: UploadOptions,
  env: UploadEnv = {},
): Promise<UploadOutput> {
  validateKey(options.key);
  const partSize = resolvePartSize(options.partSize, source.size);
  const parallel = options.parallel ?? DEFAULT_PARALLEL;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 1000) throw invalidArgument('parallel must be an integer from 1 to 1000');
  const partAttempts = options.partAttempts ?? DEFAULT_PART_ATTEMPTS;
  if (!Number.isInteger(partAttempts) || partAttempts < 1) throw invalidArgument('partAttempts must be a positive integer');
  const store = resolveStore(options.checkpoint, env);
  if (store && !source.identity) {
    throw invalidArgument('checkpoint needs a body that can be recognised again (a file, Blob or bytes), not a stream');
  }
  if (options.signal?.aborted) throw abortedError({ options });

  const progress = new ProgressTracker(options.onProgress, source.size);
  const bucketName = options.bucket ?? env.bucket ?? '';
  const identity = store ? await source.identity!() : undefined;

  // One part (or less): a single PutObject. For a stream, read the first part to find out.
  let parts = source.parts(partSize, () => false)[Symbol.asyncIterator]();
  let first: IteratorResult<Part> | undefined;
  if (source.size === undefined) first = await parts.next();
  const single = source.size !== undefined ? source.size <= partSize : first!.done || first!.value.bytes.byteLength < partSize;
  if (single) {
    const bytes = first ? (first.done ? new Uint8Array() : first.value.bytes) : (await parts.next()).value?.bytes ?? new Uint8Array();
    await parts.return?.();
    await source.recheck?.(source.parts(partSize, () => false), new Map([[1, crc64(bytes)]]), { bucket: options.bucket, key: options.key });
    if (store && identity) await discardCheckpoint(api, store, bucketName, options, identity);
    return putSingle(api, bytes, options, progress, partAttempts, env);
  }
  if (source.size !== undefined) {
    // Sized sources are re-cut once the finished parts are known, so resumed parts are never read.
    await parts.return?.();
  }
  const firstPart = first && !first.done ? first.value : undefined;
  return runMultipartUpload({
    api,
    options,
    bucketName,
    partSize,
    parallel,
    partAttempts,
    totalBytes: source.size,
    parts: (skip) => (source.size !== undefined ? source.parts(partSize, skip) : prepend(firstPart, parts)),
    progress,
    store,
    identity,
    retryBaseDelayMs: env.retryBaseDelayMs,
    hashParts: hashParts(env),
    checkObjectCrc: env.crc64Check !== false,
    recheck: source.size === undefined ? undefined : source.recheck,
  });
}

async function putSingle(
  api: UploadApi,
  bytes: Uint8Array,
  options: UploadOptions,
  progress: ProgressTracker,
  attempts: number,
  env: UploadEnv,
): Promise<UploadOutput> {
  const expected = hashParts(env) ? crc64(bytes) : undefined;
  const signal = options.signal ?? new AbortController().signal;
  progress.start(0);
  let completing = false;
  const retry = {
    attempts,
    signal,
    label: 'PutObject',
    operation: 'PutObject',
    bucket: options.bucket,
    key: options.key,
    onRetry: () => progress.partRetry(1),
    baseDelayMs: env.retryBaseDelayMs,
  };
  const out = await withPartRetries(
    async () => {
      const answer = await api.putObject({
        bucket: options.bucket,
        key: options.key,
        body: bytes,
        contentType: options.contentType,
        metadata: options.metadata,
        headers: options.headers,
        callback: options.callback,
        signal: options.signal,
        ...(options.onProgress && {
          onProgress: ({ loadedBytes }: Progress) => {
            progress.partProgress(1, loadedBytes);
            // The body is out; OSS is storing it (and calling the callback).
            if (loadedBytes >= bytes.byteLength && !completing) {
              completing = true;
              progress.completing();
            }
          },
        }),
      });
      return checkSentCrc(answer, expected, retry);
    },
    retry,
  ).catch((error: unknown) => {
    throw options.signal?.aborted ? abortedError({ options }) : error;
  });
  if (!completing) progress.completing();
  progress.done(bytes.byteLength);
  return uploadOutput(out, { size: bytes.byteLength });
}

/** The uploader hashes parts itself unless the api already checks them, or checks are off. */
function hashParts(env: UploadEnv): boolean {
  return env.crc64Check !== false && !env.partCrcChecked;
}

function resolveStore(spec: UploadOptions['checkpoint'], env: UploadEnv): CheckpointStore | undefined {
  if (spec === undefined || spec === false) return undefined;
  if (spec === true || typeof spec === 'string') {
    if (!env.checkpointStore) throw invalidArgument('checkpoint: true or a path needs a platform store; pass a CheckpointStore');
    return env.checkpointStore(spec);
  }
  if (typeof spec.load !== 'function' || typeof spec.save !== 'function' || typeof spec.remove !== 'function') {
    throw invalidArgument('checkpoint must be true, a path, or a store with load, save and remove');
  }
  return spec;
}

/** A body that now fits one part leaves any earlier multipart upload of it stale: abort it. */
async function discardCheckpoint(
  api: UploadApi,
  store: CheckpointStore,
  bucketName: string,
  options: UploadOptions,
  identity: SourceIdentity,
): Promise<void> {
  const id = checkpointId(bucketName, options.key, identity);
  const raw = await store.load(id).catch(() => undefined);
  if (raw === undefined || raw === null) return;
  await abortRecordedUpload(api, options, raw);
  await store.remove(id).catch(() => undefined);
}

async function* prepend(first: Part | undefined, rest: AsyncIterator<Part>): AsyncGenerator<Part> {
  try {
    if (first) yield first;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}
