/** GetObjectTagging: `GET /key?tagging` → the object's tags. */
import { child, children, readXmlRoot, text } from '../xml.js';
import type { Command } from '../types.js';
import { type VersionedOutput, versionedOutput } from '../shared.js';
import { objectSubresourceRequest, type ObjectSubresourceInput } from './object-subresource.js';

export type GetObjectTaggingInput = ObjectSubresourceInput;

export interface GetObjectTaggingOutput extends VersionedOutput {
  tags: Record<string, string>;
}

/**
 * @example
 * const { tags } = await client.getObjectTagging({ key: 'a.txt' });
 */
export const getObjectTagging: Command<GetObjectTaggingInput, GetObjectTaggingOutput> = {
  name: 'GetObjectTagging',
  serialize: (input) => objectSubresourceRequest('GET', 'GetObjectTagging', 'tagging', input),
  async deserialize(response) {
    const tagging = await readXmlRoot(response, 'Tagging');
    const tags: Record<string, string> = {};
    for (const tag of children(child(tagging, 'TagSet'), 'Tag')) tags[text(tag, 'Key') ?? ''] = text(tag, 'Value') ?? '';
    return { ...versionedOutput(response), tags };
  },
};
