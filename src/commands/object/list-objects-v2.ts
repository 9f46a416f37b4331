/** ListObjectsV2 (`list-type=2`): one page of keys, continued with a token. */
import { requireBucket } from '../validate.js';
import { encodedText, int, text } from '../xml.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { assignTexts } from '../shared.js';
import { listQuery, readListPage, type ListedObject, type ListQueryInput } from './list-common.js';

export interface ListObjectsV2Input extends BaseInput, ListQueryInput {
  continuationToken?: string;
  startAfter?: string;
  /** Include each object's owner. */
  fetchOwner?: boolean;
}

export interface ListObjectsV2Output extends BaseOutput {
  contents: ListedObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextContinuationToken?: string;
  keyCount: number;
  prefix?: string;
  delimiter?: string;
  startAfter?: string;
}

/**
 * @example
 * const page = await client.listObjectsV2({ prefix: 'photos/', delimiter: '/' });
 * for await (const p of client.paginateListObjectsV2({ prefix: 'logs/' })) console.log(p.contents.length);
 */
export const listObjectsV2: Command<ListObjectsV2Input, ListObjectsV2Output> = {
  name: 'ListObjectsV2',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'ListObjectsV2');
    const query = listQuery(input, {
      'list-type': '2',
      'continuation-token': input.continuationToken,
      'start-after': input.startAfter,
      'fetch-owner': input.fetchOwner === undefined ? undefined : String(input.fetchOwner),
    });
    return { method: 'GET', bucket, query, headers: {} };
  },
  async deserialize(response) {
    const { result, page } = await readListPage(response);
    const output: ListObjectsV2Output = { ...page, keyCount: int(result, 'KeyCount') ?? page.contents.length };
    const token = text(result, 'NextContinuationToken');
    if (token) output.nextContinuationToken = token;
    const fields = [['prefix', 'Prefix'], ['delimiter', 'Delimiter'], ['startAfter', 'StartAfter']] as const;
    assignTexts(output, fields, (tag) => encodedText(result, result, tag));
    return output;
  },
};
