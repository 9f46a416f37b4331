/**
 * CRC-64 integrity checks (docs/protocol.md, "CRC-64", docs/architecture.md): the CRC of what was
 * uploaded must equal the `x-oss-hash-crc64ecma` OSS answers, and a whole-object download must hash
 * to the header it came with. A mismatch is `OssClientError('CrcMismatch')`.
 */
import { isBlob, iterateBody, tapBody } from '../pipeline/body.js';
import type { RequestBody } from '../commands/types.js';
import { Crc64, crc64 } from './crc64.js';
import { OssClientError, type OssClientErrorOptions } from '../errors.js';
import { addTap, canTap, type StreamTap } from '../pipeline/tapped-stream.js';
import { withTap } from '../pipeline/with-tap.js';

export const CRC_HEADER = 'x-oss-hash-crc64ecma';

/** Follows a request body's CRC: computed up front for bytes and Blobs, or as a stream is sent. */
export interface RequestCrc {
  /** The body to hand to the transport (a tapped stream for one-shot bodies). */
  body: RequestBody | undefined;
  /** The CRC of everything sent; complete once the transport has consumed the body. */
  digest(): string;
  /**
   * Hashes a body held in memory now, if not done yet. send() calls it right after handing the
   * request to the transport, so the hashing overlaps the upload instead of delaying its start.
   * Absent for streamed bodies, which are hashed as they are sent.
   */
  settle?(): void;
}

/**
 * Prepares CRC tracking for a request body, continuing `seed` (the CRC of data before it). Bytes are hashed on first need (see `settle`), a Blob
 * is read once more before sending, and streams are hashed while the transport pulls them.
 *
 * @example
 * const crc = await trackRequestCrc(body);
 * const pending = transport.send({ ...request, body: crc.body }, {});
 * crc.settle?.();
 * checkCrc((await pending).headers[CRC_HEADER], crc.digest(), where);
 */
export async function trackRequestCrc(body: RequestBody | undefined, seed = '0'): Promise<RequestCrc> {
  if (body === undefined) return { body, digest: () => seed };
  if (typeof body === 'string') return trackRequestCrc(new TextEncoder().encode(body), seed);
  if (body instanceof Uint8Array) {
    let value: string | undefined;
    const digest = (): string => (value ??= seed === '0' ? crc64(body) : new Crc64(seed).update(body).digest());
    return { body, digest, settle: digest };
  }
  if (isBlob(body)) {
    const crc = new Crc64(seed);
    for await (const chunk of iterateBody(body)) crc.update(chunk);
    const value = crc.digest();
    return { body, digest: () => value };
  }
  const crc = new Crc64(seed);
  return { body: tapBody(body, (chunk) => crc.update(chunk)), digest: () => crc.digest() };
}

/** The client option: `'strict'` also fails when an answer carries no CRC to compare. */
export type Crc64CheckOption = boolean | 'strict';

// A plain literal (the header name written out), so a bundle that never checks CRCs drops it.
const CORS_FIX = "in a browser, add x-oss-hash-crc64ecma to ExposeHeader in the bucket's CORS rule";

/**
 * What one client learned about the CRC header. OSS answers every upload (PutObject, UploadPart)
 * with it, so an upload answer without it means something hides it: in a browser, a bucket CORS
 * rule that does not expose it (the page cannot even read Access-Control-Expose-Headers; the
 * header is simply absent). Hashing later uploads would be wasted work, so the client warns once
 * and stops; under `crc64Check: 'strict'` every such answer fails instead.
 */
export class CrcHeaderWatch {
  #hidden = false;

  constructor(
    readonly strict: boolean,
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {}

  /** True once an upload answer lacked the header (never under strict): stop hashing uploads. */
  get hidden(): boolean {
    return this.#hidden;
  }

  /** An upload was answered without the header: strict throws, otherwise warn the first time. */
  uploadAnswerLacksCrc(where: OssClientErrorOptions): void {
    if (this.strict) throw missingCrcError(where);
    if (this.#hidden) return;
    this.#hidden = true;
    this.warn(
      `osskit: OSS answered without the ${CRC_HEADER} header, so this client skips CRC-64 checks from now on (${CORS_FIX}, or set crc64Check: 'strict' to fail instead).`,
    );
  }

  /**
   * A whole-object download came without the header. Strict refuses it. In a browser that is the
   * CORS rule again (warn once, stop hashing); elsewhere an old object may simply have none.
   */
  downloadLacksCrc(where: OssClientErrorOptions): void {
    if (this.strict) throw missingCrcError(where);
    if (inBrowser()) this.uploadAnswerLacksCrc(where);
  }
}

/** A page or a web worker, where answers pass through CORS (workerd, Deno and Node have neither global). */
function inBrowser(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  return g.document !== undefined || g.WorkerGlobalScope !== undefined;
}

function missingCrcError(where: OssClientErrorOptions): OssClientError {
  return new OssClientError(
    'CrcMismatch',
    `CRC-64 cannot be checked: the answer has no ${CRC_HEADER} header and crc64Check is 'strict' (${CORS_FIX}); an upload may have been stored`,
    where,
  );
}

/** Throws `CrcMismatch` when OSS reported a CRC that differs from ours; no header, no check. */
export function checkCrc(reported: string | undefined, computed: string, where: OssClientErrorOptions): void {
  if (reported === undefined || reported === '' || reported === computed) return;
  throw new OssClientError('CrcMismatch', `CRC-64 mismatch: OSS reported ${reported}, the data hashes to ${computed}`, where);
}

/**
 * A running CRC-64 of a download. The in-thread one wraps {@link Crc64}; in Node a large download
 * is hashed by a worker thread instead, whose update may ask the reader to wait while it catches up.
 */
export interface StreamCrc {
  update(chunk: Uint8Array): void | Promise<void>;
  digest(): string | Promise<string>;
  /** The stream ended early: release what the hashing holds. */
  abandon?(): void;
}

/** Makes the hashing for a download of `length` bytes; undefined means in-thread. */
export type StreamCrcFactory = (length: number | undefined) => StreamCrc | undefined;

function inThreadCrc(): StreamCrc {
  const crc = new Crc64();
  return {
    update: (chunk) => {
      crc.update(chunk);
    },
    digest: () => crc.digest(),
  };
}

/**
 * A download answer whose body is CRC-checked as it is read: the same answer with a tap on its
 * body when the transport's body takes taps (no web stream is built for that), else a copy of the
 * answer with a checking stream (crcCheckedStream) as its body.
 */
export function crcCheckedBody<T extends { readonly body: ReadableStream<Uint8Array> | null }>(
  response: T,
  expected: string,
  where: OssClientErrorOptions,
  options: { length?: number; createCrc?: StreamCrcFactory } = {},
): T {
  if (canTap(response)) {
    addTap(response, crcTap(options.createCrc?.(options.length) || inThreadCrc(), expected, where));
    return response;
  }
  return { ...response, body: response.body && crcCheckedStream(response.body, expected, where, options) };
}

/** Hashes what passes and compares at the end; tells a worker's hashing when the reader gives up. */
function crcTap(crc: StreamCrc, expected: string, where: OssClientErrorOptions): StreamTap {
  return {
    chunk: (value) => crc.update(value),
    end: async () => checkCrc(expected, await crc.digest(), where),
    abort: () => crc.abandon?.(),
  };
}

/**
 * Passes a download through unchanged, hashing it; at the end, a CRC different from `expected`
 * errors the stream with `CrcMismatch` instead of closing it.
 *
 * @example const checked = crcCheckedStream(response.body, response.headers[CRC_HEADER], where);
 */
export function crcCheckedStream(
  source: ReadableStream<Uint8Array>,
  expected: string,
  where: OssClientErrorOptions,
  options: { length?: number; createCrc?: StreamCrcFactory } = {},
): ReadableStream<Uint8Array> {
  // Only a tapped stream tells the hashing when the reader gives up, which a worker's needs.
  const crc = (canTap(source) && options.createCrc?.(options.length)) || inThreadCrc();
  return withTap(source, crcTap(crc, expected, where));
}
