/** UploadPartCopy: a part copied (optionally a byte range) from an existing object. */
import { invalidArgument } from '../../errors.js';
import { date, readXmlRoot, text } from '../xml.js';
import { conditionHeaders, copySourceHeader, defined, lowerCaseHeaders, writeResultOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { partRequest, requireKey } from './shared.js';

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
    const request = partRequest(input, NAME);
    requireKey(input.source?.key, NAME);
    const { bucket = request.bucket, key, versionId } = input.source;
    const headers: Record<string, string> = {
      'x-oss-copy-source': copySourceHeader({ bucket, key, versionId }),
      ...defined({ 'x-oss-copy-source-range': rangeHeader(input.range) }),
      ...conditionHeaders(input, 'x-oss-copy-source-'),
      ...lowerCaseHeaders(input.headers),
    };
    return { ...request, headers };
  },
  async deserialize(response) {
    const root = await readXmlRoot(response, 'CopyPartResult');
    const base = writeResultOf(response);
    const sourceVersionId = response.headers['x-oss-copy-source-version-id'];
    return {
      ...base,
      etag: text(root, 'ETag') ?? base.etag,
      lastModified: date(root, 'LastModified'),
      ...(sourceVersionId ? { sourceVersionId } : {}),
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
