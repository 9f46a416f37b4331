/** AbortMultipartUpload: `DELETE /<key>?uploadId=…`; the parts stored so far are deleted. */
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requestIdOf } from '../shared.js';
import { uploadTarget } from './shared.js';

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
    return { method: 'DELETE', ...uploadTarget(input, NAME), query: { uploadId: input.uploadId }, headers: {} };
  },
  async deserialize(response) {
    return { requestId: requestIdOf(response) };
  },
};
