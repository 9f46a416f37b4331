/** PutSymlink: `PUT /key?symlink` makes `key` a link to `target` (another key in the same bucket). */
import { encodePath } from '../../signer/encode.js';
import { validateKey } from '../validate.js';
import type { BaseOutput, Command } from '../types.js';
import { defined, objectWriteHeaders, requestIdOf } from '../shared.js';
import { objectSubresourceRequest, type ObjectSubresourceInput } from './object-subresource.js';
import type { ObjectAcl } from './put-object-acl.js';

export interface PutSymlinkInput extends ObjectSubresourceInput {
  /** The key the link points to; reading the link reads it. */
  target: string;
  /** Content-Type of the link itself. */
  contentType?: string;
  /** User metadata of the link (`x-oss-meta-*`). */
  metadata?: Record<string, string>;
  storageClass?: 'Standard' | 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive' | (string & {});
  acl?: ObjectAcl;
  /** Refuse to replace an existing object at `key` (409 FileAlreadyExists). */
  forbidOverwrite?: boolean;
  headers?: Record<string, string>;
}

export interface PutSymlinkOutput extends BaseOutput {
  etag?: string;
  versionId?: string;
}

/**
 * The target travels URL-encoded with `/` kept, as the official SDKs send it.
 *
 * @example
 * await client.putSymlink({ key: 'latest.tar.gz', target: 'releases/v2.1.tar.gz' });
 */
export const putSymlink: Command<PutSymlinkInput, PutSymlinkOutput> = {
  name: 'PutSymlink',
  serialize(input) {
    validateKey(input.target);
    const headers: Record<string, string> = {
      ...objectWriteHeaders(input),
      ...defined({ 'x-oss-forbid-overwrite': input.forbidOverwrite === undefined ? undefined : String(input.forbidOverwrite) }),
      'x-oss-symlink-target': encodePath(input.target),
    };
    return objectSubresourceRequest('PUT', 'PutSymlink', 'symlink', input, headers);
  },
  async deserialize(response) {
    const output: PutSymlinkOutput = { requestId: requestIdOf(response) };
    if (response.headers['etag']) output.etag = response.headers['etag'];
    if (response.headers['x-oss-version-id']) output.versionId = response.headers['x-oss-version-id'];
    return output;
  },
};
