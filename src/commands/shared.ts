/**
 * Request and response helpers every command group shares (object, multipart, bucket): header and
 * query maps, and the facts read from any answer. XML reading lives in src/commands/xml.ts.
 */
import { readBody } from '../pipeline/body.js';
import { encodePath, rfc3986Encode } from '../signer/encode.js';
import { validateBucketName, validateKey } from './validate.js';
import { child, text, type XmlNode } from './xml.js';
import type { BaseOutput, HttpResponse } from './types.js';

/** Conditions for GET/HEAD (`If-Match` …), or for a copy's source (`x-oss-copy-source-if-*`). */
export interface ObjectConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

/** Drops undefined values so query and header maps hold only what was set. */
export function defined(entries: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(entries)) if (value !== undefined) out[name] = value;
  return out;
}

/** Caller headers with lower-case names (names are case-insensitive). */
export function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = String(value);
  return out;
}

/** `{ author: 'me' }` → `{ 'x-oss-meta-author': 'me' }`. */
export function metadataHeaders(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata ?? {})) out[`x-oss-meta-${name.toLowerCase()}`] = String(value);
  return out;
}

/**
 * The headers an object write takes from its own fields, beside `headers` and `metadata`:
 * Content-Type, storage class and ACL (append and symlink writes share them).
 */
export function objectWriteHeaders(input: {
  headers?: Record<string, string>;
  metadata?: Record<string, string>;
  contentType?: string;
  storageClass?: string;
  acl?: string;
}): Record<string, string> {
  return {
    ...lowerCaseHeaders(input.headers),
    ...metadataHeaders(input.metadata),
    ...defined({ 'content-type': input.contentType, 'x-oss-storage-class': input.storageClass, 'x-oss-object-acl': input.acl }),
  };
}

/** A date header value: a Date as an HTTP date, a string as given. */
export function httpDate(value: Date | string | undefined): string | undefined {
  return value instanceof Date ? value.toUTCString() : value;
}

/**
 * Conditional headers; `prefix` is `''` for GET/HEAD or `x-oss-copy-source-` for CopyObject and
 * UploadPartCopy. Dates may also be given already formatted.
 */
export function conditionHeaders(
  conditions: Omit<ObjectConditions, 'ifModifiedSince' | 'ifUnmodifiedSince'> & {
    ifModifiedSince?: Date | string;
    ifUnmodifiedSince?: Date | string;
  },
  prefix = '',
): Record<string, string> {
  return defined({
    [`${prefix}if-match`]: conditions.ifMatch,
    [`${prefix}if-none-match`]: conditions.ifNoneMatch,
    [`${prefix}if-modified-since`]: httpDate(conditions.ifModifiedSince),
    [`${prefix}if-unmodified-since`]: httpDate(conditions.ifUnmodifiedSince),
  });
}

/** The object a copy reads from (CopyObject, UploadPartCopy). */
export interface CopySource {
  bucket: string;
  key: string;
  versionId?: string;
}

/**
 * The `x-oss-copy-source` value: `/<bucket>/<key>[?versionId=<id>]`, the key RFC 3986-encoded with
 * `/` kept, as the official Go v2 SDK writes it (`encodeSourceObject` → `escapePath(key, false)`).
 * OSS decodes the key, so the ali-oss form (`encodeURIComponent` of the whole key, `/` → `%2F`)
 * names the same object.
 * Refuses an invalid bucket name or key before anything is sent.
 *
 * @example
 * copySourceHeader({ bucket: 'src', key: 'dir/a b+c.txt' }); // '/src/dir/a%20b%2Bc.txt'
 */
export function copySourceHeader(source: CopySource): string {
  validateBucketName(source.bucket);
  validateKey(source.key);
  const path = `/${source.bucket}/${encodePath(source.key)}`;
  return source.versionId ? `${path}?versionId=${rfc3986Encode(source.versionId)}` : path;
}

export function requestIdOf(response: HttpResponse): string {
  return response.headers['x-oss-request-id'] ?? '';
}

/** An answer about one object version. */
export interface VersionedOutput extends BaseOutput {
  /** The version written, read or removed (`x-oss-version-id`; versioned buckets only, `null` for the null version). */
  versionId?: string;
}

/** `{ requestId, versionId? }` from an answer's headers. */
export function versionedOutput(response: HttpResponse): VersionedOutput {
  const versionId = response.headers['x-oss-version-id'];
  return { requestId: requestIdOf(response), ...(versionId ? { versionId } : {}) };
}

/** What every write answer carries in its headers: the ETag (quoted, as sent), the CRC-64 and the version when present. */
export interface WriteResult extends VersionedOutput {
  etag: string;
  crc64?: string;
}

/** `{ requestId, etag, crc64?, versionId? }` from the headers of a PutObject, UploadPart, … answer. */
export function writeResultOf(response: HttpResponse): WriteResult {
  const crc64 = response.headers['x-oss-hash-crc64ecma'];
  return { ...versionedOutput(response), etag: response.headers['etag'] ?? '', ...(crc64 ? { crc64 } : {}) };
}

/** The whole answer body as UTF-8 (`''` when there is none). */
export async function responseText(response: HttpResponse): Promise<string> {
  return new TextDecoder().decode(await readBody(response));
}

/** An `<Owner>` child of `node` as `{ id, displayName }`, or undefined when there is none. */
export function readOwner(node: XmlNode | undefined): { id: string; displayName: string } | undefined {
  const owner = child(node, 'Owner');
  return owner && { id: text(owner, 'ID') ?? '', displayName: text(owner, 'DisplayName') ?? '' };
}

/**
 * Copies optional text fields into `target`: for each `[field, tag]`, `read(tag)` when it is
 * non-empty (empty and absent elements leave the field unset).
 */
export function assignTexts<K extends string>(
  target: Partial<Record<K, string>>,
  pairs: readonly (readonly [K, string])[],
  read: (tag: string) => string | undefined,
): void {
  for (const [field, tag] of pairs) {
    const value = read(tag);
    if (value) target[field] = value;
  }
}
