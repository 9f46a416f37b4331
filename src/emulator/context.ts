/**
 * The seams inside the emulator: what the server hands a handler, what a handler answers, and the
 * storage every handler shares. Handlers are grouped by API family in `handlers/<group>.ts`.
 *
 * Object bytes live behind {@link ObjectBody} (`size`, `stream(start, end)`, `bytes()`): in memory, or
 * in a file of the data directory, so a big object never has to be held in RAM. Objects from storage
 * carry a `body`, and `data` computed from it on demand. Handlers pick one of two styles:
 * - small data, simple code: read `object.data` (the same as `body.bytes()`, which reads the file for
 *   a disk-backed object) and store new objects from a `Uint8Array` with
 *   `storage.putObject(bucket, { …fields, data })` or `makeObject(key, data, …)` (handlers/common.ts);
 *   `{ ...object, headers }` keeps the bytes of `object` without reading them (it copies `body`, not
 *   `data`: read the bytes of such a copy with `readObjectBytes(copy)` from storage-body.ts), and extra
 *   fields a handler adds to an object are kept (and saved in the data directory);
 * - any size, streaming: `receiveBody(request, env)` (handlers/common.ts) streams the request into
 *   `storage.createBodyWriter()` while hashing, and `storage.putObject(bucket, { …fields, body })`
 *   commits it (a rename on disk); `bodyOf(object)` gives any object's body (its `data` or its `body`),
 *   and answers send `{ body: { body: bodyOf(object), start, end } }`.
 */
import type { Readable } from 'node:stream';

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
  /**
   * The whole request body in memory: for XML documents, forms and small payloads. Object data goes
   * through {@link EmulatorRequest.bodyStream} instead. Read the body once, one way or the other.
   */
  body(): Promise<Uint8Array>;
  /**
   * The body as it arrives, chunk by chunk (see `receiveBody` in handlers/common.ts). The server
   * always provides it; a request built by hand in a test may leave it out and give `body()` only.
   */
  bodyStream?(): AsyncIterable<Uint8Array>;
  /** The AccessKeyId that signed the request; undefined for anonymous requests (PostObject, OPTIONS). */
  accessKeyId?: string;
  requestId: string;
}

/** Bytes `[start, end)` of a stored body, streamed to the client. */
export interface BodyRange {
  body: ObjectBody;
  start: number;
  end: number;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string | BodyRange;
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

/** The bytes of an object or a part, wherever they are kept. Bodies are immutable. */
export interface ObjectBody {
  readonly size: number;
  /** Bytes `[start, end)` (default: all) as a stream; a file is opened when this is called. */
  stream(start?: number, end?: number): Readable;
  /** All bytes in memory. A disk-backed body reads its file: fine for small objects, not for gigabytes. */
  bytes(): Uint8Array;
}

/** A body being received (see Storage.createBodyWriter). */
export interface BodyWriter {
  /** Appends bytes; refuses to grow past the writer's limit with 400 EntityTooLarge. */
  write(chunk: Uint8Array): Promise<void>;
  /** Ends the body: it can now be stored with putObject or putPart (on disk: one rename). */
  finish(): Promise<ObjectBody>;
  /** Drops the bytes unless they were stored. Safe to call at any time, more than once. */
  discard(): void;
}

/** The descriptive fields of an object. */
export interface ObjectFields {
  key: string;
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
  /**
   * The version's id: set on what a versioned bucket stores (`'null'` while versioning is
   * suspended); absent on objects written before versioning was enabled (the `null` version too).
   */
  versionId?: string;
  /** A delete marker: a version with a key and an id but no data. */
  deleteMarker?: boolean;
  /** Write order, set by storage: versions sort newest first by it, also after a restart. */
  seq?: number;
}

/**
 * An object as a handler builds one: the fields and the bytes. Storage keeps any further fields a
 * handler adds (they are saved in the data directory too).
 */
export interface StoredObject extends ObjectFields {
  /**
   * All bytes in memory. On a record from storage this is `body.bytes()`, computed when read (a
   * disk-backed body reads its file) and not copied by `{ ...object }`, which copies `body` instead.
   */
  data: Uint8Array;
  /** Where the bytes are kept; always set on objects from storage (see `bodyOf` in storage-body.ts). */
  body?: ObjectBody;
}

/** What putObject stores: the fields plus the bytes, as a body or as a `Uint8Array` (an own `data` wins). */
export type ObjectInput = ObjectFields & ({ body: ObjectBody; data?: Uint8Array } | { data: Uint8Array; body?: ObjectBody });

export interface PartFields {
  partNumber: number;
  etag: string;
  crc64: string;
  lastModified: Date;
}

export interface StoredPart extends PartFields {
  readonly body: ObjectBody;
  /** `body.bytes()`, as for objects. */
  readonly data: Uint8Array;
}

export type PartInput = PartFields & ({ body: ObjectBody; data?: Uint8Array } | { data: Uint8Array; body?: ObjectBody });

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
  /** Largest object or part accepted, in bytes (`Infinity` when unlimited). */
  readonly maxObjectSize: number;
  listBuckets(): BucketRecord[];
  getBucket(name: string): BucketRecord | undefined;
  createBucket(record: BucketRecord): void;
  deleteBucket(name: string): void;
  setBucketConfig(bucket: string, name: string, xml: string | undefined): void;

  /**
   * A writer for a new body: a temporary file (disk) or memory. Refuses more than `limit` bytes, or
   * than the emulator's `maxObjectSize`, with 400 EntityTooLarge.
   */
  createBodyWriter(limit?: number): BodyWriter;

  /** The current version of a key when it is an object (not a delete marker). */
  getObject(bucket: string, key: string): StoredObject | undefined;
  /** Every version of a key, newest first, delete markers included (empty when none). */
  getVersions(bucket: string, key: string): readonly StoredObject[];
  /**
   * Stores a new current version. One without a `versionId` (or `'null'`) replaces the key's null
   * version, which is the whole object on a bucket never versioned. On disk the bytes and the
   * fields land together in one rename.
   */
  putObject(bucket: string, object: ObjectInput): void;
  /** Replaces the version with the same `versionId` where it stands (ACL, tags, restore, append). */
  updateObject(bucket: string, object: ObjectInput): void;
  /** Removes one version (default: the null version, the object of an unversioned bucket). */
  deleteObject(bucket: string, key: string, versionId?: string): boolean;
  /** The keys whose current version is an object, in byte order. */
  listKeys(bucket: string): string[];
  /** The keys with any version (delete markers included), in byte order. */
  listVersionKeys(bucket: string): string[];

  getUpload(bucket: string, uploadId: string): MultipartUploadRecord | undefined;
  createUpload(bucket: string, upload: MultipartUploadRecord): void;
  putPart(bucket: string, uploadId: string, part: PartInput): void;
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
