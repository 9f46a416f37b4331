/** GetObjectAcl: `GET /key?acl` → the object's ACL and owner. */
import { child, readXmlRoot, text } from '../xml.js';
import type { Command } from '../types.js';
import { readOwner, type VersionedOutput, versionedOutput } from '../shared.js';
import { objectSubresourceRequest, type ObjectSubresourceInput } from './object-subresource.js';
import type { ObjectAcl } from './put-object-acl.js';

export type GetObjectAclInput = ObjectSubresourceInput;

export interface GetObjectAclOutput extends VersionedOutput {
  acl: ObjectAcl;
  owner: { id: string; displayName: string };
}

/**
 * @example
 * const { acl } = await client.getObjectAcl({ key: 'a.txt' }); // 'default' until one is set
 */
export const getObjectAcl: Command<GetObjectAclInput, GetObjectAclOutput> = {
  name: 'GetObjectAcl',
  serialize: (input) => objectSubresourceRequest('GET', 'GetObjectAcl', 'acl', input),
  async deserialize(response) {
    const policy = await readXmlRoot(response, 'AccessControlPolicy');
    return {
      ...versionedOutput(response),
      acl: (text(child(policy, 'AccessControlList'), 'Grant') ?? 'default') as ObjectAcl,
      owner: readOwner(policy) ?? { id: '', displayName: '' },
    };
  },
};
