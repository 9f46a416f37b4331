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
import { MemoryBodyWriter, bodyOf, entityTooLarge, fieldsOf, storedObject, storedPart } from './storage-body.js';

export interface StorageOptions {
  /** Largest object or part body accepted, in bytes (400 EntityTooLarge beyond). Default: no limit. */
  maxObjectSize?: number;
}

interface BucketState {
  record: BucketRecord;
  /** Every version of each key, newest first (one null version on a bucket never versioned). */
  objects: Map<string, StoredObject[]>;
  /** Keys whose current version is an object, in byte order, rebuilt lazily after a change. */
  sortedKeys: string[] | undefined;
  /** Keys with any version, in byte order, rebuilt lazily. */
  sortedVersionKeys: string[] | undefined;
  uploads: Map<string, MultipartUploadRecord>;
}

/** A version's id for matching: objects written before versioning are the `null` version. */
export function versionOf(object: { versionId?: string }): string {
  return object.versionId ?? 'null';
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
    this.#buckets.set(record.name, { record, objects: new Map(), sortedKeys: undefined, sortedVersionKeys: undefined, uploads: new Map() });
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
    const current = this.#state(bucket)?.objects.get(key)?.[0];
    return current?.deleteMarker ? undefined : current;
  }

  getVersions(bucket: string, key: string): readonly StoredObject[] {
    return this.#state(bucket)?.objects.get(key) ?? [];
  }

  /** The last write order handed out; a restart continues after the largest one loaded. */
  protected sequence = 0;

  /** Checks the size and builds the record every way of storing an object goes through. */
  protected record(object: ObjectInput, seq: number): StoredObject {
    const body = bodyOf(object);
    // Every way of making an object ends here, so the size limit holds for all of them.
    if (body.size > this.maxObjectSize) throw entityTooLarge(this.maxObjectSize);
    return storedObject({ ...fieldsOf(object), seq }, body);
  }

  /** Puts a record among the key's versions by its write order (newest first), replacing the same version. */
  protected place(bucket: string, record: StoredObject): void {
    const state = this.#state(bucket);
    if (!state) return;
    this.sequence = Math.max(this.sequence, record.seq ?? 0);
    const versions = (state.objects.get(record.key) ?? []).filter((v) => versionOf(v) !== versionOf(record));
    const at = versions.findIndex((v) => (v.seq ?? 0) < (record.seq ?? 0));
    versions.splice(at < 0 ? versions.length : at, 0, record);
    this.#setVersions(state, record.key, versions);
  }

  #setVersions(state: BucketState, key: string, versions: StoredObject[]): void {
    const before = state.objects.get(key);
    if (versions.length === 0) state.objects.delete(key);
    else state.objects.set(key, versions);
    if (!before !== !versions.length) state.sortedVersionKeys = undefined;
    const was = before?.[0] !== undefined && !before[0].deleteMarker;
    const is = versions[0] !== undefined && !versions[0].deleteMarker;
    if (was !== is) state.sortedKeys = undefined;
  }

  putObject(bucket: string, object: ObjectInput): void {
    if (!this.#state(bucket)) return;
    this.place(bucket, this.record(object, this.sequence + 1));
  }

  updateObject(bucket: string, object: ObjectInput): void {
    const existing = this.getVersions(bucket, object.key).find((v) => versionOf(v) === versionOf(object));
    if (!existing) return this.putObject(bucket, object);
    this.place(bucket, this.record(object, existing.seq ?? 0));
  }

  deleteObject(bucket: string, key: string, versionId = 'null'): boolean {
    const state = this.#state(bucket);
    const versions = state?.objects.get(key);
    if (!state || !versions) return false;
    const rest = versions.filter((v) => versionOf(v) !== versionId);
    if (rest.length === versions.length) return false;
    this.#setVersions(state, key, rest);
    return true;
  }

  listKeys(bucket: string): string[] {
    const state = this.#state(bucket);
    if (!state) return [];
    state.sortedKeys ??= [...state.objects.entries()].filter(([, v]) => !v[0]!.deleteMarker).map(([k]) => k).sort(compareKeys);
    return state.sortedKeys;
  }

  listVersionKeys(bucket: string): string[] {
    const state = this.#state(bucket);
    if (!state) return [];
    state.sortedVersionKeys ??= [...state.objects.keys()].sort(compareKeys);
    return state.sortedVersionKeys;
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
