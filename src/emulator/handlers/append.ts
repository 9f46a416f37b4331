/**
 * AppendObject: `POST /key?append&position=N`. The first append (position 0) creates an
 * Appendable object with the request's headers; each later one must start where the object ends
 * (else 409 PositionNotEqualToLength with the right position in `x-oss-next-append-position`).
 * The answer's CRC-64 describes the whole object, continued from the previous one.
 */
import { combineCrc64, crc64 } from '../../integrity/crc64.js';
import type { Handler, StoredObject } from '../context.js';
import { EmulatorError } from '../context.js';
import { bodyOf } from '../storage-body.js';
import { describeFromHeaders, etagOf, md5Base64, requireBucket } from './common.js';
import { checkContentMd5, checkObjectHeaders, invalidHeader } from './object-checks.js';
import { checkTaggingHeader } from './object-tagging.js';
import { versionHeader, withVersion } from './versioning.js';

const NEXT_POSITION = 'x-oss-next-append-position';

/** The object after appending `chunk` (the one place data is concatenated). */
export function appendData(object: StoredObject, chunk: Uint8Array, now: Date): StoredObject {
  const data = new Uint8Array(object.data.length + chunk.length);
  data.set(object.data, 0);
  data.set(chunk, object.data.length);
  return {
    ...object,
    data,
    etag: etagOf(data),
    crc64: combineCrc64(object.crc64, crc64(chunk), chunk.length),
    lastModified: now,
  };
}

const appendObject: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const key = request.key ?? '';
  const positionText = request.query['position'];
  if (positionText === undefined) {
    throw new EmulatorError(400, 'InvalidArgument', 'The position parameter is missing.', { ArgumentName: 'position', EC: '0016-00000501' });
  }
  if (!/^\d{1,15}$/.test(positionText)) invalidHeader('position', positionText, 'The position is not a valid non-negative integer.');
  if (request.query['versionId'] !== undefined) {
    throw new EmulatorError(400, 'InvalidArgument', 'AppendObject does not take a versionId.', { ArgumentName: 'versionId', EC: '0016-00000504' });
  }
  const position = Number(positionText);
  const existing = env.storage.getObject(bucket.name, key);
  if (existing && existing.headers['x-oss-object-type'] !== 'Appendable') {
    throw new EmulatorError(409, 'ObjectNotAppendable', 'The object is not appendable');
  }
  const length = existing ? bodyOf(existing).size : 0;
  if (position !== length) {
    throw new EmulatorError(409, 'PositionNotEqualToLength', 'Position is not equal to file length', {}, { [NEXT_POSITION]: String(length) });
  }
  const chunk = await request.body();
  checkContentMd5(request.headers, chunk);
  let base = existing;
  if (!base) {
    checkObjectHeaders(request.headers);
    checkTaggingHeader(request.headers);
    const fields = describeFromHeaders(request.headers);
    const empty = new Uint8Array(0);
    base = { key, data: empty, etag: etagOf(empty), crc64: '0', lastModified: env.now(), ...fields };
    base.headers = { ...base.headers, 'x-oss-object-type': 'Appendable' };
  }
  const object = appendData(base, chunk, env.now());
  // Appending changes the current version in place (OSS keeps no version per append); the first
  // append makes a new version.
  if (existing) env.storage.updateObject(bucket.name, object);
  else env.storage.putObject(bucket.name, withVersion(object, bucket));
  return {
    status: 200,
    headers: {
      ETag: object.etag,
      [NEXT_POSITION]: String(bodyOf(object).size),
      'x-oss-hash-crc64ecma': object.crc64,
      'Content-MD5': md5Base64(chunk),
      ...versionHeader(bucket, object),
    },
  };
};

export const appendHandlers: Record<string, Handler> = { AppendObject: appendObject };
