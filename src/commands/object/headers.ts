/**
 * The object facts a GET/HEAD answer carries. Header and query helpers that every command group
 * uses (`defined`, `lowerCaseHeaders`, `metadataHeaders`, `conditionHeaders`, …) are in ../shared.ts.
 */
import { decodeHeaderValue } from '../../pipeline/header-value.js';
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
  /** `Standard`, `IA`, `Archive`, `ColdArchive`, `DeepColdArchive`. */
  storageClass?: string;
  /** `Normal`, `Multipart`, `Appendable` or `Symlink` (also when read through a link). */
  objectType?: string;
  versionId?: string;
  /** Base64 MD5 of the whole object (`Content-MD5`; simple uploads only). */
  contentMd5?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  /** The `Expires` header as stored (an HTTP date string). */
  expires?: string;
  /** `AES256`, `KMS` or `SM4` (`x-oss-server-side-encryption`). */
  serverSideEncryption?: string;
  /** The KMS key id when `serverSideEncryption` is `KMS`. */
  serverSideEncryptionKeyId?: string;
  /** The data encryption algorithm under KMS (`x-oss-server-side-data-encryption`). */
  serverSideDataEncryption?: string;
  /** How many tags the object has (`x-oss-tagging-count`). */
  taggingCount?: number;
  /** Archive objects: a restore under way (`ongoing`), or done and readable until `expiryDate` (`x-oss-restore`). */
  restore?: { ongoing: boolean; expiryDate?: Date };
  /** When a lifecycle rule will expire the object (`x-oss-expiration`, as sent). */
  expiration?: string;
  /** All response headers, lower-case names. */
  headers: Record<string, string>;
}

/** `ongoing-request="false", expiry-date="Sun, 16 Apr 2017 08:12:33 GMT"` → its two facts. */
export function parseRestore(value: string): { ongoing: boolean; expiryDate?: Date } {
  const ongoing = /ongoing-request\s*=\s*"?true"?/i.test(value);
  const expiry = /expiry-date\s*=\s*"([^"]*)"/i.exec(value)?.[1];
  const date = expiry ? new Date(expiry) : undefined;
  return date && !Number.isNaN(date.getTime()) ? { ongoing, expiryDate: date } : { ongoing };
}

/** Optional string fields and the header each comes from. */
const STRING_FIELDS = [
  ['crc64', 'x-oss-hash-crc64ecma'],
  ['storageClass', 'x-oss-storage-class'],
  ['objectType', 'x-oss-object-type'],
  ['versionId', 'x-oss-version-id'],
  ['contentMd5', 'content-md5'],
  ['cacheControl', 'cache-control'],
  ['contentDisposition', 'content-disposition'],
  ['contentEncoding', 'content-encoding'],
  ['contentLanguage', 'content-language'],
  ['expires', 'expires'],
  ['serverSideEncryption', 'x-oss-server-side-encryption'],
  ['serverSideEncryptionKeyId', 'x-oss-server-side-encryption-key-id'],
  ['serverSideDataEncryption', 'x-oss-server-side-data-encryption'],
  ['expiration', 'x-oss-expiration'],
] as const satisfies readonly (readonly [keyof ObjectHead, string])[];

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
  for (const [field, header] of STRING_FIELDS) {
    const value = h[header];
    if (value) head[field] = value;
  }
  const count = Number(h['x-oss-tagging-count']);
  if (h['x-oss-tagging-count'] && Number.isSafeInteger(count)) head.taggingCount = count;
  if (h['x-oss-restore']) head.restore = parseRestore(h['x-oss-restore']);
  return head;
}
