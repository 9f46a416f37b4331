/** AbortMultipartUpload: `DELETE /<key>?uploadId=…`; the parts stored so far are deleted. */
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requestIdOf, requireBucket, requireKey, requireUploadId } from './shared.js';

const NAME = 'AbortMultipartUpload';

export interface AbortMultipartUploadInput extends BaseInput {
  key: string;
  uploadId: string;
}

export type AbortMultipartUploadOutput = BaseOutput;

/**
 * @example
 * await client.send(abortMultipartUpload, { key, uploadId });
 */
export const abortMultipartUpload: Command<AbortMultipartUploadInput, AbortMultipartUploadOutput> = {
  name: NAME,
  serialize(input) {
    const bucket = requireBucket(input.bucket, NAME);
    requireKey(input.key, NAME);
    requireUploadId(input.uploadId, NAME);
    return { method: 'DELETE', bucket, key: input.key, query: { uploadId: input.uploadId }, headers: {} };
  },
  async deserialize(response) {
    return { requestId: requestIdOf(response) };
  },
};
