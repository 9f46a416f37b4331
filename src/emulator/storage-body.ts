/**
 * Object bodies: bytes in memory or in a file, the writers that receive new ones, and the records
 * storage hands out (a body plus the descriptive fields, with `data` as a lazy view of the bytes).
 */
import { closeSync, createReadStream, openSync, readSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type {
  BodyWriter,
  ObjectBody,
  ObjectFields,
  ObjectInput,
  PartFields,
  PartInput,
  StoredObject,
  StoredPart,
} from './context.js';
import { EmulatorError } from './context.js';

/** File reads and writes go in pieces of this size: big enough for throughput, small enough to keep RSS flat. */
const FILE_CHUNK = 256 * 1024;

/** 400 EntityTooLarge with OSS's message; `MaxSizeAllowed` names the emulator's limit. */
export function entityTooLarge(limit: number): EmulatorError {
  return new EmulatorError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.', {
    MaxSizeAllowed: String(limit),
  });
}

/** Bytes held in memory. */
export class MemoryBody implements ObjectBody {
  constructor(readonly data: Uint8Array) {}

  get size(): number {
    return this.data.length;
  }

  stream(start = 0, end = this.size): Readable {
    return Readable.from(end > start ? [this.data.subarray(start, end)] : [], { objectMode: false });
  }

  bytes(): Uint8Array {
    return this.data;
  }
}

/**
 * Bytes `[0, size)` of a file. The file may carry more after them (storage-disk.ts keeps the
 * metadata there), and may be replaced by a rename at any time: a stream opens the file when it
 * is created, so it keeps reading the version it opened.
 */
export class FileBody implements ObjectBody {
  constructor(
    public path: string,
    readonly size: number,
    /** A received body not stored yet: storing it renames the file instead of copying it. */
    public staged = false,
  ) {}

  stream(start = 0, end = this.size): Readable {
    if (end <= start) return Readable.from([]);
    const fd = openSync(this.path, 'r');
    return createReadStream('', { fd, start, end: end - 1, highWaterMark: FILE_CHUNK });
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    const fd = openSync(this.path, 'r');
    try {
      let done = 0;
      while (done < this.size) {
        const n = readSync(fd, out, done, this.size - done, done);
        if (n === 0) throw new Error(`object file ended early: ${this.path}`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  }
}

/** Collects a body in memory, refusing more than `limit` bytes. */
export class MemoryBodyWriter implements BodyWriter {
  readonly #chunks: Uint8Array[] = [];
  #size = 0;

  constructor(readonly limit: number) {}

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#size + chunk.length > this.limit) throw entityTooLarge(this.limit);
    // Copy: the caller may reuse its buffer.
    this.#chunks.push(new Uint8Array(chunk));
    this.#size += chunk.length;
  }

  async finish(): Promise<ObjectBody> {
    if (this.#chunks.length === 1) return new MemoryBody(this.#chunks[0]!);
    const out = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of this.#chunks.splice(0)) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return new MemoryBody(out);
  }

  discard(): void {
    this.#chunks.length = 0;
  }
}

/** Streams a body into a temporary file, refusing more than `limit` bytes. */
export class FileBodyWriter implements BodyWriter {
  #handle: Promise<FileHandle> | undefined;
  #size = 0;
  #body: FileBody | undefined;
  /** Small network chunks are gathered here and written in big pieces (far fewer system calls). */
  #staging: Buffer | undefined;
  #staged = 0;

  constructor(
    readonly path: string,
    readonly limit: number,
  ) {}

  #open(): Promise<FileHandle> {
    return (this.#handle ??= open(this.path, 'wx'));
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#size + chunk.length > this.limit) throw entityTooLarge(this.limit);
    this.#size += chunk.length;
    this.#staging ??= Buffer.allocUnsafe(FILE_CHUNK);
    let done = 0;
    while (done < chunk.length) {
      const n = Math.min(chunk.length - done, FILE_CHUNK - this.#staged);
      this.#staging.set(chunk.subarray(done, done + n), this.#staged);
      this.#staged += n;
      done += n;
      if (this.#staged === FILE_CHUNK) await this.#flush();
    }
  }

  async #flush(): Promise<void> {
    const handle = await this.#open();
    let done = 0;
    while (done < this.#staged) done += (await handle.write(this.#staging!, done, this.#staged - done)).bytesWritten;
    this.#staged = 0;
  }

  async finish(): Promise<ObjectBody> {
    await this.#flush();
    this.#staging = undefined;
    await (await this.#open()).close();
    this.#body = new FileBody(this.path, this.#size, true);
    return this.#body;
  }

  discard(): void {
    // Once stored, the file belongs to the object.
    if (this.#body && !this.#body.staged) return;
    if (this.#body) this.#body.staged = false;
    const remove = () => rmSync(this.path, { force: true });
    if (this.#handle) void this.#handle.then((h) => h.close()).catch(() => undefined).then(remove);
    else remove();
  }
}

/**
 * The body of any object or part: its own `data` value when it has one (a handler built it from
 * bytes), else its `body` (an object from storage, or a `{ ...object }` copy of one).
 */
export function bodyOf(input: ObjectInput | PartInput): ObjectBody {
  const own = Object.getOwnPropertyDescriptor(input, 'data');
  if (own && own.value instanceof Uint8Array) return new MemoryBody(own.value);
  if (input.body) return input.body;
  throw new TypeError('an object needs a body or data');
}

/** All bytes of any object in memory (reads the file of a disk-backed one): small objects only. */
export function readObjectBytes(input: ObjectInput | PartInput): Uint8Array {
  return bodyOf(input).bytes();
}

/** Size of an input's bytes without reading them. */
export function inputSize(input: ObjectInput | PartInput): number {
  return bodyOf(input).size;
}

/** The input's own enumerable fields without its bytes (`data` and `body`), so no getter runs. */
export function fieldsOf<T extends object>(input: T): Omit<T, 'data' | 'body'> {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(input)) {
    if (name !== 'data' && name !== 'body') out[name] = (input as Record<string, unknown>)[name];
  }
  return out as Omit<T, 'data' | 'body'>;
}

function withData<T extends object>(record: T, body: ObjectBody): T & { body: ObjectBody; data: Uint8Array } {
  const out = Object.assign(record, { body });
  // Not enumerable: `{ ...object }` copies the body, not a freshly read copy of the bytes.
  Object.defineProperty(out, 'data', { get: () => body.bytes(), enumerable: false, configurable: true });
  return out as T & { body: ObjectBody; data: Uint8Array };
}

/** A storage record from an object's fields (any extra ones kept) and a body. */
export function storedObject(fields: ObjectFields, body: ObjectBody): StoredObject {
  return withData(fieldsOf(fields) as ObjectFields, body);
}

/** A storage record from a part's fields and a body. */
export function storedPart(fields: PartFields, body: ObjectBody): StoredPart {
  return withData(fieldsOf(fields) as PartFields, body);
}
