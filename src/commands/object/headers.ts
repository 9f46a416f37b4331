/**
 * Header mapping shared by the object commands (and usable by multipart ones): user metadata,
 * caller headers, the object facts a GET/HEAD answer carries, and conditional request headers.
 */
import type { BaseOutput, HttpResponse } from '../types.js';

/** Facts about an object, as GetObject and HeadObject report them. */
export interface ObjectHead extends BaseOutput {
  contentLength: number;
  contentType: string;
  /** Quoted, as OSS sends it: `"5EB63BBBE01EEED093CB22BB8F5ACDC3"`. */
  etag: string;
  lastModified: Date;
  /** User metadata (`x-oss-meta-*`) without the prefix, lower-case names. */
  metadata: Record<string, string>;
  /** Decimal CRC-64 (`x-oss-hash-crc64ecma`). */
  crc64?: string;
  storageClass?: string;
  objectType?: string;
  versionId?: string;
  /** All response headers, lower-case names. */
  headers: Record<string, string>;
}

/** Conditions for GET/HEAD (`If-Match` …). */
export interface ObjectConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

export function requestIdOf(response: HttpResponse): string {
  return response.headers['x-oss-request-id'] ?? '';
}

/** `{ author: 'me' }` → `{ 'x-oss-meta-author': 'me' }`. */
export function metadataHeaders(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata ?? {})) out[`x-oss-meta-${name.toLowerCase()}`] = String(value);
  return out;
}

/** Caller headers with lower-case names (names are case-insensitive, CONTRACT.md). */
export function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = String(value);
  return out;
}

/** Drops undefined values. */
export function defined(entries: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(entries)) if (value !== undefined) out[name] = value;
  return out;
}

/** Conditional headers; `prefix` is `''` for GET/HEAD or `x-oss-copy-source-` for CopyObject. */
export function conditionHeaders(conditions: ObjectConditions, prefix = ''): Record<string, string> {
  return defined({
    [`${prefix}if-match`]: conditions.ifMatch,
    [`${prefix}if-none-match`]: conditions.ifNoneMatch,
    [`${prefix}if-modified-since`]: conditions.ifModifiedSince?.toUTCString(),
    [`${prefix}if-unmodified-since`]: conditions.ifUnmodifiedSince?.toUTCString(),
  });
}

export function readMetadata(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-oss-meta-')) out[name.slice('x-oss-meta-'.length)] = value;
  }
  return out;
}

export function readObjectHead(response: HttpResponse): ObjectHead {
  const h = response.headers;
  const head: ObjectHead = {
    requestId: requestIdOf(response),
    contentLength: Number(h['content-length'] ?? 0),
    contentType: h['content-type'] ?? '',
    etag: h['etag'] ?? '',
    lastModified: new Date(h['last-modified'] ?? 0),
    metadata: readMetadata(h),
    headers: h,
  };
  if (h['x-oss-hash-crc64ecma']) head.crc64 = h['x-oss-hash-crc64ecma'];
  if (h['x-oss-storage-class']) head.storageClass = h['x-oss-storage-class'];
  if (h['x-oss-object-type']) head.objectType = h['x-oss-object-type'];
  if (h['x-oss-version-id']) head.versionId = h['x-oss-version-id'];
  return head;
}
