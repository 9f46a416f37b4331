/**
 * Object operations: PutObject (with upload callback), DeleteObject, Get/PutObjectAcl, and the
 * table of every object handler (reads in object-read.ts, CopyObject in object-copy.ts,
 * DeleteMultipleObjects in delete-multiple.ts).
 */
import { callbackFailed, parseCallbackParams, performCallback } from '../callbacks.js';
import type { EmulatorEnv, EmulatorRequest, EmulatorResponse, Handler, ObjectInput } from '../context.js';
import { EmulatorError } from '../context.js';
import { inputSize } from '../storage-body.js';
import { OWNER, describeFromHeaders, objectFromBody, receiveBody, requireBucket, requireObject, xmlResponse } from './common.js';
import { OBJECT_ACLS, checkContentMd5Digest, checkObjectHeaders, checkOverwrite, invalidHeader } from './object-checks.js';
import { appendHandlers } from './append.js';
import { deleteMultipleHandlers } from './delete-multiple.js';
import { checkTaggingHeader, objectTaggingHandlers } from './object-tagging.js';
import { restoreHandlers } from './restore.js';
import { deleteMarkerFor, emptyVersionId, existingFor, markerHeaders, versionHeader, withVersion } from './versioning.js';
import { versionOf } from '../storage.js';
import { symlinkHandlers } from './symlink.js';
import { objectCopyHandlers } from './object-copy.js';
import { objectReadHandlers } from './object-read.js';

interface CallbackRequest {
  callback: string;
  callbackVar?: string;
}

function invalidCallback(message: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', message, { EC: '0007-00000001' });
}

/** The callback from the header or the query (not both), checked to be base64 JSON. */
export function callbackParams(request: EmulatorRequest): CallbackRequest | undefined {
  const header = request.headers['x-oss-callback'];
  const query = request.query['callback'];
  if (header !== undefined && query !== undefined) throw invalidCallback('Callback is specified both in the header and in the query.');
  const callback = header ?? query;
  if (callback === undefined || callback === '') return undefined;
  const callbackVar = request.headers['x-oss-callback-var'] ?? request.query['callback-var'];
  // Refuse a malformed callback before anything is stored (400).
  parseCallbackParams(callback, callbackVar);
  return { callback, callbackVar };
}

/**
 * Runs the upload callback after the object is stored: 200 with the application's answer, or 203
 * CallbackFailed (the object stays) when the application server could not be reached or refused.
 */
export async function answerWithCallback(
  params: CallbackRequest,
  bucket: string,
  object: ObjectInput,
  env: EmulatorEnv,
  headers: Record<string, string>,
): Promise<EmulatorResponse> {
  const result = await performCallback(
    {
      callback: params.callback,
      callbackVar: params.callbackVar,
      bucket,
      key: object.key,
      etag: object.etag.replace(/"/g, ''),
      size: inputSize(object),
      mimeType: object.contentType,
    },
    env,
  );
  if (!result.ok) throw callbackFailed(result.message, headers);
  return { status: 200, headers: { ...headers, 'Content-Type': result.contentType }, body: result.body };
}

const putObject: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const key = request.key ?? '';
  checkObjectHeaders(request.headers);
  checkTaggingHeader(request.headers);
  const callback = callbackParams(request);
  // Streamed into storage (a temporary file with a data directory): never held whole in memory.
  const received = await receiveBody(request, env);
  const fields = describeFromHeaders(request.headers);
  fields.headers['content-md5'] = received.md5;
  const object = withVersion(objectFromBody(key, received, fields, env.now()), bucket);
  try {
    checkContentMd5Digest(request.headers, received.md5);
    checkOverwrite(request.headers, existingFor(env, bucket, key));
    env.storage.putObject(bucket.name, object);
  } finally {
    received.discard();
  }
  const headers = { ETag: object.etag, 'x-oss-hash-crc64ecma': object.crc64, 'Content-MD5': received.md5, ...versionHeader(bucket, object) };
  if (callback) return answerWithCallback(callback, bucket.name, object, env, headers);
  return { status: 200, headers };
};

/**
 * DeleteObject answers 204 whether or not the key existed. With `versionId` it removes that
 * version for good; without, a versioned bucket gets a delete marker as the current version
 * (Suspended: the marker is the `null` version, replacing the object's null version).
 */
const deleteObject: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const key = request.key ?? '';
  const versionId = request.query['versionId'];
  if (versionId !== undefined) {
    if (versionId === '') throw emptyVersionId();
    const version = env.storage.getVersions(bucket.name, key).find((v) => versionOf(v) === versionId);
    env.storage.deleteObject(bucket.name, key, versionId);
    return { status: 204, headers: { 'x-oss-version-id': versionId, ...(version?.deleteMarker ? { 'x-oss-delete-marker': 'true' } : {}) } };
  }
  const marker = deleteMarkerFor(bucket, key, env.now());
  if (!marker) {
    env.storage.deleteObject(bucket.name, key);
    return { status: 204 };
  }
  env.storage.putObject(bucket.name, marker);
  return { status: 204, headers: markerHeaders(marker) };
};

const getObjectAcl: Handler = async (request, env) => {
  const object = requireObject(request, env);
  return xmlResponse(
    'AccessControlPolicy',
    { Owner: { ...OWNER }, AccessControlList: { Grant: object.headers['x-oss-object-acl'] ?? 'default' } },
    200,
    versionHeader(requireBucket(request, env), object),
  );
};

const putObjectAcl: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const object = requireObject(request, env);
  const acl = request.headers['x-oss-object-acl'] ?? '';
  if (!OBJECT_ACLS.includes(acl)) invalidHeader('x-oss-object-acl', acl, 'The object ACL is not valid.');
  env.storage.updateObject(bucket.name, { ...object, headers: { ...object.headers, 'x-oss-object-acl': acl } });
  return { status: 200, headers: versionHeader(bucket, object) };
};
export const objectHandlers: Record<string, Handler> = {
  PutObject: putObject,
  DeleteObject: deleteObject,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  ...objectReadHandlers,
  ...objectCopyHandlers,
  ...deleteMultipleHandlers,
  ...objectTaggingHandlers,
  ...symlinkHandlers,
  ...appendHandlers,
  ...restoreHandlers,
};
