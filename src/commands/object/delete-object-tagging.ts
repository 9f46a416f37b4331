/** DeleteObjectTagging: `DELETE /key?tagging` removes every tag of the object (not the object). */
import type { Command } from '../types.js';
import { type VersionedOutput, versionedOutput } from '../shared.js';
import { objectSubresourceRequest, type ObjectSubresourceInput } from './object-subresource.js';

export type DeleteObjectTaggingInput = ObjectSubresourceInput;
export type DeleteObjectTaggingOutput = VersionedOutput;

/**
 * @example
 * await client.deleteObjectTagging({ key: 'a.txt' });
 */
export const deleteObjectTagging: Command<DeleteObjectTaggingInput, DeleteObjectTaggingOutput> = {
  name: 'DeleteObjectTagging',
  serialize: (input) => objectSubresourceRequest('DELETE', 'DeleteObjectTagging', 'tagging', input),
  async deserialize(response) {
    return versionedOutput(response);
  },
};
