/**
 * Reading objects: GetObject (ranges, conditions, response-* overrides), HeadObject, GetObjectMeta.
 */
import type { EmulatorEnv, EmulatorRequest, EmulatorResponse, Handler, StoredObject } from '../context.js';
import { EmulatorError } from '../context.js';
import { bodyOf } from '../storage-body.js';
import { etagMatches, httpDate, objectHeaders, parseHttpDate, requireBucket, requireObject, secondsOf } from './common.js';
import { checkReadable, restoreHeader } from './restore.js';
import { followSymlink } from './symlink.js';
import { versionHeader } from './versioning.js';

/** The `response-*` query parameters and the header each one overrides (GetObject only). */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'Content-Type',
  'response-content-language': 'Content-Language',
  'response-expires': 'Expires',
  'response-cache-control': 'Cache-Control',
  'response-content-disposition': 'Content-Disposition',
  'response-content-encoding': 'Content-Encoding',
};

/**
 * RFC 7232 order: If-Match, If-Unmodified-Since (only without If-Match), If-None-Match,
 * If-Modified-Since (only without If-None-Match). 412 is an error; 304 carries no body.
 */
export function checkConditions(
  headers: Record<string, string>,
  object: StoredObject,
  names = { match: 'if-match', noneMatch: 'if-none-match', modifiedSince: 'if-modified-since', unmodifiedSince: 'if-unmodified-since' },
): 'ok' | 'not-modified' {
  const modified = secondsOf(object.lastModified);
  const match = headers[names.match];
  const unmodifiedSince = parseHttpDate(headers[names.unmodifiedSince]);
  const failed = (condition: string) =>
    new EmulatorError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.', {
      Condition: condition,
      EC: '0026-00000010',
    });
  if (match !== undefined) {
    if (!etagMatches(match, object.etag)) throw failed(names.match);
  } else if (unmodifiedSince && modified > secondsOf(unmodifiedSince)) {
    throw failed(names.unmodifiedSince);
  }
  const noneMatch = headers[names.noneMatch];
  const modifiedSince = parseHttpDate(headers[names.modifiedSince]);
  if (noneMatch !== undefined) {
    if (etagMatches(noneMatch, object.etag)) return 'not-modified';
  } else if (modifiedSince && modified <= secondsOf(modifiedSince)) {
    return 'not-modified';
  }
  return 'ok';
}

/** An inclusive byte range. */
interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses `Range: bytes=…` against a size. OSS ignores a malformed or unsatisfiable range and sends
 * the whole object (200) unless `x-oss-range-behavior: standard`, which clamps an end past the size
 * and answers 416 InvalidRange when the start is past it. Only the first of several ranges is used.
 */
export function parseRange(header: string | undefined, size: number, standard: boolean): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const invalid = (): undefined => {
    if (standard) {
      throw new EmulatorError(416, 'InvalidRange', 'The requested range cannot be satisfied', {
        RangeRequested: header,
        ActualObjectSize: String(size),
        EC: '0026-00000002',
      });
    }
    return undefined;
  };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return invalid();
    if (suffix > size) return standard ? { start: 0, end: size - 1 } : undefined;
    return { start: size - suffix, end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  if (start >= size) return invalid();
  if (end < start) return standard ? invalid() : undefined;
  if (end >= size) return standard ? { start, end: size - 1 } : undefined;
  return { start, end };
}

function readObject(request: EmulatorRequest, env: EmulatorEnv, read: ObjectRead, withBody: boolean): EmulatorResponse {
  const { object } = read;
  const headers = { ...objectHeaders(object), ...read.version };
  const restore = restoreHeader(object, env);
  if (restore) headers['x-oss-restore'] = restore;
  if (checkConditions(request.headers, object) === 'not-modified') {
    return { status: 304, headers: { ETag: object.etag, 'Last-Modified': headers['Last-Modified']! } };
  }
  const body = bodyOf(object);
  const size = body.size;
  const range = parseRange(request.headers['range'], size, request.headers['x-oss-range-behavior'] === 'standard');
  if (request.method === 'GET') {
    for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
      const value = request.query[param];
      if (value !== undefined) {
        delete headers[header.toLowerCase()];
        headers[header] = value;
      }
    }
  }
  if (range) {
    // A part of the object: its CRC and MD5 describe the whole, so they are not sent.
    delete headers['content-md5'];
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
    return { status: 206, headers, body: withBody ? { body, start: range.start, end: range.end + 1 } : undefined };
  }
  headers['x-oss-hash-crc64ecma'] = object.crc64;
  headers['Content-Length'] = String(size);
  return { status: 200, headers, body: withBody ? { body, start: 0, end: size } : undefined };
}

interface ObjectRead {
  /** What the answer describes: the target of a symlink, else the object itself. */
  object: StoredObject;
  /** `x-oss-version-id` of the version read (the link's, for a symlink). */
  version: Record<string, string>;
}

function objectToRead(request: EmulatorRequest, env: EmulatorEnv): ObjectRead {
  const bucket = requireBucket(request, env);
  const stored = requireObject(request, env);
  return { object: followSymlink(env, bucket.name, stored), version: versionHeader(bucket, stored) };
}

const getObject: Handler = async (request, env) => {
  const read = objectToRead(request, env);
  checkReadable(read.object, env);
  return readObject(request, env, read, true);
};

/** HEAD also answers for an archived object that is not restored (its `x-oss-restore` says how far it is). */
const headObject: Handler = async (request, env) => readObject(request, env, objectToRead(request, env), false);

/** GetObjectMeta (`?objectMeta`): the basic facts only, no user metadata. */
const getObjectMeta: Handler = async (request, env) => {
  const object = requireObject(request, env);
  return {
    status: 200,
    headers: {
      ...versionHeader(requireBucket(request, env), object),
      ETag: object.etag,
      'Content-Length': String(bodyOf(object).size),
      'Last-Modified': httpDate(object.lastModified),
      'x-oss-last-access-time': httpDate(object.lastModified),
      'x-oss-hash-crc64ecma': object.crc64,
    },
  };
};

export const objectReadHandlers: Record<string, Handler> = {
  GetObject: getObject,
  HeadObject: headObject,
  GetObjectMeta: getObjectMeta,
};
