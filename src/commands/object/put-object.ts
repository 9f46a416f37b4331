/** PutObject: upload one object from any body in a single request. */
import { isBlob, readBody } from '../../pipeline/body.js';
import { hasBody } from '../../pipeline/tapped-stream.js';
import { encodeCallback, parseCallbackResult, type CallbackInput } from '../../handoff/callback.js';
import { invalidArgument } from '../../errors.js';
import { requireBucket, requireField } from '../validate.js';
import type { BaseInput, BaseOutput, Command, Progress } from '../types.js';
import { lowerCaseHeaders, metadataHeaders, writeResultOf } from '../shared.js';
import { encodeTagging } from './tagging.js';

/** What an object can be uploaded from. A Node `Readable` is an `AsyncIterable<Uint8Array>`. */
export type PutObjectBody = string | Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface PutObjectInput extends BaseInput {
  key: string;
  body: PutObjectBody;
  /** Default: the Blob's type, else from the key's extension, else `application/octet-stream`. */
  contentType?: string;
  /** User metadata, sent as `x-oss-meta-*`. */
  metadata?: Record<string, string>;
  /** Passed through: `x-oss-storage-class`, `x-oss-object-acl`, `x-oss-tagging`, `x-oss-forbid-overwrite`, SSE, Cache-Control… */
  headers?: Record<string, string>;
  callback?: CallbackInput;
  /** Tags for the new object (at most 10), sent as `x-oss-tagging`; a string is sent as given (`k1=v1&k2=v2`). */
  tagging?: string | Record<string, string>;
  onProgress?: (progress: Progress) => void;
}

export interface PutObjectOutput extends BaseOutput {
  etag: string;
  crc64?: string;
  versionId?: string;
  /** The application server's answer to the callback, parsed as JSON when it is JSON. */
  callbackResult?: unknown;
}

/**
 * @example
 * await client.putObject({ key: 'notes/hello.txt', body: 'hello' });
 */
export const putObject: Command<PutObjectInput, PutObjectOutput> = {
  name: 'PutObject',
  options: { crc: 'request', guessContentType: true },
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'PutObject');
    const key = requireField(input.key, 'key', 'PutObject');
    const body = toRequestBody(input.body);
    const headers: Record<string, string> = { ...lowerCaseHeaders(input.headers), ...metadataHeaders(input.metadata) };
    const type = input.contentType ?? headers['content-type'] ?? (isBlob(body) && body.type ? body.type : undefined);
    if (type) headers['content-type'] = type;
    const tagging = encodeTagging(input.tagging);
    if (tagging !== undefined) headers['x-oss-tagging'] = tagging;
    if (input.callback) Object.assign(headers, encodeCallback(input.callback));
    return { method: 'PUT', bucket, key, query: {}, headers, body };
  },
  async deserialize(response, input) {
    const output: PutObjectOutput = writeResultOf(response);
    if (input.callback && hasBody(response)) {
      output.callbackResult = parseCallbackResult(await readBody(response), response.headers['content-type']);
    }
    return output;
  },
};

/** ArrayBuffers become views; anything that is not a body is refused before sending. */
export function toRequestBody(body: PutObjectBody): Exclude<PutObjectBody, ArrayBuffer> {
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body) && !(body instanceof Uint8Array)) {
    // Other typed arrays and DataViews (a plain-JS caller may pass one) are sent as their bytes.
    const view = body as ArrayBufferView;
    return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }
  const ok =
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    isBlob(body) ||
    (typeof body === 'object' && body !== null && (Symbol.asyncIterator in body || 'getReader' in body));
  if (!ok) throw invalidArgument('body must be a string, Uint8Array, ArrayBuffer, Blob or stream');
  return body;
}
