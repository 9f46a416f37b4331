/**
 * Input checks made before anything is sent. Each refusal is an `OssClientError('InvalidArgument')`
 * whose message says what to fix (DESIGN.md "Rules of the house").
 */
import { MAX_KEY_BYTES, MAX_PARTS, MAX_V4_EXPIRES } from './defaults.js';
import { invalidArgument } from './errors.js';

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

/** Object keys: 1–1023 bytes of UTF-8. */
export function validateKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalidArgument('object key must be a non-empty string');
  }
  const bytes = encoder.encode(key).byteLength;
  if (bytes > MAX_KEY_BYTES) {
    throw invalidArgument(`object key is ${bytes} bytes of UTF-8; shorten it to at most ${MAX_KEY_BYTES}`);
  }
}

/** Part numbers: integers 1–10000. */
export function validatePartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw invalidArgument(`part number ${partNumber} must be an integer from 1 to ${MAX_PARTS}`);
  }
}

/** Expiry in whole seconds, 1…`max` (V4 allows at most 7 days, SIGNING.md §4). */
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
