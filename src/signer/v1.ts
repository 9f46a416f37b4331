/**
 * OSS signature V1 (HMAC-SHA1): Authorization header and presigned URL (docs/protocol.md).
 * Pure functions: the clock is an argument, nothing here does I/O.
 */
import type { Credentials } from '../credentials/credentials.js';
import { invalidArgument } from '../errors.js';
import { hmacSha1, toBase64 } from '../integrity/hash.js';
import { byteOrder, findHeader, normalizeHeaders } from './headers.js';
import { isV1SubResource } from './subresources.js';
import type { PresignV1Options, SignV1Options, SigningRequest } from './types.js';

/** The parts of a request that the V1 CanonicalizedResource depends on. */
export type ResourceV1Request = Pick<SigningRequest, 'bucket' | 'key' | 'query'>;

/**
 * CanonicalizedOSSHeaders (§1.4): every `x-oss-*` header, lower-cased, trimmed, byte-sorted,
 * each line `name:value\n`; empty when there are none.
 * @example canonicalizedOssHeadersV1({ 'x-oss-meta-a': '1', 'x-oss-acl': 'private' })
 * // 'x-oss-acl:private\nx-oss-meta-a:1\n'
 */
export function canonicalizedOssHeadersV1(headers: Readonly<Record<string, string>>): string {
  return ossHeaderLines(normalizeHeaders(headers));
}

/** The §1.4 lines from already normalized headers (signV1 normalizes once for all its lookups). */
function ossHeaderLines(normalized: ReadonlyMap<string, string>): string {
  const names: string[] = [];
  for (const name of normalized.keys()) if (name.startsWith('x-oss-')) names.push(name);
  if (names.length === 0) return '';
  names.sort(byteOrder);
  let out = '';
  for (const name of names) out += `${name}:${normalized.get(name)!}\n`;
  return out;
}

/**
 * CanonicalizedResource (§1.5): `/bucket/key` with the raw (unencoded) key, plus the allow-listed
 * sub-resources byte-sorted, raw values, empty value ⇒ bare key.
 * @example canonicalizedResourceV1({ bucket: 'b', key: 'a b', query: { uploadId: 'u', prefix: 'x' } })
 * // '/b/a b?uploadId=u'
 */
export function canonicalizedResourceV1(request: ResourceV1Request): string {
  let resource = '/';
  if (request.bucket) resource += `${request.bucket}/${request.key ?? ''}`;
  let keys: string[] | undefined;
  for (const name in request.query) {
    if (Object.hasOwn(request.query, name) && isV1SubResource(name)) (keys ??= []).push(name);
  }
  if (keys === undefined) return resource;
  keys.sort(byteOrder);
  let sep = '?';
  for (const k of keys) {
    const value = request.query[k];
    resource += value === undefined || value === '' ? `${sep}${k}` : `${sep}${k}=${value}`;
    sep = '&';
  }
  return resource;
}

/**
 * StringToSign (§1.2). `dateLine` is the RFC 1123 date (header mode) or the decimal Expires
 * (presigned URL mode).
 * @example stringToSignV1({ method: 'GET', bucket: 'b', query: { acl: '' }, headers: {} }, 'Wed, 28 Dec 2022 10:27:41 GMT')
 * // 'GET\n\n\nWed, 28 Dec 2022 10:27:41 GMT\n/b/?acl'
 */
export function stringToSignV1(request: SigningRequest, dateLine: string): string {
  const md5 = findHeader(request.headers, 'content-md5') ?? '';
  const type = findHeader(request.headers, 'content-type') ?? '';
  return (
    `${request.method.toUpperCase()}\n${md5.trim()}\n${type.trim()}\n${dateLine}\n` +
    canonicalizedOssHeadersV1(request.headers) +
    canonicalizedResourceV1(request)
  );
}

/**
 * base64(HMAC-SHA1(secret, stringToSign)) — 28 characters (§1.1).
 * @example signatureV1('OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV', stringToSign)
 */
export function signatureV1(secret: string, stringToSign: string): string {
  return toBase64(hmacSha1(secret, stringToSign));
}

/** The RFC 1123 form used in the Date line (§1.3), e.g. `Wed, 28 Dec 2022 10:27:41 GMT`. */
export function formatRfc1123(now: Date): string {
  // The line changes once a second; requests in the same second reuse it (toUTCString allocates).
  const second = Math.floor(now.getTime() / 1000);
  if (second !== lastSecond || lastLine === '') {
    lastLine = now.toUTCString();
    lastSecond = second;
  }
  return lastLine;
}

let lastSecond = Number.NaN;
let lastLine = '';

/**
 * Signs a request in V1 header mode and returns the headers to add: `x-oss-date` (unless the
 * request already carries `x-oss-date` or `date`, whose value is then the Date line, §1.3),
 * `x-oss-security-token` for STS credentials (§1.7) and `authorization`.
 *
 * @example
 * const added = signV1({ method: 'GET', bucket: 'b', key: 'k', query: {}, headers: {} }, creds, { now: new Date() });
 * Object.assign(request.headers, added);
 */
export function signV1(
  request: SigningRequest,
  credentials: Credentials,
  options: SignV1Options,
): Record<string, string> {
  const added: Record<string, string> = {};
  // One normalized copy serves every lookup below; the request's own headers are not copied.
  const headers = normalizeHeaders(request.headers);
  // Browsers cannot set Date, so x-oss-date carries the time and is itself the Date line (§1.3).
  let dateLine = findHeader(request.headers, 'x-oss-date') ?? findHeader(request.headers, 'date');
  if (dateLine === undefined) {
    dateLine = formatRfc1123(options.now);
    added['x-oss-date'] = dateLine;
    headers.set('x-oss-date', dateLine);
  }
  if (credentials.securityToken && !headers.has('x-oss-security-token')) {
    added['x-oss-security-token'] = credentials.securityToken;
    headers.set('x-oss-security-token', credentials.securityToken.trim());
  }
  const md5 = findHeader(request.headers, 'content-md5') ?? '';
  const type = findHeader(request.headers, 'content-type') ?? '';
  const stringToSign =
    `${request.method.toUpperCase()}\n${md5.trim()}\n${type.trim()}\n${dateLine.trim()}\n` +
    ossHeaderLines(headers) +
    canonicalizedResourceV1(request);
  added['authorization'] = `OSS ${credentials.accessKeyId}:${signatureV1(credentials.accessKeySecret, stringToSign)}`;
  return added;
}

/**
 * Presigns a request in V1 (§2) and returns the query parameters to add: `OSSAccessKeyId`,
 * `Expires` (absolute Unix seconds), `Signature` and, for STS, `security-token` (a signed
 * sub-resource). Values are raw; the caller percent-encodes them into the URL. Headers the request
 * carries (Content-Type, Content-MD5, x-oss-*) are signed and must be sent by the URL's user.
 *
 * @example
 * const q = presignV1({ method: 'GET', bucket: 'b', key: 'k', query: {}, headers: {} }, creds, { now, expires: 900 });
 */
export function presignV1(
  request: SigningRequest,
  credentials: Credentials,
  options: PresignV1Options,
): Record<string, string> {
  if (!Number.isSafeInteger(options.expires) || options.expires < 1) {
    throw invalidArgument('Presign expires must be a positive whole number of seconds');
  }
  const expires = String(Math.floor(options.now.getTime() / 1000) + options.expires);
  const query: Record<string, string> = { ...request.query };
  if (credentials.securityToken) query['security-token'] = credentials.securityToken;
  const stringToSign = stringToSignV1({ ...request, query }, expires);
  const added: Record<string, string> = {
    OSSAccessKeyId: credentials.accessKeyId,
    Expires: expires,
    Signature: signatureV1(credentials.accessKeySecret, stringToSign),
  };
  if (credentials.securityToken) added['security-token'] = credentials.securityToken;
  return added;
}
