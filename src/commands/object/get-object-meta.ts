/** GetObjectMeta: the lighter HEAD `?objectMeta` — size, ETag, last modified and last access. */
import { requireBucket, requireField } from '../validate.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requestIdOf } from '../shared.js';

export interface GetObjectMetaInput extends BaseInput {
  key: string;
  versionId?: string;
}

export interface GetObjectMetaOutput extends BaseOutput {
  contentLength: number;
  etag: string;
  lastModified: Date;
  /** Present when access tracking is on for the bucket. */
  lastAccessTime?: Date;
  crc64?: string;
  versionId?: string;
}

/**
 * @example
 * const { contentLength } = await client.getObjectMeta({ key: 'a.txt' });
 */
export const getObjectMeta: Command<GetObjectMetaInput, GetObjectMetaOutput> = {
  name: 'GetObjectMeta',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'GetObjectMeta');
    const key = requireField(input.key, 'key', 'GetObjectMeta');
    const query: Record<string, string> = { objectMeta: '' };
    if (input.versionId) query['versionId'] = input.versionId;
    return { method: 'HEAD', bucket, key, query, headers: {} };
  },
  async deserialize(response) {
    const h = response.headers;
    const output: GetObjectMetaOutput = {
      requestId: requestIdOf(response),
      contentLength: Number(h['content-length'] ?? 0),
      etag: h['etag'] ?? '',
      lastModified: new Date(h['last-modified'] ?? 0),
    };
    if (h['x-oss-last-access-time']) output.lastAccessTime = new Date(h['x-oss-last-access-time']);
    if (h['x-oss-hash-crc64ecma']) output.crc64 = h['x-oss-hash-crc64ecma'];
    if (h['x-oss-version-id']) output.versionId = h['x-oss-version-id'];
    return output;
  },
};
