/** ListBuckets (GetService): the caller's buckets, one page at a time. */
import { validateIntRange } from '../validate.js';
import { bool, child, children, date, readXmlRoot, text } from '../xml.js';
import { assignTexts, defined, readOwner, requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

export interface ListBucketsInput extends Omit<BaseInput, 'bucket'> {
  prefix?: string;
  marker?: string;
  /** 1–1000. */
  maxKeys?: number;
  /** `x-oss-resource-group-id`. */
  resourceGroupId?: string;
}

export interface BucketSummary {
  name: string;
  /** `oss-cn-hangzhou` */
  location: string;
  /** `cn-hangzhou` */
  region?: string;
  creationDate: Date;
  storageClass?: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
}

export interface ListBucketsOutput extends BaseOutput {
  buckets: BucketSummary[];
  owner?: { id: string; displayName: string };
  isTruncated: boolean;
  nextMarker?: string;
}

const SUMMARY_FIELDS = [
  ['region', 'Region'],
  ['storageClass', 'StorageClass'],
  ['extranetEndpoint', 'ExtranetEndpoint'],
  ['intranetEndpoint', 'IntranetEndpoint'],
] as const;

/**
 * @example
 * const { buckets } = await client.listBuckets({ prefix: 'logs-' });
 */
export const listBuckets: Command<ListBucketsInput, ListBucketsOutput> = {
  name: 'ListBuckets',
  serialize(input) {
    validateIntRange('maxKeys', input.maxKeys, 1, 1000);
    const query = defined({
      prefix: input.prefix,
      marker: input.marker,
      'max-keys': input.maxKeys === undefined ? undefined : String(input.maxKeys),
    });
    const headers = defined({ 'x-oss-resource-group-id': input.resourceGroupId });
    return { method: 'GET', query, headers };
  },
  async deserialize(response) {
    const result = await readXmlRoot(response, 'ListAllMyBucketsResult');
    const buckets = children(child(result, 'Buckets'), 'Bucket').map((node) => {
      const bucket: BucketSummary = {
        name: text(node, 'Name') ?? '',
        location: text(node, 'Location') ?? '',
        creationDate: date(node, 'CreationDate') ?? new Date(0),
      };
      assignTexts(bucket, SUMMARY_FIELDS, (tag) => text(node, tag));
      return bucket;
    });
    const output: ListBucketsOutput = { requestId: requestIdOf(response), buckets, isTruncated: bool(result, 'IsTruncated') };
    const owner = readOwner(result);
    if (owner) output.owner = owner;
    const next = text(result, 'NextMarker');
    if (next) output.nextMarker = next;
    return output;
  },
};
