/** GetSymlink: `GET /key?symlink` → the key a link points to (400 NotSymlink for other objects). */
import { OssClientError } from '../../errors.js';
import type { BaseOutput, Command } from '../types.js';
import { requestIdOf } from '../shared.js';
import { readMetadata } from './headers.js';
import { objectSubresourceRequest, type ObjectSubresourceInput } from './object-subresource.js';

export type GetSymlinkInput = ObjectSubresourceInput;

export interface GetSymlinkOutput extends BaseOutput {
  target: string;
  etag?: string;
  lastModified?: Date;
  /** User metadata of the link. */
  metadata: Record<string, string>;
  versionId?: string;
}

/**
 * @example
 * const { target } = await client.getSymlink({ key: 'latest.tar.gz' });
 */
export const getSymlink: Command<GetSymlinkInput, GetSymlinkOutput> = {
  name: 'GetSymlink',
  serialize: (input) => objectSubresourceRequest('GET', 'GetSymlink', 'symlink', input),
  async deserialize(response) {
    const h = response.headers;
    const raw = h['x-oss-symlink-target'];
    if (raw === undefined) throw new OssClientError('NetworkError', 'the GetSymlink answer carried no x-oss-symlink-target header');
    let target: string;
    try {
      target = decodeURIComponent(raw);
    } catch (cause) {
      throw new OssClientError('NetworkError', 'the GetSymlink answer holds a malformed url-encoded target', { cause });
    }
    const output: GetSymlinkOutput = { requestId: requestIdOf(response), target, metadata: readMetadata(h) };
    if (h['etag']) output.etag = h['etag'];
    if (h['last-modified']) output.lastModified = new Date(h['last-modified']);
    if (h['x-oss-version-id']) output.versionId = h['x-oss-version-id'];
    return output;
  },
};
