/** PutObjectAcl: `PUT /key?acl` with `x-oss-object-acl`. */
import { invalidArgument } from '../../errors.js';
import type { Command } from '../types.js';
import { type VersionedOutput, versionedOutput } from '../shared.js';
import { objectSubresourceRequest, type ObjectSubresourceInput } from './object-subresource.js';

/** `default` follows the bucket's ACL. */
export type ObjectAcl = 'default' | 'private' | 'public-read' | 'public-read-write';
export const OBJECT_ACLS: readonly ObjectAcl[] = ['default', 'private', 'public-read', 'public-read-write'];

export interface PutObjectAclInput extends ObjectSubresourceInput {
  acl: ObjectAcl;
}

export type PutObjectAclOutput = VersionedOutput;

/**
 * @example
 * await client.putObjectAcl({ key: 'a.txt', acl: 'public-read' });
 */
export const putObjectAcl: Command<PutObjectAclInput, PutObjectAclOutput> = {
  name: 'PutObjectAcl',
  serialize(input) {
    if (!OBJECT_ACLS.includes(input.acl)) {
      throw invalidArgument(`acl must be one of ${OBJECT_ACLS.join(', ')}, not "${String(input.acl)}"`);
    }
    return objectSubresourceRequest('PUT', 'PutObjectAcl', 'acl', input, { 'x-oss-object-acl': input.acl });
  },
  async deserialize(response) {
    return versionedOutput(response);
  },
};
