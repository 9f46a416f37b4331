/** ListObjects (v1): one page of keys, continued with a marker. */
import { requireBucket } from '../../validate.js';
import { bool, readXmlRoot } from '../../xml.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requestIdOf } from './headers.js';
import { encodedText, listQuery, readCommonPrefixes, readContents, type ListedObject, type ListQueryInput } from './list-common.js';

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
    const result = await readXmlRoot(response.body, 'ListBucketResult');
    const contents = readContents(result);
    const output: ListObjectsOutput = {
      requestId: requestIdOf(response),
      contents,
      commonPrefixes: readCommonPrefixes(result),
      isTruncated: bool(result, 'IsTruncated'),
    };
    const next = encodedText(result, result, 'NextMarker') ?? (output.isTruncated ? contents.at(-1)?.key : undefined);
    if (next) output.nextMarker = next;
    for (const [field, tag] of [['prefix', 'Prefix'], ['delimiter', 'Delimiter'], ['marker', 'Marker']] as const) {
      const value = encodedText(result, result, tag);
      if (value) output[field] = value;
    }
    return output;
  },
};
