/**
 * CopyObject: PUT with `x-oss-copy-source: /<bucket>/<url-encoded key>` (read by copy-source.ts);
 * metadata copied from the source (x-oss-metadata-directive COPY, the default) or taken from the
 * request (REPLACE).
 */
import type { Handler } from '../context.js';
import { EmulatorError } from '../context.js';
import { bodyOf } from '../storage-body.js';
import { findCopySource, parseCopySource } from './copy-source.js';
import { existingFor, versionHeader, withVersion } from './versioning.js';
import { describeFromHeaders, isoDate, objectFromBody, receiveBytes, requireBucket, xmlResponse } from './common.js';
import { checkObjectHeaders, checkOverwrite } from './object-checks.js';
import { checkConditions } from './object-read.js';
import { checkTaggingHeader } from './object-tagging.js';
import { checkReadable } from './restore.js';
import { followSymlink } from './symlink.js';

const copyObject: Handler = async (request, env) => {
  const target = requireBucket(request, env);
  const source = parseCopySource(request.headers['x-oss-copy-source'] ?? '');
  const { object: stored, headers: sourceVersion } = findCopySource(env, source);
  // A link copies what it points to; an archived source must be restored first.
  const original = followSymlink(env, source.bucket, stored);
  checkReadable(original, env);
  // The copy-source conditions: mismatching if-match / if-unmodified-since → 412, the others → 304.
  const condition = checkConditions(request.headers, original, {
    match: 'x-oss-copy-source-if-match',
    noneMatch: 'x-oss-copy-source-if-none-match',
    modifiedSince: 'x-oss-copy-source-if-modified-since',
    unmodifiedSince: 'x-oss-copy-source-if-unmodified-since',
  });
  if (condition === 'not-modified') return { status: 304 };
  const directive = (request.headers['x-oss-metadata-directive'] ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new EmulatorError(400, 'InvalidArgument', 'The x-oss-metadata-directive must be COPY or REPLACE.', {
      ArgumentName: 'x-oss-metadata-directive',
      ArgumentValue: directive,
      EC: '0017-00000802',
    });
  }
  checkObjectHeaders(request.headers);
  checkTaggingHeader(request.headers);
  const key = request.key ?? '';
  checkOverwrite(request.headers, existingFor(env, target, key));
  const fields =
    directive === 'REPLACE'
      ? describeFromHeaders(request.headers)
      : { contentType: original.contentType, metadata: { ...original.metadata }, headers: { ...original.headers } };
  // Whatever the directive, these describe the new copy, not the source.
  for (const name of ['x-oss-object-acl', 'x-oss-storage-class', 'x-oss-server-side-encryption'] as const) {
    const value = request.headers[name];
    if (value !== undefined) fields.headers[name] = value;
  }
  delete fields.headers['x-oss-object-type'];
  // Tags follow x-oss-tagging-directive (Copy by default), not the metadata directive.
  delete fields.headers['x-oss-tagging'];
  const tagging =
    (request.headers['x-oss-tagging-directive'] ?? 'Copy').toLowerCase() === 'replace' ? request.headers['x-oss-tagging'] : original.headers['x-oss-tagging'];
  if (tagging) fields.headers['x-oss-tagging'] = tagging;
  // Streamed through storage (hashing on the way), never held whole in memory.
  const received = await receiveBytes(env, bodyOf(original).stream());
  fields.headers['content-md5'] = received.md5;
  const object = withVersion(objectFromBody(key, received, fields, env.now()), target);
  try {
    env.storage.putObject(target.name, object);
  } finally {
    received.discard();
  }
  return xmlResponse(
    'CopyObjectResult',
    { ETag: object.etag, LastModified: isoDate(object.lastModified) },
    200,
    { 'x-oss-hash-crc64ecma': object.crc64, ...sourceVersion, ...versionHeader(target, object) },
  );
};

export const objectCopyHandlers: Record<string, Handler> = { CopyObject: copyObject };
