/**
 * Input checks made before anything is sent. Each refusal is an `OssClientError('InvalidArgument')`
 * whose message says what to fix (docs/architecture.md).
 */
import { MAX_KEY_BYTES, MAX_PARTS, MAX_V4_EXPIRES } from '../defaults.js';
import { invalidArgument } from '../errors.js';

const encoder = new TextEncoder();

/**
 * Bucket names: 3–63 characters of lower-case letters, digits and hyphens, not starting or ending
 * with a hyphen.
 *
 * @example
 * validateBucketName('my-bucket'); // ok
 * validateBucketName('My_Bucket'); // throws InvalidArgument
 */
export function validateBucketName(bucket: string): void {
  if (typeof bucket !== 'string' || bucket.length < 3 || bucket.length > 63) {
    throw invalidArgument(`bucket name "${String(bucket)}" must be 3 to 63 characters long`);
  }
  if (!/^[a-z0-9-]+$/.test(bucket)) {
    throw invalidArgument(`bucket name "${bucket}" may hold only lower-case letters, digits and hyphens`);
  }
  if (bucket.startsWith('-') || bucket.endsWith('-')) {
    throw invalidArgument(`bucket name "${bucket}" must not start or end with a hyphen`);
  }
}

/**
 * Object keys: 1–1023 bytes of UTF-8, not starting with `/` or `\\` (OSS refuses those with
 * InvalidObjectName), and well-formed text: a lone UTF-16 surrogate has no UTF-8 form. Keys such as
 * `.`, `..` or `a/../b` are valid OSS keys; the URL carries their dot segments encoded (endpoint.ts).
 */
export function validateKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalidArgument('object key must be a non-empty string');
  }
  if (key.startsWith('/') || key.startsWith('\\')) {
    throw invalidArgument(`object key "${key.slice(0, 64)}" must not start with "/" or "\\"`);
  }
  if (hasLoneSurrogate(key)) {
    throw invalidArgument('object key holds a lone UTF-16 surrogate, which has no UTF-8 form');
  }
  // A UTF-16 code unit is at most 3 bytes of UTF-8: short keys need no encoding to be measured.
  const bytes = key.length * 3 <= MAX_KEY_BYTES ? 0 : encoder.encode(key).byteLength;
  if (bytes > MAX_KEY_BYTES) {
    throw invalidArgument(`object key is ${bytes} bytes of UTF-8; shorten it to at most ${MAX_KEY_BYTES}`);
  }
}

/** RFC 9110 token: the characters a header name may hold. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** OSS user metadata names hold letters, digits and hyphens; OSS answers others (`_`, space…) with 400. */
const METADATA_NAME = /^x-oss-meta-[a-z0-9-]+$/;
/** Control characters (tab aside): CR/LF would split the request, NUL is refused by every HTTP stack. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** Connection management belongs to the transport; undici refuses these outright. */
const TRANSPORT_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'expect', 'te', 'trailer']);

/**
 * Header names and values, checked before anything is sent: names are HTTP tokens (metadata names
 * letters, digits and hyphens, as OSS requires), values are strings without control characters and
 * with well-formed text (non-ASCII text is sent as UTF-8, see header-value.ts). The refusal names
 * the header, never its value (it may be a credential).
 *
 * @example validateHeaders({ 'x-oss-meta-author': '张三' }); // ok
 * validateHeaders({ 'x-oss-meta-a b': '1' }); // throws InvalidArgument
 */
export function validateHeaders(headers: Record<string, string>): void {
  for (const name in headers) {
    const value: unknown = headers[name];
    const shown = JSON.stringify(name.slice(0, 64));
    if (!TOKEN.test(name)) {
      throw invalidArgument(`header name ${shown} is not a valid HTTP header name (letters, digits and !#$%&'*+.^_\`|~- only)`);
    }
    const lower = name.toLowerCase();
    if (lower.startsWith('x-oss-meta-') && !METADATA_NAME.test(lower)) {
      throw invalidArgument(`metadata name in header ${shown} must be letters, digits and hyphens only (OSS refuses others)`);
    }
    if (TRANSPORT_HEADERS.has(lower)) {
      throw invalidArgument(`header ${shown} is managed by the transport and cannot be set`);
    }
    if (typeof value !== 'string') throw invalidArgument(`header ${shown} must have a string value`);
    if (CONTROL.test(value)) {
      throw invalidArgument(`header ${shown} has a control character (CR, LF, NUL…) in its value`);
    }
    if (hasLoneSurrogate(value)) throw invalidArgument(`header ${shown} has a lone UTF-16 surrogate in its value`);
    if (lower === 'content-length' && !/^\d+$/.test(value)) {
      throw invalidArgument(`header ${shown} must be a whole number of bytes`);
    }
  }
}

/** A high surrogate not followed by a low one, or a low one not after a high one. */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return true;
    const next = text.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
    i++;
  }
  return false;
}

/**
 * A request timeout: a non-negative number of milliseconds, where 0 and `Infinity` mean no timeout.
 * Returns the value the transports take (0 for none).
 *
 * @example validateTimeout(5000, 'timeoutMs') // 5000
 * validateTimeout(Infinity, 'timeoutMs') // 0
 */
export function validateTimeout(value: unknown, name: string): number {
  if (value === Infinity || value === 0) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS) {
    throw invalidArgument(
      `${name} ${typeof value === 'string' ? JSON.stringify(value) : String(value)} must be a number of milliseconds from 1 to ${MAX_TIMER_MS}, or 0 or Infinity for no timeout`,
    );
  }
  return Math.ceil(value);
}

/** Timers fire at once beyond this (a signed 32-bit count of milliseconds, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/** Part numbers: integers 1–10000. */
export function validatePartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalidArgument(`part number ${partNumber} must be an integer from 1 to ${MAX_PARTS}`);
  }
}

/** Expiry in whole seconds, 1…`max` (V4 allows at most 7 days, docs/protocol.md, "Presigned URLs"). */
export function validateExpires(seconds: number, max: number = MAX_V4_EXPIRES): void {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > max) {
    throw invalidArgument(`expires ${seconds} must be a whole number of seconds from 1 to ${max}`);
  }
}

/** An integer within [min, max], e.g. `maxKeys` 1–1000. */
export function validateIntRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${name} ${value} must be an integer from ${min} to ${max}`);
  }
}

/** The bucket an operation needs, from its input or the client default. */
export function requireBucket(bucket: string | undefined, operation: string): string {
  if (bucket === undefined || bucket === '') {
    throw invalidArgument('no bucket: pass `bucket` in the input or set `bucket` on the client', { operation });
  }
  return bucket;
}

/** A required input field. */
export function requireField<T>(value: T | undefined | null, name: string, operation: string): T {
  if (value === undefined || value === null || (value as unknown) === '') {
    throw invalidArgument(`\`${name}\` is required`, { operation });
  }
  return value;
}
