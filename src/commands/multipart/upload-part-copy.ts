/** UploadPartCopy: a part copied (optionally a byte range) from an existing object. */
import { invalidArgument } from '../../errors.js';
import { date, text } from '../../xml.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { defined, lowerHeaders, readXmlRoot, requestIdOf, requireBucket, requireKey, requirePartNumber, requireUploadId } from './shared.js';

const NAME = 'UploadPartCopy';

export interface UploadPartCopyInput extends BaseInput {
  key: string;
  uploadId: string;
  partNumber: number;
  /** The object to copy from; `bucket` defaults to the destination bucket. */
  source: { bucket?: string; key: string; versionId?: string };
  /** Inclusive byte range of the source: `{ start: 0, end: 1048575 }` or `'bytes=0-1048575'`. */
  range?: { start: number; end: number } | string;
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date | string;
  ifUnmodifiedSince?: Date | string;
  headers?: Record<string, string>;
}

export interface UploadPartCopyOutput extends BaseOutput {
  etag: string;
  lastModified?: Date;
  crc64?: string;
  /** Version of the source that was copied, when versioning is on. */
  sourceVersionId?: string;
}

/**
 * @example
 * await client.send(uploadPartCopy, { key, uploadId, partNumber: 1, source: { key: 'src.bin' }, range: { start: 0, end: 999_999 } });
 */
export const uploadPartCopy: Command<UploadPartCopyInput, UploadPartCopyOutput> = {
  name: NAME,
  serialize(input) {
    const bucket = requireBucket(input.bucket, NAME);
    requireKey(input.key, NAME);
    requireUploadId(input.uploadId, NAME);
    requirePartNumber(input.partNumber, NAME);
    requireKey(input.source?.key, NAME);
    const sourceBucket = input.source.bucket ?? bucket;
    // The source key is URL-encoded inside the header (OSS API reference, UploadPartCopy).
    let copySource = `/${sourceBucket}/${encodeURIComponent(input.source.key)}`;
    if (input.source.versionId) copySource += `?versionId=${encodeURIComponent(input.source.versionId)}`;
    const headers: Record<string, string> = {
      'x-oss-copy-source': copySource,
      ...defined({
        'x-oss-copy-source-range': rangeHeader(input.range),
        'x-oss-copy-source-if-match': input.ifMatch,
        'x-oss-copy-source-if-none-match': input.ifNoneMatch,
        'x-oss-copy-source-if-modified-since': httpDate(input.ifModifiedSince),
        'x-oss-copy-source-if-unmodified-since': httpDate(input.ifUnmodifiedSince),
      }),
      ...lowerHeaders(input.headers),
    };
    return {
      method: 'PUT',
      bucket,
      key: input.key,
      query: { partNumber: String(input.partNumber), uploadId: input.uploadId },
      headers,
    };
  },
  async deserialize(response) {
    const root = await readXmlRoot(response, 'CopyPartResult');
    const crc64 = response.headers['x-oss-hash-crc64ecma'];
    const sourceVersionId = response.headers['x-oss-copy-source-version-id'];
    return {
      etag: text(root, 'ETag') ?? response.headers.etag ?? '',
      lastModified: date(root, 'LastModified'),
      ...(crc64 ? { crc64 } : {}),
      ...(sourceVersionId ? { sourceVersionId } : {}),
      requestId: requestIdOf(response),
    };
  },
};

function rangeHeader(range: UploadPartCopyInput['range']): string | undefined {
  if (range === undefined || typeof range === 'string') return range;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw invalidArgument('range must satisfy 0 <= start <= end', { operation: NAME });
  }
  return `bytes=${start}-${end}`;
}

function httpDate(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toUTCString() : value;
}
