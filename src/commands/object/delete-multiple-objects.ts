/** DeleteMultipleObjects: up to 1000 keys in one POST `?delete`. */
import { invalidArgument } from '../../errors.js';
import { md5, toBase64 } from '../../hash.js';
import { requireBucket, validateKey } from '../../validate.js';
import { bool, buildXml, children, encodedText, readXmlRoot, text } from '../../xml.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requestIdOf } from '../shared.js';

const MAX_KEYS_PER_DELETE = 1000;

export interface DeleteMultipleObjectsInput extends BaseInput {
  /** Keys, or `{ key, versionId }` for versioned buckets. */
  keys: (string | { key: string; versionId?: string })[];
  /** Quiet mode: OSS lists only failures, so `deleted` comes back empty. Default false. */
  quiet?: boolean;
}

export interface DeletedObject {
  key: string;
  versionId?: string;
  deleteMarker?: boolean;
}

export interface DeleteMultipleObjectsOutput extends BaseOutput {
  deleted: DeletedObject[];
}

/**
 * @example
 * const { deleted } = await client.deleteMultipleObjects({ keys: ['a.txt', 'b.txt'] });
 */
export const deleteMultipleObjects: Command<DeleteMultipleObjectsInput, DeleteMultipleObjectsOutput> = {
  name: 'DeleteMultipleObjects',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'DeleteMultipleObjects');
    const keys = input.keys ?? [];
    if (keys.length === 0 || keys.length > MAX_KEYS_PER_DELETE) {
      throw invalidArgument(`keys must hold 1 to ${MAX_KEYS_PER_DELETE} entries, not ${keys.length}`);
    }
    const objects = keys.map((entry) => {
      const { key, versionId } = typeof entry === 'string' ? { key: entry, versionId: undefined } : entry;
      validateKey(key);
      // With encoding-type=url OSS reads request keys url-encoded too (EC 0016-00000614), which also
      // carries keys XML 1.0 cannot hold; buildXml escapes whatever is left.
      return { Key: encodeURIComponent(key), VersionId: versionId };
    });
    const xml = new TextEncoder().encode(buildXml('Delete', { Quiet: input.quiet ?? false, Object: objects }));
    return {
      method: 'POST',
      bucket,
      query: { delete: '', 'encoding-type': 'url' },
      // OSS requires Content-MD5 on this call.
      headers: { 'content-type': 'application/xml', 'content-md5': toBase64(md5(xml)) },
      body: xml,
    };
  },
  async deserialize(response) {
    const result = await readXmlRoot(response.body, 'DeleteResult');
    const deleted = children(result, 'Deleted').map((node) => {
      const entry: DeletedObject = { key: encodedText(result, node, 'Key') ?? '' };
      const versionId = text(node, 'VersionId');
      if (versionId) entry.versionId = versionId;
      if (text(node, 'DeleteMarker') !== undefined) entry.deleteMarker = bool(node, 'DeleteMarker');
      return entry;
    });
    return { requestId: requestIdOf(response), deleted };
  },
};
