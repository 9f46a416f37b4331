/**
 * Small pieces every handler group needs: lookups that fail the way OSS fails, XML answers, and
 * the header set that describes a stored object.
 */
import { createHash } from 'node:crypto';
import { Crc64, crc64 } from '../../integrity/crc64.js';
import { MAX_KEY_BYTES } from '../../defaults.js';
import type { BucketRecord, EmulatorEnv, EmulatorRequest, EmulatorResponse, ObjectBody, StoredObject } from '../context.js';
import { EmulatorError } from '../context.js';
import { MemoryBody, storedObject } from '../storage-body.js';
import { versionOf } from '../storage.js';
import { emptyVersionId, markerHeaders, markerNotAllowed, noSuchVersion } from './versioning.js';
import { type XmlValue, xmlDocument } from '../xml.js';

/** The single account the emulator pretends every key belongs to. */
export const OWNER = { ID: '1234567890123456', DisplayName: '1234567890123456' } as const;

/** OSS bucket names: 3–63 characters of a-z, 0-9 and `-`, not starting or ending with `-`. */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name);
}

/** Why OSS refuses a key, or undefined: 1–1023 bytes of UTF-8, not starting with `/` or `\`. */
export function keyProblem(key: string): string | undefined {
  const length = Buffer.byteLength(key, 'utf8');
  if (length < 1 || length > MAX_KEY_BYTES) return 'The Length of Object name must be less than 1024.';
  if (key.startsWith('/') || key.startsWith('\\')) return 'The object name can not start with / or \\.';
  return undefined;
}

/** Whether OSS accepts the key (see {@link keyProblem}). */
export function isValidKey(key: string): boolean {
  return keyProblem(key) === undefined;
}

export function noSuchBucket(bucket: string): EmulatorError {
  return new EmulatorError(404, 'NoSuchBucket', 'The specified bucket does not exist.', {
    BucketName: bucket,
    EC: '0015-00000101',
  });
}

export function noSuchKey(key: string, headers: Record<string, string> = {}): EmulatorError {
  return new EmulatorError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key, EC: '0026-00000001' }, headers);
}

/** The request's bucket record, or NoSuchBucket. */
export function requireBucket(request: EmulatorRequest, env: EmulatorEnv): BucketRecord {
  const name = request.bucket ?? '';
  const bucket = env.storage.getBucket(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

/**
 * A key's current version, or the version `versionId` names. NoSuchKey when there is none or the
 * current one is a delete marker (answered with the marker's headers); NoSuchVersion for an id no
 * version has; 405 for a delete marker named by id.
 */
export function findObject(env: EmulatorEnv, bucket: BucketRecord, key: string, versionId: string | undefined, method: string): StoredObject {
  if (versionId === '') throw emptyVersionId();
  const versions = env.storage.getVersions(bucket.name, key);
  if (versionId === undefined) {
    const current = versions[0];
    if (!current) throw noSuchKey(key);
    if (current.deleteMarker) throw noSuchKey(key, markerHeaders(current));
    return current;
  }
  const version = versions.find((v) => versionOf(v) === versionId);
  if (!version) throw noSuchVersion(key, versionId);
  if (version.deleteMarker) throw markerNotAllowed(method, version);
  return version;
}

/** The request's object (the version its `versionId` names, else the current one), after NoSuchBucket. */
export function requireObject(request: EmulatorRequest, env: EmulatorEnv): StoredObject {
  return findObject(env, requireBucket(request, env), request.key ?? '', request.query['versionId'], request.method);
}

/** A 200 answer with an XML document. */
export function xmlResponse(root: string, content: XmlValue, status = 200, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { 'Content-Type': 'application/xml', ...headers }, body: xmlDocument(root, content) };
}

export function malformedXml(): EmulatorError {
  return new EmulatorError(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.', {
    EC: '0016-00000608',
  });
}

/** Upper-case hex MD5 in quotes, the ETag OSS gives a simple upload. */
export function etagOf(data: Uint8Array): string {
  return `"${createHash('md5').update(data).digest('hex').toUpperCase()}"`;
}

export function md5Base64(data: Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}

/** Builds a stored object from bytes and the already-chosen descriptive fields. */
export function makeObject(
  key: string,
  data: Uint8Array,
  fields: Pick<StoredObject, 'contentType' | 'metadata' | 'headers'>,
  now: Date,
): StoredObject {
  return storedObject({ key, etag: etagOf(data), crc64: crc64(data), lastModified: now, ...fields }, new MemoryBody(data));
}

/** A body received into storage, with what was computed while it streamed. */
export interface ReceivedBody {
  body: ObjectBody;
  /** Base64 MD5, as in Content-MD5. */
  md5: string;
  /** Quoted upper-case hex MD5: the ETag of a simple upload. */
  etag: string;
  crc64: string;
  /** Drops the received bytes unless they were stored. */
  discard(): void;
}

/**
 * Streams bytes into a new storage body (a temporary file with a data directory), computing MD5
 * and CRC-64 on the way, so no object has to be held in memory. Bodies over `limit` (or the
 * emulator's `maxObjectSize`) are refused with EntityTooLarge. On failure nothing is left behind;
 * on success the caller stores the body or calls `discard()`.
 * @example const received = await receiveBytes(env, request.bodyStream());
 */
export async function receiveBytes(env: EmulatorEnv, source: AsyncIterable<Uint8Array>, limit?: number): Promise<ReceivedBody> {
  const writer = env.storage.createBodyWriter(limit);
  const md5 = createHash('md5');
  const crc = new Crc64();
  try {
    for await (const chunk of source) {
      md5.update(chunk);
      crc.update(chunk);
      await writer.write(chunk);
    }
    const body = await writer.finish();
    const digest = md5.digest();
    return {
      body,
      md5: digest.toString('base64'),
      etag: `"${digest.toString('hex').toUpperCase()}"`,
      crc64: crc.digest(),
      discard: () => writer.discard(),
    };
  } catch (error) {
    writer.discard();
    throw error;
  }
}

/** {@link receiveBytes} of the request body. */
export function receiveBody(request: EmulatorRequest, env: EmulatorEnv, limit?: number): Promise<ReceivedBody> {
  const source =
    request.bodyStream?.() ??
    (async function* () {
      yield await request.body();
    })();
  return receiveBytes(env, source, limit);
}

/** Builds a stored object from a received body and the already-chosen descriptive fields. */
export function objectFromBody(
  key: string,
  received: ReceivedBody,
  fields: Pick<StoredObject, 'contentType' | 'metadata' | 'headers'>,
  now: Date,
): StoredObject {
  return storedObject({ key, etag: received.etag, crc64: received.crc64, lastModified: now, ...fields }, received.body);
}

/** The RFC 1123 date OSS uses in Last-Modified, with whole seconds. */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

/** ISO 8601 with milliseconds, as in listings (`2012-02-24T08:42:32.000Z`). */
export function isoDate(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

/** The facts ListBuckets gives per bucket, which GetBucketInfo repeats (OSS API reference). */
export function bucketSummary(bucket: BucketRecord): Record<string, string> {
  return {
    CreationDate: isoDate(bucket.created),
    ExtranetEndpoint: `oss-${bucket.region}.aliyuncs.com`,
    IntranetEndpoint: `oss-${bucket.region}-internal.aliyuncs.com`,
    Location: `oss-${bucket.region}`,
    Name: bucket.name,
    Region: bucket.region,
    StorageClass: bucket.storageClass,
  };
}

/** Stored headers that are answered as they were sent. */
export const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
  'x-oss-storage-class',
  'x-oss-object-acl',
  'x-oss-server-side-encryption',
  'x-oss-server-side-encryption-key-id',
  'x-oss-server-side-data-encryption',
  'x-oss-tagging',
] as const;

/** Picks the descriptive fields of a new object from request headers (PutObject, CopyObject REPLACE). */
export function describeFromHeaders(headers: Record<string, string>): Pick<StoredObject, 'contentType' | 'metadata' | 'headers'> {
  const metadata: Record<string, string> = {};
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-oss-meta-')) metadata[name.slice('x-oss-meta-'.length)] = value;
  }
  for (const name of STORED_HEADERS) {
    const value = headers[name];
    if (value !== undefined) stored[name] = value;
  }
  return { contentType: headers['content-type'] || 'application/octet-stream', metadata, headers: stored };
}

/** Response headers describing an object (GetObject, HeadObject). */
export function objectHeaders(object: StoredObject): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': object.contentType,
    ETag: object.etag,
    'Last-Modified': httpDate(object.lastModified),
    'Accept-Ranges': 'bytes',
    'x-oss-object-type': object.headers['x-oss-object-type'] ?? (object.etag.includes('-') ? 'Multipart' : 'Normal'),
    'x-oss-storage-class': object.headers['x-oss-storage-class'] ?? 'Standard',
  };
  for (const [name, value] of Object.entries(object.headers)) {
    if (name === 'x-oss-tagging' || name === 'x-oss-object-acl') continue;
    if (!(name in headers)) headers[name] = value;
  }
  if (object.headers['x-oss-tagging']) {
    headers['x-oss-tagging-count'] = String(object.headers['x-oss-tagging'].split('&').filter(Boolean).length);
  }
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-oss-meta-${name}`] = value;
  return headers;
}

/** Whether a request's ETag condition value matches (quotes optional, case-insensitive, `*` matches all). */
export function etagMatches(condition: string, etag: string): boolean {
  const wanted = etag.replace(/"/g, '').toUpperCase();
  return condition.split(',').some((c) => {
    const v = c.trim().replace(/^W\//, '').replace(/"/g, '').toUpperCase();
    return v === '*' || v === wanted;
  });
}

/** Parses an HTTP date; undefined when absent or unparseable (OSS then ignores the condition). */
export function parseHttpDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Compares at whole-second precision, as HTTP dates carry no milliseconds. */
export function secondsOf(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
