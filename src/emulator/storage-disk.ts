/**
 * Storage mirrored to a data directory: reads are served from memory, every change is written
 * through, and the directory is loaded again at start, so objects survive a restart.
 *
 * Layout: `<dir>/buckets/<bucket>/bucket.json`, `objects/<sha256(key)>.{json,bin}`,
 * `uploads/<sha256(uploadId)>/upload.json` and `part-<n>.{json,bin}`. Keys are hashed because a key
 * may be 1023 bytes and hold `/` or characters no file system accepts.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BucketRecord, MultipartUploadRecord, StoredObject, StoredPart } from './context.js';
import { MemoryStorage } from './storage.js';

function fileId(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Writes via a temporary file and a rename, so a crash never leaves half a file behind. */
function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

type Dated<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };
type BucketJson = Omit<Dated<BucketRecord, 'created'>, 'configs'> & { configs: Record<string, string> };
type ObjectJson = Omit<Dated<StoredObject, 'lastModified'>, 'data'>;
type UploadJson = Omit<Dated<MultipartUploadRecord, 'initiated'>, 'parts'>;
type PartJson = Omit<Dated<StoredPart, 'lastModified'>, 'data'>;

/**
 * In-memory storage that persists to `dir`.
 * @example const storage = new DiskStorage('/tmp/oss-data');
 */
export class DiskStorage extends MemoryStorage {
  readonly #root: string;

  constructor(dir: string) {
    super();
    this.#root = join(dir, 'buckets');
    mkdirSync(this.#root, { recursive: true });
    this.#load();
  }

  #bucketDir(bucket: string): string {
    return join(this.#root, bucket);
  }

  #uploadDir(bucket: string, uploadId: string): string {
    return join(this.#bucketDir(bucket), 'uploads', fileId(uploadId));
  }

  #writeBucket(record: BucketRecord): void {
    const dir = this.#bucketDir(record.name);
    mkdirSync(join(dir, 'objects'), { recursive: true });
    mkdirSync(join(dir, 'uploads'), { recursive: true });
    const json: BucketJson = { ...record, created: record.created.toISOString(), configs: Object.fromEntries(record.configs) };
    writeAtomic(join(dir, 'bucket.json'), JSON.stringify(json));
  }

  override createBucket(record: BucketRecord): void {
    super.createBucket(record);
    this.#writeBucket(record);
  }

  override deleteBucket(name: string): void {
    super.deleteBucket(name);
    rmSync(this.#bucketDir(name), { recursive: true, force: true });
  }

  override setBucketConfig(bucket: string, name: string, xml: string | undefined): void {
    super.setBucketConfig(bucket, name, xml);
    const record = this.getBucket(bucket);
    if (record) this.#writeBucket(record);
  }

  override putObject(bucket: string, object: StoredObject): void {
    if (!this.getBucket(bucket)) return;
    super.putObject(bucket, object);
    const base = join(this.#bucketDir(bucket), 'objects', fileId(object.key));
    const { data, ...meta } = object;
    const json: ObjectJson = { ...meta, lastModified: object.lastModified.toISOString() };
    writeAtomic(`${base}.bin`, data);
    writeAtomic(`${base}.json`, JSON.stringify(json));
  }

  override deleteObject(bucket: string, key: string): boolean {
    const existed = super.deleteObject(bucket, key);
    const base = join(this.#bucketDir(bucket), 'objects', fileId(key));
    rmSync(`${base}.json`, { force: true });
    rmSync(`${base}.bin`, { force: true });
    return existed;
  }

  override createUpload(bucket: string, upload: MultipartUploadRecord): void {
    if (!this.getBucket(bucket)) return;
    super.createUpload(bucket, upload);
    const dir = this.#uploadDir(bucket, upload.uploadId);
    mkdirSync(dir, { recursive: true });
    const { parts: _parts, ...meta } = upload;
    const json: UploadJson = { ...meta, initiated: upload.initiated.toISOString() };
    writeAtomic(join(dir, 'upload.json'), JSON.stringify(json));
  }

  override putPart(bucket: string, uploadId: string, part: StoredPart): void {
    if (!this.getUpload(bucket, uploadId)) return;
    super.putPart(bucket, uploadId, part);
    const base = join(this.#uploadDir(bucket, uploadId), `part-${part.partNumber}`);
    const { data, ...meta } = part;
    const json: PartJson = { ...meta, lastModified: part.lastModified.toISOString() };
    writeAtomic(`${base}.bin`, data);
    writeAtomic(`${base}.json`, JSON.stringify(json));
  }

  override deleteUpload(bucket: string, uploadId: string): void {
    super.deleteUpload(bucket, uploadId);
    rmSync(this.#uploadDir(bucket, uploadId), { recursive: true, force: true });
  }

  #load(): void {
    for (const name of readdirSync(this.#root)) {
      const dir = this.#bucketDir(name);
      const bucketFile = join(dir, 'bucket.json');
      if (!existsSync(bucketFile)) continue;
      const json = readJson<BucketJson>(bucketFile);
      super.createBucket({ ...json, created: new Date(json.created), configs: new Map(Object.entries(json.configs)) });
      this.#loadObjects(name, join(dir, 'objects'));
      this.#loadUploads(name, join(dir, 'uploads'));
    }
  }

  #loadObjects(bucket: string, dir: string): void {
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.json')) continue;
      const base = join(dir, file.slice(0, -'.json'.length));
      if (!existsSync(`${base}.bin`)) continue;
      const json = readJson<ObjectJson>(`${base}.json`);
      const data = new Uint8Array(readFileSync(`${base}.bin`));
      super.putObject(bucket, { ...json, data, lastModified: new Date(json.lastModified) });
    }
  }

  #loadUploads(bucket: string, dir: string): void {
    if (!existsSync(dir)) return;
    for (const id of readdirSync(dir)) {
      const uploadFile = join(dir, id, 'upload.json');
      if (!existsSync(uploadFile)) continue;
      const json = readJson<UploadJson>(uploadFile);
      super.createUpload(bucket, { ...json, initiated: new Date(json.initiated), parts: new Map() });
      for (const file of readdirSync(join(dir, id))) {
        const match = /^part-(\d+)\.json$/.exec(file);
        if (!match) continue;
        const base = join(dir, id, `part-${match[1]}`);
        if (!existsSync(`${base}.bin`)) continue;
        const part = readJson<PartJson>(`${base}.json`);
        const data = new Uint8Array(readFileSync(`${base}.bin`));
        super.putPart(bucket, json.uploadId, { ...part, data, lastModified: new Date(part.lastModified) });
      }
    }
  }
}
