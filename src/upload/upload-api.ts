/**
 * The narrow surface the uploader needs: `OssClient` satisfies it, and tests fake it
 * without HTTP. Plus the options shared by `upload()` and `uploadFile()`.
 */
import type { CallbackInput } from '../handoff/callback.js';
import type {
  AbortMultipartUploadInput,
  AbortMultipartUploadOutput,
  CompleteMultipartUploadInput,
  CompleteMultipartUploadOutput,
  InitiateMultipartUploadInput,
  InitiateMultipartUploadOutput,
  ListPartsInput,
  ListPartsOutput,
  UploadPartInput,
  UploadPartOutput,
} from '../commands/multipart/index.js';
import type { BaseInput, BaseOutput, Progress } from '../commands/types.js';
import type { CheckpointStore } from './checkpoint.js';
import type { UploadProgressListener } from './progress.js';

/** The part of PutObject the uploader uses for bodies of one part. */
export interface UploadPutObjectInput extends BaseInput {
  key: string;
  body: Uint8Array;
  contentType?: string;
  metadata?: Record<string, string>;
  headers?: Record<string, string>;
  callback?: CallbackInput;
  onProgress?: (progress: Progress) => void;
}

export interface UploadPutObjectOutput extends BaseOutput {
  etag: string;
  crc64?: string;
  callbackResult?: unknown;
}

/** The part of HeadObject the uploader uses to confirm a completion whose answer was lost. */
export interface UploadHeadObjectInput extends BaseInput {
  key: string;
}

export interface UploadHeadObjectOutput extends BaseOutput {
  contentLength: number;
  etag: string;
  crc64?: string;
}

/** What the uploader calls. `OssClient` has all seven methods. */
export interface UploadApi {
  putObject(input: UploadPutObjectInput): Promise<UploadPutObjectOutput>;
  initiateMultipartUpload(input: InitiateMultipartUploadInput): Promise<InitiateMultipartUploadOutput>;
  uploadPart(input: UploadPartInput): Promise<UploadPartOutput>;
  completeMultipartUpload(input: CompleteMultipartUploadInput): Promise<CompleteMultipartUploadOutput>;
  abortMultipartUpload(input: AbortMultipartUploadInput): Promise<AbortMultipartUploadOutput>;
  listParts(input: ListPartsInput): Promise<ListPartsOutput>;
  /** Optional: without it, a completion whose answer was lost (NoSuchUpload on retry) stays a failure. */
  headObject?(input: UploadHeadObjectInput): Promise<UploadHeadObjectOutput>;
}

/** Options of a managed upload, whatever the body. */
export interface UploadOptions extends BaseInput {
  key: string;
  /** Bytes per part (default 8 MiB), 100 KiB – 5 GiB; raised automatically so no upload needs more than 10,000 parts. */
  partSize?: number;
  /** Parts in flight at once (default 4). Memory is about `parallel × partSize`. */
  parallel?: number;
  /**
   * Keep progress so a later call resumes: `true` (a file under the OS temp dir in Node, IndexedDB in
   * browsers), a file path (Node), or any {@link CheckpointStore}. Without one, a failed or cancelled
   * upload is aborted on OSS so no parts are left behind.
   */
  checkpoint?: boolean | string | CheckpointStore;
  /** `{ loadedBytes, totalBytes, stage }`, monotonic; `loadedBytes === totalBytes` exactly once, at the end. */
  onProgress?: UploadProgressListener;
  /** Sent with CompleteMultipartUpload, or PutObject when the body fits one part. */
  callback?: CallbackInput;
  contentType?: string;
  metadata?: Record<string, string>;
  /** Extra headers for PutObject / InitiateMultipartUpload (storage class, ACL, tagging, SSE…). */
  headers?: Record<string, string>;
  /** Also send Content-MD5 with every part (the service then checks it too). */
  contentMd5?: boolean;
  /** Attempts per part, first included (default 3), on top of each request's own retries. */
  partAttempts?: number;
}

export interface UploadOutput extends BaseOutput {
  etag: string;
  /** Decimal CRC-64/XZ of the stored object, checked against the parts'. */
  crc64?: string;
  /** The application server's answer when `callback` was given. */
  callbackResult?: unknown;
  /** Set when the body went up in parts. */
  uploadId?: string;
  /** Bytes uploaded in all (the body's size). */
  size: number;
}

/** The result of the final write (PutObject or CompleteMultipartUpload), optional fields only when present. */
export function uploadOutput(
  out: { etag: string; crc64?: string; callbackResult?: unknown; requestId: string },
  extra: { size: number; uploadId?: string },
): UploadOutput {
  return {
    etag: out.etag,
    ...(out.crc64 !== undefined ? { crc64: out.crc64 } : {}),
    ...(out.callbackResult !== undefined ? { callbackResult: out.callbackResult } : {}),
    requestId: out.requestId,
    ...(extra.uploadId !== undefined ? { uploadId: extra.uploadId } : {}),
    size: extra.size,
  };
}

/** What the calling client supplies: its default bucket and the platform's checkpoint stores. */
export interface UploadEnv {
  /** The client's default bucket, used to name checkpoints when the input has none. */
  bucket?: string;
  /** Resolves `checkpoint: true` or a path to a store (Node: files; browsers: IndexedDB). */
  checkpointStore?: (spec: true | string) => CheckpointStore;
  /**
   * The api already compares each part's CRC-64 with the service's answer (OssClient with
   * `crc64Check` on), so the uploader takes the CRC from the answer instead of hashing the part again.
   */
  partCrcChecked?: boolean;
  /** `false` (the client's `crc64Check: false`): hash nothing; still compare CRCs the service reports. */
  crc64Check?: boolean;
  /** Base delay of the per-part backoff (tests pass 0). */
  retryBaseDelayMs?: number;
}
