/**
 * In-memory storage for the emulator. `DiskStorage` (storage-disk.ts) extends it and mirrors every
 * change to a data directory, so both share the ordering and bookkeeping rules here.
 */
import type {
  BodyWriter,
  BucketRecord,
  MultipartUploadRecord,
  ObjectInput,
  PartInput,
  Storage,
  StoredObject,
} from './context.js';
import { MemoryBodyWriter, bodyOf, entityTooLarge, storedObject, storedPart } from './storage-body.js';

export interface StorageOptions {
  /** Largest object or part body accepted, in bytes (400 EntityTooLarge beyond). Default: no limit. */
  maxObjectSize?: number;
}

interface BucketState {
  record: BucketRecord;
  objects: Map<string, StoredObject>;
  /** Keys in byte order, rebuilt lazily after a change. */
  sortedKeys: string[] | undefined;
  uploads: Map<string, MultipartUploadRecord>;
}

const utf8 = new TextEncoder();

/** Compares two keys by their UTF-8 bytes, the order OSS lists in (JS string order differs above U+FFFF). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}

/**
 * Keeps buckets, objects and multipart uploads in maps.
 * @example const storage = new MemoryStorage(); storage.createBucket({ name: 'b', … });
 */
export class MemoryStorage implements Storage {
  readonly #buckets = new Map<string, BucketState>();
  readonly maxObjectSize: number;

  constructor(options: StorageOptions = {}) {
    this.maxObjectSize = options.maxObjectSize ?? Number.POSITIVE_INFINITY;
  }

  /** The smaller of `limit` and the storage's own limit. */
  protected bodyLimit(limit = Number.POSITIVE_INFINITY): number {
    return Math.min(limit, this.maxObjectSize);
  }

  createBodyWriter(limit?: number): BodyWriter {
    return new MemoryBodyWriter(this.bodyLimit(limit));
  }

  #state(bucket: string): BucketState | undefined {
    return this.#buckets.get(bucket);
  }

  listBuckets(): BucketRecord[] {
    return [...this.#buckets.values()].map((s) => s.record).sort((a, b) => compareKeys(a.name, b.name));
  }

  getBucket(name: string): BucketRecord | undefined {
    return this.#state(name)?.record;
  }

  createBucket(record: BucketRecord): void {
    const existing = this.#state(record.name);
    if (existing) {
      existing.record = record;
      return;
    }
    this.#buckets.set(record.name, { record, objects: new Map(), sortedKeys: undefined, uploads: new Map() });
  }

  deleteBucket(name: string): void {
    this.#buckets.delete(name);
  }

  setBucketConfig(bucket: string, name: string, xml: string | undefined): void {
    const state = this.#state(bucket);
    if (!state) return;
    if (xml === undefined) state.record.configs.delete(name);
    else state.record.configs.set(name, xml);
  }

  getObject(bucket: string, key: string): StoredObject | undefined {
    return this.#state(bucket)?.objects.get(key);
  }

  putObject(bucket: string, object: ObjectInput): void {
    const state = this.#state(bucket);
    if (!state) return;
    const body = bodyOf(object);
    // Every way of making an object ends here, so the size limit holds for all of them.
    if (body.size > this.maxObjectSize) throw entityTooLarge(this.maxObjectSize);
    if (!state.objects.has(object.key)) state.sortedKeys = undefined;
    state.objects.set(object.key, storedObject(object, body));
  }

  deleteObject(bucket: string, key: string): boolean {
    const state = this.#state(bucket);
    if (!state || !state.objects.delete(key)) return false;
    state.sortedKeys = undefined;
    return true;
  }

  listKeys(bucket: string): string[] {
    const state = this.#state(bucket);
    if (!state) return [];
    state.sortedKeys ??= [...state.objects.keys()].sort(compareKeys);
    return state.sortedKeys;
  }

  getUpload(bucket: string, uploadId: string): MultipartUploadRecord | undefined {
    return this.#state(bucket)?.uploads.get(uploadId);
  }

  createUpload(bucket: string, upload: MultipartUploadRecord): void {
    this.#state(bucket)?.uploads.set(upload.uploadId, upload);
  }

  putPart(bucket: string, uploadId: string, part: PartInput): void {
    const body = bodyOf(part);
    if (body.size > this.maxObjectSize) throw entityTooLarge(this.maxObjectSize);
    this.getUpload(bucket, uploadId)?.parts.set(part.partNumber, storedPart(part, body));
  }

  deleteUpload(bucket: string, uploadId: string): void {
    this.#state(bucket)?.uploads.delete(uploadId);
  }

  listUploads(bucket: string): MultipartUploadRecord[] {
    const state = this.#state(bucket);
    if (!state) return [];
    return [...state.uploads.values()].sort(
      (a, b) => compareKeys(a.key, b.key) || a.initiated.getTime() - b.initiated.getTime(),
    );
  }
}
