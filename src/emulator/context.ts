/**
 * The seams inside the emulator: what the server hands a handler, what a handler answers, and the
 * storage every handler shares. Handlers are grouped by API family in `handlers/<group>.ts`.
 */

/** A parsed, authenticated request. */
export interface EmulatorRequest {
  method: string;
  /** Decoded bucket (from the path or from `Host: <bucket>.<endpoint host>`). */
  bucket?: string;
  /** Decoded object key. */
  key?: string;
  /** Decoded query; an empty string is a bare key. */
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** The raw path and query as received (for callbacks and error bodies). */
  rawUrl: string;
  /** The whole request body (the emulator keeps objects in memory or on disk, so buffering is fine). */
  body(): Promise<Uint8Array>;
  /** The AccessKeyId that signed the request; undefined for anonymous requests (PostObject, OPTIONS). */
  accessKeyId?: string;
  requestId: string;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

/** An OSS error answer; the server renders it as the XML `<Error>` body OSS sends. */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra `<Error>` children, e.g. `{ ServerTime: '…' }` or `{ EC: '0002-00000040' }`. */
    readonly extra: Record<string, string> = {},
    /** Extra response headers. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'EmulatorError';
  }
}

export interface StoredObject {
  key: string;
  data: Uint8Array;
  /** Quoted upper-case hex, as OSS sends it: `"5EB63BBBE01EEED093CB22BB8F5ACDC3"`; multipart: `"…-N"`. */
  etag: string;
  /** Decimal uint64 CRC-64/XZ. */
  crc64: string;
  lastModified: Date;
  contentType: string;
  /** User metadata without the `x-oss-meta-` prefix, lower-case names. */
  metadata: Record<string, string>;
  /** Other stored response headers: cache-control, content-disposition, content-encoding, expires,
   *  x-oss-storage-class, x-oss-server-side-encryption, x-oss-object-type, x-oss-tagging, … (lower-case names). */
  headers: Record<string, string>;
  /** PutSymlink: the key the link points to (the link itself holds no data). */
  symlinkTarget?: string;
  /** RestoreObject of an Archive or ColdArchive object: when the copy is readable and until when (ms since the epoch). */
  restore?: { readyAt: number; expiresAt: number };
}

export interface StoredPart {
  partNumber: number;
  data: Uint8Array;
  etag: string;
  crc64: string;
  lastModified: Date;
}

export interface MultipartUploadRecord {
  uploadId: string;
  key: string;
  initiated: Date;
  contentType: string;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  parts: Map<number, StoredPart>;
}

export interface BucketRecord {
  name: string;
  created: Date;
  region: string;
  storageClass: string;
  acl: string;
  /** Sub-resource configurations stored as the XML the client sent (cors, referer, tagging, …). */
  configs: Map<string, string>;
}

/** Shared state. Implementations: in memory, or mirrored to a data directory. */
export interface Storage {
  listBuckets(): BucketRecord[];
  getBucket(name: string): BucketRecord | undefined;
  createBucket(record: BucketRecord): void;
  deleteBucket(name: string): void;
  setBucketConfig(bucket: string, name: string, xml: string | undefined): void;

  getObject(bucket: string, key: string): StoredObject | undefined;
  putObject(bucket: string, object: StoredObject): void;
  deleteObject(bucket: string, key: string): boolean;
  /** All keys of a bucket in byte order. */
  listKeys(bucket: string): string[];

  getUpload(bucket: string, uploadId: string): MultipartUploadRecord | undefined;
  createUpload(bucket: string, upload: MultipartUploadRecord): void;
  putPart(bucket: string, uploadId: string, part: StoredPart): void;
  deleteUpload(bucket: string, uploadId: string): void;
  /** Uploads of a bucket ordered by key, then initiation time. */
  listUploads(bucket: string): MultipartUploadRecord[];
}

/** What handlers may use besides the request. */
export interface EmulatorEnv {
  storage: Storage;
  region: string;
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  /** Secret for an AccessKeyId, or undefined when unknown. */
  secretFor(accessKeyId: string): string | undefined;
  now(): Date;
  /** How long a RestoreObject takes before the object is readable (default 1000 ms). */
  restoreDelayMs?: number;
  /** Counts requests per operation name; tests read it through the emulator handle. */
  record(operation: string): void;
}

export type Handler = (request: EmulatorRequest, env: EmulatorEnv) => Promise<EmulatorResponse>;
