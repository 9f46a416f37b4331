/** GetObject: a streaming download with one-shot `bytes()` / `text()` readers. */
import { readAll, readBody } from '../../pipeline/body.js';
import { invalidArgument, OssClientError } from '../../errors.js';
import { addTap, bodyLocked, type StreamTap } from '../../pipeline/tapped-stream.js';
import { withTap } from '../../pipeline/with-tap.js';
import { requireBucket, requireField } from '../validate.js';
import type { BaseInput, Command } from '../types.js';
import { conditionHeaders, defined, lowerCaseHeaders, type ObjectConditions } from '../shared.js';
import { readObjectHead, type ObjectHead } from './headers.js';

/** `{ start: 0, end: 9 }` (inclusive), `{ start: 100 }` (to the end), or a raw `'bytes=0-9'`. */
export type ByteRange = { start: number; end?: number } | string;

/** Response header overrides, sent as `response-*` query parameters. */
export interface ResponseHeaderOverrides {
  contentType?: string;
  contentLanguage?: string;
  expires?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
}

export interface GetObjectInput extends BaseInput, ObjectConditions {
  key: string;
  range?: ByteRange;
  versionId?: string;
  responseHeaders?: ResponseHeaderOverrides;
  /**
   * Image or document processing applied by OSS before sending (`x-oss-process`, e.g.
   * `image/resize,w_100`); signed as a sub-resource. The answer is the processed bytes, so no
   * CRC-64 of the stored object applies.
   */
  process?: string;
  /** Extra request headers, e.g. `x-oss-traffic-limit`. */
  headers?: Record<string, string>;
}

export interface GetObjectOutput extends ObjectHead {
  /** The object's bytes as they arrive; CRC-64 checked at the end for whole-object reads. */
  body: ReadableStream<Uint8Array>;
  /** HTTP 206 for a range read, else 200. */
  status: number;
  /** Reads the whole body. One-shot: a second read (or reading after using `body`) throws. */
  bytes(): Promise<Uint8Array>;
  /** Reads the whole body as UTF-8. One-shot, like `bytes()`. */
  text(): Promise<string>;
}

const QUERY_NAMES: Record<keyof ResponseHeaderOverrides, string> = {
  contentType: 'response-content-type',
  contentLanguage: 'response-content-language',
  expires: 'response-expires',
  cacheControl: 'response-cache-control',
  contentDisposition: 'response-content-disposition',
  contentEncoding: 'response-content-encoding',
};

/**
 * @example
 * const { body } = await client.getObject({ key: 'video.mp4', range: { start: 0, end: 1023 } });
 * const text = await (await client.getObject({ key: 'notes.txt' })).text();
 */
export const getObject: Command<GetObjectInput, GetObjectOutput> = {
  name: 'GetObject',
  options: { crc: 'response', streaming: true },
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'GetObject');
    const key = requireField(input.key, 'key', 'GetObject');
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.responseHeaders ?? {})) {
      const queryName = QUERY_NAMES[name as keyof ResponseHeaderOverrides];
      if (queryName && value !== undefined) query[queryName] = value;
    }
    if (input.versionId) query['versionId'] = input.versionId;
    if (input.process !== undefined) {
      if (typeof input.process !== 'string' || input.process === '') throw invalidArgument('process must be a non-empty string such as "image/resize,w_100"');
      query['x-oss-process'] = input.process;
    }
    const headers = {
      ...lowerCaseHeaders(input.headers),
      ...conditionHeaders(input),
      ...defined({ range: input.range === undefined ? undefined : rangeHeader(input.range) }),
    };
    return { method: 'GET', bucket, key, query, headers };
  },
  async deserialize(response) {
    // A chunked answer (no Content-Length) that ends early is not a transport error: check a range
    // answer against its Content-Range (a whole one is checked by its CRC-64).
    const ranged = response.headers['content-length'] === undefined ? rangeLength(response.headers['content-range']) : undefined;
    // The body stream is only built when `body` is read: bytes() and text() read the transport's
    // source directly when it allows (tapped-stream.ts), which a transport's lazy body does.
    let wrapped: ReadableStream<Uint8Array> | undefined;
    if (ranged !== undefined) {
      const tap = lengthTap(ranged);
      if (!addTap(response, tap)) wrapped = withTap(response.body ?? emptyStream(), tap);
    }
    const body = (): ReadableStream<Uint8Array> => (wrapped ??= response.body ?? emptyStream());
    let used = false;
    // Knowing the size up front, bytes() copies each chunk once into a buffer of that size.
    // A decoded (e.g. gzip) body has another length, so it is only a hint there: not used.
    const encoding = response.headers['content-encoding'];
    const announced = encoding === undefined || encoding === 'identity' ? Number(response.headers['content-length']) : Number.NaN;
    const bytes = async (): Promise<Uint8Array> => {
      if (used || (wrapped ? wrapped.locked : bodyLocked(response))) throw new TypeError('GetObject body already used');
      used = true;
      const length = Number.isSafeInteger(announced) ? announced : undefined;
      return wrapped ? readAll(wrapped, length) : readBody(response, length);
    };
    return new GetObjectResult(readObjectHead(response), response.status, body, bytes);
  },
};

/**
 * GetObject's answer. A class so that `body` is a getter on the prototype: the stream is built only
 * when read (bytes() and text() do without), and an object literal with its own getter is slower
 * to build.
 */
// The head's fields are copied in by the constructor (Object.assign); this declares them.
interface GetObjectResult extends ObjectHead {}
class GetObjectResult {
  readonly #body: () => ReadableStream<Uint8Array>;

  constructor(
    head: ObjectHead,
    readonly status: number,
    body: () => ReadableStream<Uint8Array>,
    readonly bytes: () => Promise<Uint8Array>,
  ) {
    Object.assign(this, head);
    this.#body = body;
  }

  get body(): ReadableStream<Uint8Array> {
    return this.#body();
  }

  // An own function like bytes, so that `const { text } = await client.getObject(…)` works.
  readonly text = async (): Promise<string> => new TextDecoder().decode(await this.bytes());
}

/** `{ start, end }` → `bytes=start-end`; checks the numbers so OSS does not silently send the whole object. */
export function rangeHeader(range: ByteRange): string {
  if (typeof range === 'string') {
    const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (!match || range.trim() === 'bytes=-') {
      throw invalidArgument(`range "${range}" must look like bytes=0-9, bytes=100- or bytes=-100`);
    }
    if (match[1] && match[2] && Number(match[1]) > Number(match[2])) {
      throw invalidArgument(`range "${range}" ends before it starts`);
    }
    return range.trim();
  }
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0 || (end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw invalidArgument(`range { start: ${start}, end: ${end} } needs integers with 0 <= start <= end`);
  }
  return `bytes=${start}-${end ?? ''}`;
}

/** Bytes a `Content-Range: bytes start-end/total` answer holds; undefined when absent or unreadable. */
function rangeLength(contentRange: string | undefined): number | undefined {
  const match = contentRange === undefined ? null : /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange.trim());
  return match ? Number(match[2]) - Number(match[1]) + 1 : undefined;
}

function shortAnswer(received: number, expected: number): OssClientError {
  return new OssClientError('NetworkError', `the answer ended after ${received} of the ${expected} bytes its Content-Range announced`, {
    operation: 'GetObject',
  });
}

/** Counts a body's bytes; ending with other than `expected` errors it with NetworkError. */
function lengthTap(expected: number): StreamTap {
  let received = 0;
  return {
    chunk: (value) => {
      received += value.byteLength;
    },
    end: () => {
      if (received !== expected) throw shortAnswer(received, expected);
    },
  };
}

function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ start: (c) => c.close() });
}
