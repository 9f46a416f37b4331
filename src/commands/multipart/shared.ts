/**
 * Checks the multipart commands make before sending, and the request shapes they share. Header,
 * query and answer helpers common to every command group are in ../shared.ts.
 */
import { invalidArgument } from '../../errors.js';
import { requireBucket, validateKey, validatePartNumber } from '../validate.js';
import type { HttpRequest } from '../types.js';

/** Keys are 1–1023 bytes of UTF-8 (validate.ts). */
export function requireKey(key: unknown, _operation: string): void {
  validateKey(key as string);
}

export function requireUploadId(uploadId: unknown, operation: string): void {
  if (typeof uploadId !== 'string' || uploadId === '') throw invalidArgument('uploadId is required', { operation });
}

/** Part numbers are integers 1–10000 (validate.ts). */
export function requirePartNumber(partNumber: unknown, _operation: string): void {
  validatePartNumber(partNumber as number);
}

/** Positive integer limits such as `max-parts`; `undefined` stays unset. */
export function optionalLimit(value: number | undefined, name: string, max: number, operation: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw invalidArgument(`${name} must be an integer from 1 to ${max}`, { operation });
  }
  return String(value);
}

/** Names one multipart upload: its bucket (else the client's), key and uploadId. */
export interface UploadRef {
  bucket?: string;
  key: string;
  uploadId: string;
}

/** Bucket and key of a call on an existing upload, after checking them and the uploadId. */
export function uploadTarget(input: UploadRef, operation: string): { bucket: string; key: string } {
  const bucket = requireBucket(input.bucket, operation);
  requireKey(input.key, operation);
  requireUploadId(input.uploadId, operation);
  return { bucket, key: input.key };
}

/** `PUT /<key>?partNumber=N&uploadId=…`, shared by UploadPart and UploadPartCopy; headers and body are theirs. */
export function partRequest(
  input: UploadRef & { partNumber: number },
  operation: string,
): Pick<HttpRequest, 'method' | 'query'> & { bucket: string; key: string } {
  const target = uploadTarget(input, operation);
  requirePartNumber(input.partNumber, operation);
  return { method: 'PUT', ...target, query: { partNumber: String(input.partNumber), uploadId: input.uploadId } };
}
