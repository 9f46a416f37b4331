/**
 * The object facts a GET/HEAD answer carries. Header and query helpers that every command group
 * uses (`defined`, `lowerCaseHeaders`, `metadataHeaders`, `conditionHeaders`, …) are in ../shared.ts.
 */
import { decodeHeaderValue } from '../../header-value.js';
import { requestIdOf } from '../shared.js';
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

/** `x-oss-meta-*` values, UTF-8 text decoded (it travels as raw bytes, see header-value.ts). */
export function readMetadata(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith('x-oss-meta-')) out[name.slice('x-oss-meta-'.length)] = decodeHeaderValue(value);
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
