/**
 * Reads `x-oss-copy-source` for CopyObject and UploadPartCopy: `/<bucket>/<key>[?versionId=<id>]`.
 * The key is percent-decoded as a whole, so both client spellings name the same object: the Go v2
 * SDK's (and osskit's) RFC 3986 form that keeps `/`, and ali-oss's `encodeURIComponent` form that
 * sends `/` as `%2F`. `+` stays `+` (this is not form encoding).
 */
import type { EmulatorEnv, StoredObject } from '../context.js';
import { EmulatorError } from '../context.js';
import { versionOf } from '../storage.js';
import { noSuchBucket, noSuchKey } from './common.js';
import { noSuchVersion, versionIdOf } from './versioning.js';

export interface ParsedCopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

function invalid(value: string, message: string, ec: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', message, {
    ArgumentName: 'x-oss-copy-source',
    ArgumentValue: value,
    EC: ec,
  });
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Splits and decodes the header; throws 400 InvalidArgument when it does not name a bucket and a key,
 * carries a query other than `versionId`, or an empty `versionId` (OSS ECs 0016-00000304/305).
 * @example parseCopySource('/src/dir%2Fa%20b.txt') // { bucket: 'src', key: 'dir/a b.txt' }
 */
export function parseCopySource(value: string): ParsedCopySource {
  const queryAt = value.indexOf('?');
  const path = (queryAt < 0 ? value : value.slice(0, queryAt)).replace(/^\//, '');
  const slash = path.indexOf('/');
  const bucket = slash > 0 ? decode(path.slice(0, slash)) : undefined;
  const key = slash > 0 ? decode(path.slice(slash + 1)) : undefined;
  if (!bucket || !key) {
    throw invalid(value, 'Copy Source must mention the source bucket and key: /sourcebucket/sourcekey.', '0017-00000801');
  }
  if (queryAt < 0) return { bucket, key };
  let versionId: string | undefined;
  for (const pair of value.slice(queryAt + 1).split('&')) {
    const eq = pair.indexOf('=');
    const name = eq < 0 ? pair : pair.slice(0, eq);
    if (name !== 'versionId') throw invalid(value, 'The copy source may only carry a versionId parameter.', '0016-00000304');
    versionId = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (!versionId) throw invalid(value, 'The versionId of the copy source must not be empty.', '0016-00000305');
  }
  return { bucket, key, versionId };
}

/** The source a copy reads and the `x-oss-copy-source-version-id` header naming it. */
export interface CopySourceObject {
  object: StoredObject;
  headers: Record<string, string>;
}

/**
 * The version a copy reads: the one `versionId` names (NoSuchVersion, EC 0012-00000203, when none
 * has it; a delete marker is refused with EC 0016-00000307), else the current one (NoSuchKey when
 * there is none or it is a delete marker).
 */
export function findCopySource(env: EmulatorEnv, source: ParsedCopySource): CopySourceObject {
  const bucket = env.storage.getBucket(source.bucket);
  if (!bucket) throw noSuchBucket(source.bucket);
  const versions = env.storage.getVersions(source.bucket, source.key);
  const object = source.versionId === undefined ? versions[0] : versions.find((v) => versionOf(v) === source.versionId);
  if (!object) throw source.versionId === undefined ? noSuchKey(source.key) : noSuchVersion(source.key, source.versionId, '0012-00000203');
  if (object.deleteMarker) {
    if (source.versionId === undefined) throw noSuchKey(source.key);
    throw invalid(`/${source.bucket}/${source.key}?versionId=${source.versionId}`, 'The source of a copy may not be a delete marker.', '0016-00000307');
  }
  const id = versionIdOf(bucket, object);
  return { object, headers: id === undefined ? {} : { 'x-oss-copy-source-version-id': id } };
}
