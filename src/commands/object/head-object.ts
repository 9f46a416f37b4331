/** HeadObject: an object's metadata without its body. */
import { requireBucket, requireField } from '../validate.js';
import type { BaseInput, Command } from '../types.js';
import { conditionHeaders, lowerCaseHeaders, type ObjectConditions } from '../shared.js';
import { readObjectHead, type ObjectHead } from './headers.js';

export interface HeadObjectInput extends BaseInput, ObjectConditions {
  key: string;
  versionId?: string;
  headers?: Record<string, string>;
}

export type HeadObjectOutput = ObjectHead;

/**
 * @example
 * const { contentLength, metadata } = await client.headObject({ key: 'a.txt' });
 */
export const headObject: Command<HeadObjectInput, HeadObjectOutput> = {
  name: 'HeadObject',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'HeadObject');
    const key = requireField(input.key, 'key', 'HeadObject');
    const query: Record<string, string> = input.versionId ? { versionId: input.versionId } : {};
    return { method: 'HEAD', bucket, key, query, headers: { ...lowerCaseHeaders(input.headers), ...conditionHeaders(input) } };
  },
  async deserialize(response) {
    return readObjectHead(response);
  },
};
