/**
 * DeleteMultipleObjects: POST /?delete with `<Delete><Quiet/><Object><Key/></Object>…</Delete>`.
 * Content-MD5 is required; missing keys count as deleted; Quiet answers an empty result.
 * With `encoding-type=url` the keys of the answer are url-encoded (the request's never are).
 * `<VersionId>` per object deletes that version; on a versioned bucket an object without one gets
 * a delete marker (Deleted answers DeleteMarker and DeleteMarkerVersionId).
 */
import type { Handler } from '../context.js';
import { EmulatorError } from '../context.js';
import { childText, children, parseXml, type XmlObject } from '../xml.js';
import { versionOf } from '../storage.js';
import { deleteMarkerFor } from './versioning.js';
import { malformedXml, requireBucket, xmlResponse } from './common.js';
import { checkContentMd5 } from './object-checks.js';

const MAX_DELETE_KEYS = 1000;

const deleteMultipleObjects: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const data = await request.body();
  if (request.headers['content-md5'] === undefined) {
    throw new EmulatorError(400, 'MissingArgument', 'Missing Some Required Arguments.', {
      ArgumentName: 'Content-MD5',
      EC: '0016-00000606',
    });
  }
  checkContentMd5(request.headers, data);
  const parsed = parseXml(new TextDecoder().decode(data));
  const root = parsed?.['Delete'];
  if (root === undefined || Array.isArray(root)) throw malformedXml();
  // Request keys are the XML text as it stands: never url-decoded, whatever `encoding-type` says
  // (it only asks for encoded keys in the answer), so `a%2Fb` deletes `a%2Fb` and not `a/b`.
  const urlEncoded = request.query['encoding-type'] === 'url';
  const objects = children(root, 'Object');
  const keys = objects.map((o) => childText(o, 'Key') ?? '');
  if (keys.length === 0 || keys.length > MAX_DELETE_KEYS || keys.some((k) => k === '')) throw malformedXml();
  const versionIds = objects.map((o) => childText(o, 'VersionId'));
  if (versionIds.includes('')) {
    throw new EmulatorError(400, 'InvalidArgument', 'The VersionId of an object to delete can not be empty.', { ArgumentName: 'VersionId', EC: '0016-00000612' });
  }
  const quiet = (childText(root, 'Quiet') ?? 'false').trim().toLowerCase() === 'true';
  const encode = urlEncoded ? encodeURIComponent : (key: string) => key;
  // Each entry as DeleteObject would do it: a named version removed for good, else a delete
  // marker on a versioned bucket, else the object removed.
  const deleted = keys.map((key, i): XmlObject => {
    const versionId = versionIds[i];
    if (versionId !== undefined) {
      const removed = env.storage.getVersions(bucket.name, key).find((v) => versionOf(v) === versionId);
      env.storage.deleteObject(bucket.name, key, versionId);
      const marker = removed?.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: versionId } : {};
      return { Key: encode(key), VersionId: versionId, ...marker };
    }
    const marker = deleteMarkerFor(bucket, key, env.now());
    if (!marker) {
      env.storage.deleteObject(bucket.name, key);
      return { Key: encode(key) };
    }
    env.storage.putObject(bucket.name, marker);
    return { Key: encode(key), DeleteMarker: true, DeleteMarkerVersionId: marker.versionId! };
  });
  return xmlResponse('DeleteResult', {
    EncodingType: urlEncoded ? 'url' : undefined,
    Deleted: quiet ? undefined : deleted,
  });
};

export const deleteMultipleHandlers: Record<string, Handler> = { DeleteMultipleObjects: deleteMultipleObjects };
