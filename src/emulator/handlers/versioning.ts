/**
 * Object versioning: a bucket's state (never versioned, Enabled, Suspended), the id a new version
 * gets, and the headers that name versions in answers. Storage keeps each key's versions newest
 * first; reading a given version or the current one goes through `findObject` (common.ts).
 */
import { randomBytes } from 'node:crypto';
import type { BucketRecord, EmulatorEnv, StoredObject } from '../context.js';
import { EmulatorError } from '../context.js';
import { childText, parseXml } from '../xml.js';

export type VersioningStatus = 'Enabled' | 'Suspended';

/** The bucket's versioning state; undefined when it was never versioned. */
export function versioningOf(bucket: BucketRecord): VersioningStatus | undefined {
  const xml = bucket.configs.get('versioning');
  if (xml === undefined) return undefined;
  const root = parseXml(xml)?.['VersioningConfiguration'];
  const status = childText(Array.isArray(root) ? root[0] : root, 'Status');
  return status === 'Enabled' || status === 'Suspended' ? status : undefined;
}

/** PutBucketVersioning accepts Enabled and Suspended only (OSS ECs 0012-00000003 / 0012-00000004). */
export function checkVersioningStatus(status: string | undefined): void {
  if (status === 'Enabled' || status === 'Suspended') return;
  const empty = status === undefined || status === '';
  throw new EmulatorError(400, empty ? 'MalformedXML' : 'InvalidArgument', empty ? 'The Status of versioning configuration is empty.' : 'The Status of versioning configuration is invalid.', {
    ...(empty ? {} : { ArgumentName: 'Status', ArgumentValue: status }),
    EC: empty ? '0012-00000003' : '0012-00000004',
  });
}

/** Ids shaped like OSS's (`CAEQ…`, URL-safe base64), unique per write. */
function generateVersionId(): string {
  return `CAEQ${randomBytes(30).toString('base64url')}`;
}

/** The id a write gets: a new one (Enabled), `null` (Suspended), none (never versioned). */
export function newVersionId(bucket: BucketRecord): string | undefined {
  const status = versioningOf(bucket);
  return status === 'Enabled' ? generateVersionId() : status === 'Suspended' ? 'null' : undefined;
}

/** A stored version's id as answers name it: objects from before versioning are `null` on a versioned bucket. */
export function versionIdOf(bucket: BucketRecord, object: StoredObject): string | undefined {
  return object.versionId ?? (versioningOf(bucket) ? 'null' : undefined);
}

/** `x-oss-version-id` for an answer about `object`, when the bucket is versioned. */
export function versionHeader(bucket: BucketRecord, object: StoredObject): Record<string, string> {
  const id = versionIdOf(bucket, object);
  return id === undefined ? {} : { 'x-oss-version-id': id };
}

/** The headers naming a delete marker in an answer. */
export function markerHeaders(marker: StoredObject): Record<string, string> {
  return { 'x-oss-delete-marker': 'true', 'x-oss-version-id': marker.versionId ?? 'null' };
}

/** 404 NoSuchVersion: no version of the key has this id (OSS EC 0026-00000001, as NoSuchKey). */
export function noSuchVersion(key: string, versionId: string, ec = '0026-00000001'): EmulatorError {
  return new EmulatorError(404, 'NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId, EC: ec });
}

/** 400 for `versionId=` with no value (OSS EC 0012-00000201). */
export function emptyVersionId(): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', 'The versionId can not be empty.', { ArgumentName: 'versionId', ArgumentValue: '', EC: '0012-00000201' });
}

/** A delete marker a request names by id: it has no data, ACL or tags (405, OSS EC 0017-00000002). */
export function markerNotAllowed(method: string, marker: StoredObject): EmulatorError {
  return new EmulatorError(
    405,
    'MethodNotAllowed',
    'The specified method is not allowed against this resource.',
    { Method: method, ResourceType: 'DeleteMarker', EC: '0017-00000002' },
    markerHeaders(marker),
  );
}

/** Gives a new object the version id its write makes (none on a bucket never versioned). */
export function withVersion<T extends { versionId?: string }>(object: T, bucket: BucketRecord): T {
  const versionId = newVersionId(bucket);
  if (versionId !== undefined) object.versionId = versionId;
  return object;
}

/**
 * The object `x-oss-forbid-overwrite` protects: the current one on a bucket never versioned. On a
 * versioned bucket a write never destroys a version, so OSS ignores the header there.
 */
export function existingFor(env: EmulatorEnv, bucket: BucketRecord, key: string): StoredObject | undefined {
  return versioningOf(bucket) ? undefined : env.storage.getObject(bucket.name, key);
}

/** The delete marker a DeleteObject without versionId adds; undefined on a bucket never versioned. */
export function deleteMarkerFor(bucket: BucketRecord, key: string, now: Date): StoredObject | undefined {
  const versionId = newVersionId(bucket);
  if (versionId === undefined) return undefined;
  const data = new Uint8Array(0);
  return { key, data, etag: '', crc64: '0', lastModified: now, contentType: '', metadata: {}, headers: {}, versionId, deleteMarker: true };
}
