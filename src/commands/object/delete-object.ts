/** DeleteObject: removes one object (deleting a missing key succeeds, as in OSS). */
import { requireBucket, requireField } from '../validate.js';
import type { BaseInput, Command } from '../types.js';
import { type VersionedOutput, versionedOutput } from '../shared.js';

export interface DeleteObjectInput extends BaseInput {
  key: string;
  versionId?: string;
}

export interface DeleteObjectOutput extends VersionedOutput {
  /**
   * Versioned buckets: true when the delete added a delete marker (`versionId` is the marker's), or
   * removed one by its `versionId`.
   */
  deleteMarker?: boolean;
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
    const output: DeleteObjectOutput = versionedOutput(response);
    if (response.headers['x-oss-delete-marker']) output.deleteMarker = response.headers['x-oss-delete-marker'] === 'true';
    return output;
  },
};
