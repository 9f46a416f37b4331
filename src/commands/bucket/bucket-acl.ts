/** PutBucketAcl / GetBucketAcl: a bucket's canned ACL, sent as the `x-oss-acl` header and read from `<AccessControlPolicy>`. */
import { invalidArgument } from '../../errors.js';
import { requireBucket } from '../validate.js';
import { child, readXmlRoot, text } from '../xml.js';
import { readOwner, requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import type { BucketAcl } from './put-bucket.js';

const BUCKET_ACLS: readonly string[] = ['private', 'public-read', 'public-read-write'];

export interface PutBucketAclInput extends BaseInput {
  acl: BucketAcl;
}

export interface GetBucketAclOutput extends BaseOutput {
  acl: BucketAcl;
  owner: { id: string; displayName: string };
}

/** @example await client.putBucketAcl({ acl: 'public-read' }); */
export const putBucketAcl: Command<PutBucketAclInput, BaseOutput> = {
  name: 'PutBucketAcl',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'PutBucketAcl');
    if (!BUCKET_ACLS.includes(input.acl)) throw invalidArgument(`acl must be one of ${BUCKET_ACLS.join(', ')}, not '${String(input.acl)}'`);
    return { method: 'PUT', bucket, query: { acl: '' }, headers: { 'x-oss-acl': input.acl } };
  },
  async deserialize(response) {
    return { requestId: requestIdOf(response) };
  },
};

/** @example const { acl } = await client.getBucketAcl(); */
export const getBucketAcl: Command<BaseInput, GetBucketAclOutput> = {
  name: 'GetBucketAcl',
  serialize: (input) => ({ method: 'GET', bucket: requireBucket(input.bucket, 'GetBucketAcl'), query: { acl: '' }, headers: {} }),
  async deserialize(response) {
    const root = await readXmlRoot(response, 'AccessControlPolicy');
    return {
      requestId: requestIdOf(response),
      acl: (text(child(root, 'AccessControlList'), 'Grant') ?? '') as BucketAcl,
      owner: readOwner(root) ?? { id: '', displayName: '' },
    };
  },
};
