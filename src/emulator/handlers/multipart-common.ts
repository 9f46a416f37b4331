/**
 * Helpers shared by the multipart handlers: request facts every handler needs, the OSS errors they
 * raise, and the `encoding-type=url` key encoding of the XML answers.
 */
import { createHash } from 'node:crypto';
import { MAX_PARTS } from '../../defaults.js';
import { existingFor } from './versioning.js';
import { EmulatorError, type EmulatorRequest, type MultipartUploadRecord, type EmulatorEnv } from '../context.js';
import { STORED_HEADERS, noSuchBucket } from './common.js';
import type { Md5Ecs } from './object-checks.js';
import { rfc3986Encode } from '../../signer/encode.js';

export const XML_HEADERS = { 'content-type': 'application/xml' } as const;

/** The bucket and key the server resolved (it routes multipart calls only when both are known). */
export function target(request: EmulatorRequest): { bucket: string; key: string } {
  if (!request.bucket) throw new EmulatorError(400, 'InvalidBucketName', 'The specified bucket is not valid.');
  if (request.key === undefined || request.key === '') {
    throw new EmulatorError(400, 'InvalidObjectName', 'The specified object is not valid.');
  }
  return { bucket: request.bucket, key: request.key };
}

export function requireBucket(env: EmulatorEnv, bucket: string): void {
  if (!env.storage.getBucket(bucket)) throw noSuchBucket(bucket);
}

/** The upload named by `?uploadId`, which must belong to this key. */
export function requireUpload(request: EmulatorRequest, env: EmulatorEnv): MultipartUploadRecord {
  const { bucket, key } = target(request);
  requireBucket(env, bucket);
  const uploadId = request.query.uploadId ?? '';
  const upload = uploadId ? env.storage.getUpload(bucket, uploadId) : undefined;
  if (!upload || upload.key !== key) {
    throw new EmulatorError(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    );
  }
  return upload;
}

/** `partNumber` must be an integer 1…10000 (400 InvalidArgument otherwise). */
export function partNumberOf(request: EmulatorRequest): number {
  const raw = request.query.partNumber ?? '';
  const n = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) {
    throw new EmulatorError(400, 'InvalidArgument', `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive.`, {
      ArgumentName: 'partNumber',
      ArgumentValue: raw,
    });
  }
  return n;
}

export function md5Bytes(data: Uint8Array): Buffer {
  return createHash('md5').update(data).digest();
}

/** Compares ETags as OSS does: quotes and letter case do not matter. */
export function normalizeEtag(etag: string): string {
  return etag.trim().replace(/^"|"$/g, '').toUpperCase();
}

/** UploadPart answers a bad Content-MD5 with the multipart family's EC values. */
export const PART_MD5_ECS: Md5Ecs = { malformed: '0017-00000502', mismatch: '0017-00000503' };

/** `encoding-type` must be absent or `url`. */
export function wantsUrlEncoding(request: EmulatorRequest): boolean {
  const type = request.query['encoding-type'];
  if (type === undefined) return false;
  if (type.toLowerCase() !== 'url') {
    throw new EmulatorError(400, 'InvalidArgument', 'The encoding-type parameter must be url.', {
      ArgumentName: 'encoding-type',
      ArgumentValue: type,
    });
  }
  return true;
}

/** Key encoding for `encoding-type=url` answers (percent-encoded UTF-8, space as %20). */
export function encodeName(value: string, encode: boolean): string {
  return encode ? rfc3986Encode(value) : value;
}

/** A positive integer query parameter with a default and an upper bound (400 InvalidArgument). */
export function limitParam(request: EmulatorRequest, name: string, fallback: number, max: number): number {
  const raw = request.query[name];
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new EmulatorError(400, 'InvalidArgument', `Argument ${name} must be an integer between 1 and ${max}.`, {
      ArgumentName: name,
      ArgumentValue: raw,
    });
  }
  return n;
}

/** Headers an object keeps from its InitiateMultipartUpload (the same set PutObject keeps). */
export const STORED_UPLOAD_HEADERS: readonly string[] = STORED_HEADERS;

/** A forbid-overwrite request fails with 409 FileAlreadyExists when the key exists (never on a versioned bucket). */
export function checkForbidOverwrite(env: EmulatorEnv, bucket: string, key: string, flag: string | undefined): void {
  const record = env.storage.getBucket(bucket);
  if (flag?.toLowerCase() === 'true' && record && existingFor(env, record, key)) {
    throw new EmulatorError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.');
  }
}
