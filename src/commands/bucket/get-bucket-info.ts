/** GetBucketInfo: everything OSS says about a bucket — region, endpoints, classes, ACL, owner, encryption, logging. */
import { requireBucket } from '../validate.js';
import { child, date, readXmlRoot, text } from '../xml.js';
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
  /** `oss-cn-hangzhou.aliyuncs.com` */
  extranetEndpoint?: string;
  intranetEndpoint?: string;
  /** `LRS` or `ZRS`. */
  dataRedundancyType?: string;
  /** `Enabled` / `Disabled`. */
  accessMonitor?: string;
  /** `Enabled` / `Suspended`; absent when versioning was never switched on. */
  versioning?: string;
  /** `Enabled` / `Disabled`. */
  crossRegionReplication?: string;
  /** `Enabled` / `Disabled`. */
  transferAcceleration?: string;
  resourceGroupId?: string;
  comment?: string;
  /** `cn-hangzhou` (newer answers carry it beside Location). */
  region?: string;
  blockPublicAccess?: boolean;
  owner?: { id: string; displayName: string };
  /** Default encryption; `sseAlgorithm` absent when none is set (OSS answers `None`). */
  serverSideEncryptionRule: { sseAlgorithm?: string; kmsMasterKeyId?: string; kmsDataEncryption?: string };
  /** Access logging target, when logging is on. */
  bucketPolicy: { logBucket?: string; logPrefix?: string };
}

/** OSS writes `None` for an unset value in these two containers. */
const unset = (value: string | undefined) => (value === 'None' ? undefined : value);

/**
 * @example
 * const { location, storageClass, serverSideEncryptionRule } = await client.getBucketInfo({ bucket: 'b' });
 */
export const getBucketInfo: Command<GetBucketInfoInput, GetBucketInfoOutput> = {
  name: 'GetBucketInfo',
  serialize(input) {
    return { method: 'GET', bucket: requireBucket(input.bucket, 'GetBucketInfo'), query: { bucketInfo: '' }, headers: {} };
  },
  async deserialize(response) {
    const node = child(await readXmlRoot(response, 'BucketInfo'), 'Bucket');
    const sse = child(node, 'ServerSideEncryptionRule');
    const logging = child(node, 'BucketPolicy');
    const output: GetBucketInfoOutput = {
      requestId: requestIdOf(response),
      name: text(node, 'Name') ?? '',
      location: text(node, 'Location') ?? '',
      creationDate: date(node, 'CreationDate') ?? new Date(0),
      storageClass: text(node, 'StorageClass') ?? '',
      acl: text(child(node, 'AccessControlList'), 'Grant') ?? '',
      serverSideEncryptionRule: {},
      bucketPolicy: {},
    };
    const fields = [
      ['extranetEndpoint', 'ExtranetEndpoint'],
      ['intranetEndpoint', 'IntranetEndpoint'],
      ['dataRedundancyType', 'DataRedundancyType'],
      ['accessMonitor', 'AccessMonitor'],
      ['versioning', 'Versioning'],
      ['crossRegionReplication', 'CrossRegionReplication'],
      ['transferAcceleration', 'TransferAcceleration'],
      ['resourceGroupId', 'ResourceGroupId'],
      ['comment', 'Comment'],
      ['region', 'Region'],
    ] as const;
    assignTexts(output, fields, (tag) => text(node, tag));
    const block = text(node, 'BlockPublicAccess');
    if (block) output.blockPublicAccess = block === 'true';
    const owner = readOwner(node);
    if (owner) output.owner = owner;
    assignTexts(
      output.serverSideEncryptionRule,
      [
        ['sseAlgorithm', 'SSEAlgorithm'],
        ['kmsMasterKeyId', 'KMSMasterKeyID'],
        ['kmsDataEncryption', 'KMSDataEncryption'],
      ],
      (tag) => unset(text(sse, tag)),
    );
    assignTexts(
      output.bucketPolicy,
      [
        ['logBucket', 'LogBucket'],
        ['logPrefix', 'LogPrefix'],
      ],
      (tag) => unset(text(logging, tag)),
    );
    return output;
  },
};
