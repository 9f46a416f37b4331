/**
 * Storage kept in a data directory, so objects survive a restart. Descriptive fields stay in memory;
 * object and part bytes stay in files and are streamed from there, so memory does not grow with
 * object sizes.
 *
 * Layout under `<dir>`:
 * - `buckets/<bucket>/bucket.json`
 * - `buckets/<bucket>/objects/<sha256(key)>.obj`: the bytes, then the object's fields as JSON, then a
 *   12-byte footer (JSON length as uint32 BE, magic `osskit01`). That file holds a key's null
 *   version (the object of a bucket never versioned); any other version (or delete marker) of a
 *   versioned bucket has its own `<sha256(["key","versionId"])>.obj`, and the `seq` field of each
 *   orders the versions again after a restart.
 * - `buckets/<bucket>/uploads/<sha256(uploadId)>/upload.json` and `part-<n>.obj` (same format)
 * - `tmp/`: bodies being received and files being written; emptied at start.
 *
 * Every write is one rename of one complete file, so a crash (even kill -9) leaves each object
 * either whole old or whole new, never new bytes with old fields. Keys are hashed for file names
 * because a key may be 1023 bytes and hold `/` or characters no file system accepts.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type {
  BodyWriter,
  BucketRecord,
  MultipartUploadRecord,
  ObjectBody,
  ObjectFields,
  PartFields,
  PartInput,
  StoredObject,
} from './context.js';
import { FileBody, FileBodyWriter, bodyOf, entityTooLarge, fieldsOf, storedObject, storedPart } from './storage-body.js';
import { MemoryStorage, type StorageOptions, versionOf } from './storage.js';

const MAGIC = Buffer.from('osskit01', 'latin1');
const FOOTER_BYTES = 4 + MAGIC.length;

function fileId(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The fields JSON and the footer that follow the bytes in an `.obj` file. */
function trailer(fields: object): Buffer {
  const json = Buffer.from(JSON.stringify(fields), 'utf8');
  const footer = Buffer.alloc(FOOTER_BYTES);
  footer.writeUInt32BE(json.length, 0);
  MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

/** Reads the fields of an `.obj` file; undefined when it has no valid trailer. */
function readTrailer<T extends { size: number }>(path: string): T | undefined {
  const fd = openSync(path, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    if (fileSize < FOOTER_BYTES) return undefined;
    const footer = Buffer.alloc(FOOTER_BYTES);
    readSync(fd, footer, 0, FOOTER_BYTES, fileSize - FOOTER_BYTES);
    if (!footer.subarray(4).equals(MAGIC)) return undefined;
    const jsonLength = footer.readUInt32BE(0);
    const dataSize = fileSize - FOOTER_BYTES - jsonLength;
    if (dataSize < 0) return undefined;
    const json = Buffer.alloc(jsonLength);
    readSync(fd, json, 0, jsonLength, dataSize);
    const fields = JSON.parse(json.toString('utf8')) as T;
    return fields.size === dataSize ? fields : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

type Dated<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };
type BucketJson = Omit<Dated<BucketRecord, 'created'>, 'configs'> & { configs: Record<string, string> };
type ObjectJson = Dated<ObjectFields, 'lastModified'> & { size: number };
type UploadJson = Omit<Dated<MultipartUploadRecord, 'initiated'>, 'parts'>;
type PartJson = Dated<PartFields, 'lastModified'> & { size: number };

/**
 * Storage that persists to `dir`.
 * @example const storage = new DiskStorage('/tmp/oss-data');
 */
export class DiskStorage extends MemoryStorage {
  readonly #root: string;
  readonly #tmp: string;

  constructor(dir: string, options: StorageOptions = {}) {
    super(options);
    this.#root = join(dir, 'buckets');
    this.#tmp = join(dir, 'tmp');
    mkdirSync(this.#root, { recursive: true });
    // Whatever is here was being written when a previous run stopped: it belongs to no object.
    rmSync(this.#tmp, { recursive: true, force: true });
    mkdirSync(this.#tmp, { recursive: true });
    this.#load();
  }

  #tmpPath(): string {
    return join(this.#tmp, randomBytes(12).toString('hex'));
  }

  /** Writes a small file via a temporary file and a rename. */
  #writeAtomic(path: string, data: Uint8Array | string): void {
    const tmp = this.#tmpPath();
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  }

  /**
   * Makes `path` hold `body` then `fields`, in one rename. A received body's file is renamed into
   * place; any other body is copied (a metadata change rewrites the file: copy, new trailer, rename).
   */
  #commit(body: ObjectBody, path: string, fields: object): FileBody {
    if (body instanceof FileBody && body.staged) {
      appendFileSync(body.path, trailer(fields));
      renameSync(body.path, path);
      body.path = path;
      body.staged = false;
      return body;
    }
    const tmp = this.#tmpPath();
    try {
      if (body instanceof FileBody) {
        copyFileSync(body.path, tmp);
        truncateSync(tmp, body.size);
      } else {
        writeFileSync(tmp, body.bytes());
      }
      appendFileSync(tmp, trailer(fields));
      renameSync(tmp, path);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    return new FileBody(path, body.size);
  }

  #bucketDir(bucket: string): string {
    return join(this.#root, bucket);
  }

  #objectPath(bucket: string, key: string, versionId: string): string {
    const name = versionId === 'null' ? fileId(key) : fileId(JSON.stringify([key, versionId]));
    return join(this.#bucketDir(bucket), 'objects', `${name}.obj`);
  }

  #uploadDir(bucket: string, uploadId: string): string {
    return join(this.#bucketDir(bucket), 'uploads', fileId(uploadId));
  }

  #writeBucket(record: BucketRecord): void {
    const dir = this.#bucketDir(record.name);
    mkdirSync(join(dir, 'objects'), { recursive: true });
    mkdirSync(join(dir, 'uploads'), { recursive: true });
    const json: BucketJson = { ...record, created: record.created.toISOString(), configs: Object.fromEntries(record.configs) };
    this.#writeAtomic(join(dir, 'bucket.json'), JSON.stringify(json));
  }

  override createBodyWriter(limit?: number): BodyWriter {
    return new FileBodyWriter(this.#tmpPath(), this.bodyLimit(limit));
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

  /** Every stored version goes through here: its file is written (one rename), then it is placed. */
  protected override place(bucket: string, record: StoredObject): void {
    if (!this.getBucket(bucket)) return;
    const body = bodyOf(record);
    // Every field is saved, including ones handlers add beyond ObjectFields.
    const json: ObjectJson = { ...fieldsOf(record), lastModified: record.lastModified.toISOString(), size: body.size };
    const file = this.#commit(body, this.#objectPath(bucket, record.key, versionOf(record)), json);
    super.place(bucket, storedObject(record, file));
  }

  override deleteObject(bucket: string, key: string, versionId = 'null'): boolean {
    const existed = super.deleteObject(bucket, key, versionId);
    rmSync(this.#objectPath(bucket, key, versionId), { force: true });
    return existed;
  }

  override createUpload(bucket: string, upload: MultipartUploadRecord): void {
    if (!this.getBucket(bucket)) return;
    super.createUpload(bucket, upload);
    const dir = this.#uploadDir(bucket, upload.uploadId);
    mkdirSync(dir, { recursive: true });
    const { parts: _parts, ...meta } = upload;
    const json: UploadJson = { ...meta, initiated: upload.initiated.toISOString() };
    this.#writeAtomic(join(dir, 'upload.json'), JSON.stringify(json));
  }

  override putPart(bucket: string, uploadId: string, part: PartInput): void {
    if (!this.getUpload(bucket, uploadId)) return;
    const body = bodyOf(part);
    if (body.size > this.maxObjectSize) throw entityTooLarge(this.maxObjectSize);
    const json: PartJson = { ...fieldsOf(part), lastModified: part.lastModified.toISOString(), size: body.size };
    const file = this.#commit(body, join(this.#uploadDir(bucket, uploadId), `part-${part.partNumber}.obj`), json);
    super.putPart(bucket, uploadId, storedPart(part, file));
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
    for (const file of listBodies(dir, '')) {
      const path = join(dir, file);
      const json = readTrailer<ObjectJson>(path);
      if (!json) continue;
      const { size, ...fields } = json;
      // Placing by the saved write order puts each key's versions back newest first, in any file order.
      super.place(bucket, storedObject({ ...fields, lastModified: new Date(fields.lastModified) }, new FileBody(path, size)));
    }
  }

  #loadUploads(bucket: string, dir: string): void {
    if (!existsSync(dir)) return;
    for (const id of readdirSync(dir)) {
      const uploadFile = join(dir, id, 'upload.json');
      if (!existsSync(uploadFile)) {
        // Stopped between creating the directory and writing its record: no upload was announced.
        rmSync(join(dir, id), { recursive: true, force: true });
        continue;
      }
      const json = readJson<UploadJson>(uploadFile);
      super.createUpload(bucket, { ...json, initiated: new Date(json.initiated), parts: new Map() });
      for (const file of listBodies(join(dir, id), 'part-')) {
        const path = join(dir, id, file);
        const part = readTrailer<PartJson>(path);
        if (!part) continue;
        const { size, ...fields } = part;
        super.putPart(bucket, json.uploadId, storedPart({ ...fields, lastModified: new Date(fields.lastModified) }, new FileBody(path, size)));
      }
    }
  }
}

/**
 * The `.obj` files of a directory. Files of the older two-file layout (`<name>.json` beside
 * `<name>.bin`) are converted first; leftover `.tmp` files of that layout are removed.
 */
function listBodies(dir: string, prefix: string): string[] {
  const files = readdirSync(dir);
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    if (file.endsWith('.tmp')) {
      rmSync(join(dir, file), { force: true });
      continue;
    }
    if (!file.endsWith('.json')) continue;
    const base = join(dir, file.slice(0, -'.json'.length));
    if (!existsSync(`${base}.bin`)) {
      rmSync(`${base}.json`, { force: true });
      continue;
    }
    const bin = `${base}.bin`;
    if (!readTrailer(bin)) {
      const size = statSync(bin).size;
      appendFileSync(bin, trailer({ ...readJson<object>(`${base}.json`), size }));
    }
    renameSync(bin, `${base}.obj`);
    rmSync(`${base}.json`, { force: true });
  }
  return readdirSync(dir).filter((file) => file.startsWith(prefix) && file.endsWith('.obj'));
}
