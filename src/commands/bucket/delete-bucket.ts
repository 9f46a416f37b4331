/** DeleteBucket: removes an empty bucket. */
import { requireBucket } from '../validate.js';
import { requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

export type DeleteBucketInput = BaseInput;
export type DeleteBucketOutput = BaseOutput;

/**
 * @example
 * await client.deleteBucket({ bucket: 'old-bucket' });
 */
export const deleteBucket: Command<DeleteBucketInput, DeleteBucketOutput> = {
  name: 'DeleteBucket',
  serialize(input) {
    return { method: 'DELETE', bucket: requireBucket(input.bucket, 'DeleteBucket'), query: {}, headers: {} };
  },
  async deserialize(response) {
    return { requestId: requestIdOf(response) };
  },
};
