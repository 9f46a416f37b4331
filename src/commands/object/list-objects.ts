/** ListObjects (v1): one page of keys, continued with a marker. */
import { requireBucket } from '../validate.js';
import { encodedText } from '../xml.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { assignTexts } from '../shared.js';
import { listQuery, readListPage, type ListedObject, type ListQueryInput } from './list-common.js';

export interface ListObjectsInput extends BaseInput, ListQueryInput {
  /** List keys after this one. */
  marker?: string;
}

export interface ListObjectsOutput extends BaseOutput {
  contents: ListedObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The marker for the next page (OSS sends it when a delimiter is used; else the last key is). */
  nextMarker?: string;
  prefix?: string;
  delimiter?: string;
  marker?: string;
}

/**
 * @example
 * const page = await client.listObjects({ prefix: 'a/', marker: 'a/100' });
 */
export const listObjects: Command<ListObjectsInput, ListObjectsOutput> = {
  name: 'ListObjects',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'ListObjects');
    return { method: 'GET', bucket, query: listQuery(input, { marker: input.marker }), headers: {} };
  },
  async deserialize(response) {
    const { result, page } = await readListPage(response);
    const output: ListObjectsOutput = { ...page };
    const next = encodedText(result, result, 'NextMarker') ?? (page.isTruncated ? page.contents.at(-1)?.key : undefined);
    if (next) output.nextMarker = next;
    const fields = [['prefix', 'Prefix'], ['delimiter', 'Delimiter'], ['marker', 'Marker']] as const;
    assignTexts(output, fields, (tag) => encodedText(result, result, tag));
    return output;
  },
};
