/** DeleteObject: removes one object (deleting a missing key succeeds, as in OSS). */
import { requireBucket, requireField } from '../validate.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requestIdOf } from '../shared.js';

export interface DeleteObjectInput extends BaseInput {
  key: string;
  versionId?: string;
}

export interface DeleteObjectOutput extends BaseOutput {
  /** Set on versioned buckets. */
  deleteMarker?: boolean;
  versionId?: string;
}

/**
 * @example
 * await client.deleteObject({ key: 'old.txt' });
 */
export const deleteObject: Command<DeleteObjectInput, DeleteObjectOutput> = {
  name: 'DeleteObject',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'DeleteObject');
    const key = requireField(input.key, 'key', 'DeleteObject');
    const query: Record<string, string> = input.versionId ? { versionId: input.versionId } : {};
    return { method: 'DELETE', bucket, key, query, headers: {} };
  },
  async deserialize(response) {
    const output: DeleteObjectOutput = { requestId: requestIdOf(response) };
    if (response.headers['x-oss-delete-marker']) output.deleteMarker = response.headers['x-oss-delete-marker'] === 'true';
    if (response.headers['x-oss-version-id']) output.versionId = response.headers['x-oss-version-id'];
    return output;
  },
};
