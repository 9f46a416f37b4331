/** GetBucketInfo: a bucket's region, endpoints, storage class, ACL and owner. */
import { requireBucket } from '../../validate.js';
import { child, date, readXmlRoot, text } from '../../xml.js';
import { assignTexts, readOwner, requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

export type GetBucketInfoInput = BaseInput;

export interface GetBucketInfoOutput extends BaseOutput {
  name: string;
  /** `oss-cn-hangzhou` */
  location: string;
  creationDate: Date;
  storageClass: string;
  /** `private`, `public-read` or `public-read-write`. */
  acl: string;
  extranetEndpoint?: string;
  intranetEndpoint?: string;
  dataRedundancyType?: string;
  versioning?: string;
  owner?: { id: string; displayName: string };
}

/**
 * @example
 * const { location, storageClass } = await client.getBucketInfo({ bucket: 'b' });
 */
export const getBucketInfo: Command<GetBucketInfoInput, GetBucketInfoOutput> = {
  name: 'GetBucketInfo',
  serialize(input) {
    return { method: 'GET', bucket: requireBucket(input.bucket, 'GetBucketInfo'), query: { bucketInfo: '' }, headers: {} };
  },
  async deserialize(response) {
    const node = child(await readXmlRoot(response.body, 'BucketInfo'), 'Bucket');
    const output: GetBucketInfoOutput = {
      requestId: requestIdOf(response),
      name: text(node, 'Name') ?? '',
      location: text(node, 'Location') ?? '',
      creationDate: date(node, 'CreationDate') ?? new Date(0),
      storageClass: text(node, 'StorageClass') ?? '',
      acl: text(child(node, 'AccessControlList'), 'Grant') ?? '',
    };
    const fields = [
      ['extranetEndpoint', 'ExtranetEndpoint'],
      ['intranetEndpoint', 'IntranetEndpoint'],
      ['dataRedundancyType', 'DataRedundancyType'],
      ['versioning', 'Versioning'],
    ] as const;
    assignTexts(output, fields, (tag) => text(node, tag));
    const owner = readOwner(node);
    if (owner) output.owner = owner;
    return output;
  },
};
