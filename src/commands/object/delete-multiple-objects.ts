/** DeleteMultipleObjects: up to 1000 keys in one POST `?delete`. */
import { invalidArgument } from '../../errors.js';
import { md5, toBase64 } from '../../integrity/hash.js';
import { requireBucket, validateKey } from '../validate.js';
import { bool, buildXml, children, encodedText, readXmlRoot, text } from '../xml.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requestIdOf } from '../shared.js';

const MAX_KEYS_PER_DELETE = 1000;
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export interface DeleteMultipleObjectsInput extends BaseInput {
  /** Keys, or `{ key, versionId }` for versioned buckets. */
  keys: (string | { key: string; versionId?: string })[];
  /** Quiet mode: OSS lists only failures, so `deleted` comes back empty. Default false. */
  quiet?: boolean;
}

export interface DeletedObject {
  key: string;
  /** The version named in the request (removed for good). */
  versionId?: string;
  /** Versioned buckets: a delete marker was added (no versionId given) or removed (its versionId given). */
  deleteMarker?: boolean;
  /** That delete marker's version. */
  deleteMarkerVersionId?: string;
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
      if (versionId === '') throw invalidArgument(`versionId of "${key.slice(0, 40)}" must not be empty`);
      // Keys travel as XML text, escaped and not url-encoded, as both official v2 SDKs send them:
      // `encoding-type=url` only asks OSS to encode the keys of its answer. A `%` in a key is
      // therefore just a `%`. Characters XML 1.0 cannot carry cannot be named this way at all.
      if (XML_FORBIDDEN.test(key)) {
        throw invalidArgument(`key "${key.slice(0, 40)}" holds a control character XML cannot carry; delete it with deleteObject`);
      }
      return { Key: key, VersionId: versionId };
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
    const result = await readXmlRoot(response, 'DeleteResult');
    const deleted = children(result, 'Deleted').map((node) => {
      const entry: DeletedObject = { key: encodedText(result, node, 'Key') ?? '' };
      const versionId = text(node, 'VersionId');
      if (versionId) entry.versionId = versionId;
      if (text(node, 'DeleteMarker') !== undefined) entry.deleteMarker = bool(node, 'DeleteMarker');
      const markerVersionId = text(node, 'DeleteMarkerVersionId');
      if (markerVersionId) entry.deleteMarkerVersionId = markerVersionId;
      return entry;
    });
    return { requestId: requestIdOf(response), deleted };
  },
};
