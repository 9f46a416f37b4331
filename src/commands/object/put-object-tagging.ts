/** PutObjectTagging: `PUT /key?tagging` with the whole tag set (it replaces the previous one). */
import { md5, toBase64 } from '../../integrity/hash.js';
import { buildXml } from '../xml.js';
import type { Command } from '../types.js';
import { type VersionedOutput, versionedOutput } from '../shared.js';
import { objectSubresourceRequest, type ObjectSubresourceInput } from './object-subresource.js';
import { validateTags } from './tagging.js';

export interface PutObjectTaggingInput extends ObjectSubresourceInput {
  /** At most 10 tags; keys 1–128 characters, values up to 256. */
  tags: Record<string, string>;
}

export type PutObjectTaggingOutput = VersionedOutput;

/**
 * @example
 * await client.putObjectTagging({ key: 'a.txt', tags: { project: 'demo', owner: 'me' } });
 */
export const putObjectTagging: Command<PutObjectTaggingInput, PutObjectTaggingOutput> = {
  name: 'PutObjectTagging',
  serialize(input) {
    validateTags(input.tags);
    const tag = Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value }));
    const body = new TextEncoder().encode(buildXml('Tagging', { TagSet: { Tag: tag } }));
    const headers = { 'content-type': 'application/xml', 'content-md5': toBase64(md5(body)) };
    return { ...objectSubresourceRequest('PUT', 'PutObjectTagging', 'tagging', input, headers), body };
  },
  async deserialize(response) {
    return versionedOutput(response);
  },
};
