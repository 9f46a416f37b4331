/** An in-memory UploadApi for unit tests: stores parts, counts calls, and can be told to fail or stall. */
import { combineCrc64Parts, crc64 } from '../../src/integrity/crc64.js';
import { OssClientError, OssError } from '../../src/errors.js';
import { md5, toHex } from '../../src/integrity/hash.js';
import type { ListPartsOutput, UploadPartInput } from '../../src/commands/multipart/index.js';
import type { UploadApi } from '../../src/upload/upload-api.js';

interface StoredPart {
  bytes: Uint8Array;
  etag: string;
  crc64: string;
}

export interface FakeHooks {
  /** Called before a part is stored; throw to fail it, await to stall it. */
  beforePart?: (input: UploadPartInput, attempt: number) => Promise<void> | void;
  /** Lie about a part's CRC (transit damage). */
  partCrc?: (partNumber: number, attempt: number) => string | undefined;
  /** Lie about the final object's CRC. */
  objectCrc?: () => string | undefined;
  /** Called before an upload is initiated; throw to refuse it (e.g. 403). */
  beforeInitiate?: () => Promise<void> | void;
  /** Called before CompleteMultipartUpload does anything; throw to fail it with nothing stored. */
  beforeComplete?: () => Promise<void> | void;
  /** Called once CompleteMultipartUpload has stored the object; throw to fail it then (e.g. 203 CallbackFailed). */
  afterComplete?: () => Promise<void> | void;
}

export class FakeApi implements UploadApi {
  readonly calls: Record<string, number> = {};
  readonly uploads = new Map<string, { key: string; parts: Map<number, StoredPart> }>();
  readonly objects = new Map<string, { bytes: Uint8Array; crc64: string; callback?: unknown }>();
  readonly aborted: string[] = [];
  readonly partNumbersSent: number[] = [];
  inFlight = 0;
  maxInFlight = 0;
  hooks: FakeHooks = {};
  #attempts = new Map<number, number>();
  #next = 1;

  #count(op: string): void {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
  }

  async putObject(input: Parameters<UploadApi['putObject']>[0]) {
    this.#count('PutObject');
    input.onProgress?.({ loadedBytes: input.body.byteLength, totalBytes: input.body.byteLength });
    const c = crc64(input.body);
    this.objects.set(input.key, { bytes: input.body.slice(), crc64: c, callback: input.callback });
    return {
      etag: `"${toHex(md5(input.body)).toUpperCase()}"`,
      crc64: c,
      ...(input.callback ? { callbackResult: { called: true } } : {}),
      requestId: 'req',
    };
  }

  async initiateMultipartUpload(input: Parameters<UploadApi['initiateMultipartUpload']>[0]) {
    this.#count('InitiateMultipartUpload');
    await this.hooks.beforeInitiate?.();
    const uploadId = `upload-${this.#next++}`;
    this.uploads.set(uploadId, { key: input.key, parts: new Map() });
    // As over HTTP: the service created the upload, but an aborted request never sees the answer.
    if (input.signal?.aborted) throw new OssClientError('Aborted', 'aborted');
    return { bucket: input.bucket ?? 'b', key: input.key, uploadId, requestId: 'req' };
  }

  async uploadPart(input: UploadPartInput) {
    this.#count('UploadPart');
    const attempt = (this.#attempts.get(input.partNumber) ?? 0) + 1;
    this.#attempts.set(input.partNumber, attempt);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (input.signal?.aborted) throw new OssClientError('Aborted', 'aborted');
      let onAbort = (): void => undefined;
      const stopped = new Promise((_, reject) => {
        onAbort = () => reject(new OssClientError('Aborted', 'aborted'));
        input.signal?.addEventListener('abort', onAbort, { once: true });
      });
      stopped.catch(() => undefined);
      try {
        await Promise.race([this.hooks.beforePart?.(input, attempt), stopped]);
      } finally {
        input.signal?.removeEventListener('abort', onAbort);
      }
      const upload = this.uploads.get(input.uploadId);
      if (!upload) throw new OssError({ code: 'NoSuchUpload', status: 404, message: 'no such upload' });
      const bytes = (input.body as Uint8Array).slice();
      const half = Math.floor(bytes.byteLength / 2);
      input.onProgress?.({ loadedBytes: half, totalBytes: bytes.byteLength });
      input.onProgress?.({ loadedBytes: bytes.byteLength, totalBytes: bytes.byteLength });
      const stored = { bytes, etag: `"${toHex(md5(bytes)).toUpperCase()}"`, crc64: crc64(bytes) };
      upload.parts.set(input.partNumber, stored);
      this.partNumbersSent.push(input.partNumber);
      return { etag: stored.etag, crc64: this.hooks.partCrc?.(input.partNumber, attempt) ?? stored.crc64, requestId: 'req' };
    } finally {
      this.inFlight -= 1;
    }
  }

  async completeMultipartUpload(input: Parameters<UploadApi['completeMultipartUpload']>[0]) {
    this.#count('CompleteMultipartUpload');
    await this.hooks.beforeComplete?.();
    const upload = this.uploads.get(input.uploadId);
    if (!upload) throw new OssError({ code: 'NoSuchUpload', status: 404, message: 'no such upload' });
    const chunks: Uint8Array[] = [];
    const crcs: { crc64: string; size: number }[] = [];
    for (const { partNumber, etag } of input.parts ?? []) {
      const part = upload.parts.get(partNumber);
      if (!part || part.etag !== etag) throw new OssError({ code: 'InvalidPart', status: 400, message: `bad part ${partNumber}` });
      chunks.push(part.bytes);
      crcs.push({ crc64: part.crc64, size: part.bytes.byteLength });
    }
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.byteLength;
    }
    const c = this.hooks.objectCrc?.() ?? combineCrc64Parts(crcs);
    this.objects.set(upload.key, { bytes, crc64: c, callback: input.callback });
    this.uploads.delete(input.uploadId);
    await this.hooks.afterComplete?.();
    return {
      etag: '"X-1"',
      crc64: c,
      ...(input.callback ? { callbackResult: { called: true } } : {}),
      requestId: 'req',
    };
  }

  async abortMultipartUpload(input: Parameters<UploadApi['abortMultipartUpload']>[0]) {
    this.#count('AbortMultipartUpload');
    this.aborted.push(input.uploadId);
    this.uploads.delete(input.uploadId);
    return { requestId: 'req' };
  }

  async headObject(input: Parameters<NonNullable<UploadApi['headObject']>>[0]) {
    this.#count('HeadObject');
    const object = this.objects.get(input.key);
    if (!object) throw new OssError({ code: 'NoSuchKey', status: 404, message: 'no such key' });
    return { contentLength: object.bytes.byteLength, etag: '"X-1"', crc64: object.crc64, requestId: 'req' };
  }

  async listParts(input: Parameters<UploadApi['listParts']>[0]): Promise<ListPartsOutput> {
    this.#count('ListParts');
    const upload = this.uploads.get(input.uploadId);
    if (!upload) throw new OssError({ code: 'NoSuchUpload', status: 404, message: 'no such upload' });
    // Pages of 2 parts, so that the uploader must follow the markers.
    const all = [...upload.parts.entries()].sort(([a], [b]) => a - b).filter(([n]) => n > (input.partNumberMarker ?? 0));
    const page = all.slice(0, 2);
    const isTruncated = all.length > 2;
    return {
      bucket: 'b',
      key: upload.key,
      uploadId: input.uploadId,
      parts: page.map(([partNumber, p]) => ({
        partNumber,
        etag: p.etag,
        size: p.bytes.byteLength,
        crc64: p.crc64,
        lastModified: new Date(),
      })),
      isTruncated,
      ...(isTruncated ? { nextPartNumberMarker: page[page.length - 1]![0] } : {}),
      requestId: 'req',
    };
  }
}

export function memoryStore() {
  const records = new Map<string, unknown>();
  return {
    records,
    async load(id: string) {
      return records.get(id);
    },
    async save(id: string, record: unknown) {
      records.set(id, structuredClone(record));
    },
    async remove(id: string) {
      records.delete(id);
    },
  };
}

/** Byte equality without vitest's slow element-by-element diff. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}
