/** PutBucket: creates a bucket in the client's region (the endpoint decides the region). */
import { requireBucket } from '../validate.js';
import { buildXml } from '../xml.js';
import { defined, lowerCaseHeaders, requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

export type BucketAcl = 'private' | 'public-read' | 'public-read-write';
export type StorageClass = 'Standard' | 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive';

export interface PutBucketInput extends BaseInput {
  acl?: BucketAcl;
  storageClass?: StorageClass;
  /** `LRS` (default) or `ZRS`. */
  dataRedundancyType?: 'LRS' | 'ZRS';
  resourceGroupId?: string;
  headers?: Record<string, string>;
}

export type PutBucketOutput = BaseOutput;

/**
 * @example
 * await client.putBucket({ bucket: 'my-new-bucket', acl: 'private', storageClass: 'IA' });
 */
export const putBucket: Command<PutBucketInput, PutBucketOutput> = {
  name: 'PutBucket',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'PutBucket');
    const headers = {
      ...lowerCaseHeaders(input.headers),
      ...defined({ 'x-oss-acl': input.acl, 'x-oss-resource-group-id': input.resourceGroupId }),
    };
    const configured = input.storageClass !== undefined || input.dataRedundancyType !== undefined;
    if (!configured) return { method: 'PUT', bucket, query: {}, headers };
    const xml = buildXml('CreateBucketConfiguration', {
      StorageClass: input.storageClass,
      DataRedundancyType: input.dataRedundancyType,
    });
    return { method: 'PUT', bucket, query: {}, headers: { ...headers, 'content-type': 'application/xml' }, body: xml };
  },
  async deserialize(response) {
    return { requestId: requestIdOf(response) };
  },
};
