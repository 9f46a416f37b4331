/** CopyObject: server-side copy within or across buckets of one region. */
import { requireBucket, requireField } from '../validate.js';
import { date, readXmlRoot, text } from '../xml.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import {
  conditionHeaders,
  copySourceHeader,
  lowerCaseHeaders,
  metadataHeaders,
  writeResultOf,
  type ObjectConditions,
} from '../shared.js';
import { encodeTagging } from './tagging.js';

export interface CopyObjectInput extends BaseInput, ObjectConditions {
  /** Destination key (in `bucket`). */
  key: string;
  sourceKey: string;
  /** Default: the destination bucket. */
  sourceBucket?: string;
  sourceVersionId?: string;
  /** `COPY` keeps the source's metadata; `REPLACE` uses `metadata`/`contentType`. Default: REPLACE when either is given. */
  metadataDirective?: 'COPY' | 'REPLACE';
  metadata?: Record<string, string>;
  contentType?: string;
  /** Tags for the copy; given, they replace the source's (`x-oss-tagging-directive: Replace`). */
  tagging?: string | Record<string, string>;
  /** `Copy` (default) keeps the source's tags; `Replace` uses `tagging` (none when absent). */
  taggingDirective?: 'Copy' | 'Replace';
  /** Passed through: `x-oss-forbid-overwrite`, `x-oss-storage-class`, `x-oss-object-acl`, tagging, SSE… */
  headers?: Record<string, string>;
}

export interface CopyObjectOutput extends BaseOutput {
  etag: string;
  lastModified?: Date;
  crc64?: string;
  /** The new copy's version (versioned target bucket). */
  versionId?: string;
  /** The source version that was copied (`x-oss-copy-source-version-id`). */
  copySourceVersionId?: string;
}

/**
 * The conditions (`ifMatch` …) apply to the source object (`x-oss-copy-source-if-*`).
 *
 * @example
 * await client.copyObject({ key: 'backup/a.txt', sourceKey: 'a.txt' });
 */
export const copyObject: Command<CopyObjectInput, CopyObjectOutput> = {
  name: 'CopyObject',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'CopyObject');
    const key = requireField(input.key, 'key', 'CopyObject');
    const sourceKey = requireField(input.sourceKey, 'sourceKey', 'CopyObject');
    const source = copySourceHeader({ bucket: input.sourceBucket ?? bucket, key: sourceKey, versionId: input.sourceVersionId });
    const replace = input.metadata !== undefined || input.contentType !== undefined;
    const directive = input.metadataDirective ?? (replace ? 'REPLACE' : undefined);
    const headers: Record<string, string> = {
      ...lowerCaseHeaders(input.headers),
      ...metadataHeaders(input.metadata),
      ...conditionHeaders(input, 'x-oss-copy-source-'),
      'x-oss-copy-source': source,
    };
    if (directive) headers['x-oss-metadata-directive'] = directive;
    const tagging = encodeTagging(input.tagging);
    if (tagging !== undefined) headers['x-oss-tagging'] = tagging;
    const taggingDirective = input.taggingDirective ?? (tagging !== undefined ? 'Replace' : undefined);
    if (taggingDirective) headers['x-oss-tagging-directive'] = taggingDirective;
    if (input.contentType) headers['content-type'] = input.contentType;
    return { method: 'PUT', bucket, key, query: {}, headers };
  },
  async deserialize(response) {
    const result = await readXmlRoot(response, 'CopyObjectResult');
    const output: CopyObjectOutput = writeResultOf(response);
    output.etag = text(result, 'ETag') ?? output.etag;
    const lastModified = date(result, 'LastModified');
    if (lastModified) output.lastModified = lastModified;
    const sourceVersionId = response.headers['x-oss-copy-source-version-id'];
    if (sourceVersionId) output.copySourceVersionId = sourceVersionId;
    return output;
  },
};
