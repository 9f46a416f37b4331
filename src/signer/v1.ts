/**
 * OSS signature V1 (HMAC-SHA1): Authorization header and presigned URL (SIGNING.md §1–2).
 * Pure functions: the clock is an argument, nothing here does I/O.
 */
import type { Credentials } from '../credentials.js';
import { invalidArgument } from '../errors.js';
import { hmacSha1, toBase64 } from '../hash.js';
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
  const oss = [...normalizeHeaders(headers)].filter(([name]) => name.startsWith('x-oss-'));
  oss.sort((a, b) => byteOrder(a[0], b[0]));
  return oss.map(([name, value]) => `${name}:${value}\n`).join('');
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
  const keys = Object.keys(request.query).filter(isV1SubResource).sort(byteOrder);
  if (keys.length === 0) return resource;
  const pairs = keys.map((k) => {
    const value = request.query[k];
    return value === undefined || value === '' ? k : `${k}=${value}`;
  });
  return `${resource}?${pairs.join('&')}`;
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
  return now.toUTCString();
}

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
  // Browsers cannot set Date, so x-oss-date carries the time and is itself the Date line (§1.3).
  let dateLine = findHeader(request.headers, 'x-oss-date') ?? findHeader(request.headers, 'date');
  if (dateLine === undefined) {
    dateLine = formatRfc1123(options.now);
    added['x-oss-date'] = dateLine;
  }
  if (credentials.securityToken && findHeader(request.headers, 'x-oss-security-token') === undefined) {
    added['x-oss-security-token'] = credentials.securityToken;
  }
  const signed: SigningRequest = { ...request, headers: { ...request.headers, ...added } };
  const signature = signatureV1(credentials.accessKeySecret, stringToSignV1(signed, dateLine.trim()));
  added['authorization'] = `OSS ${credentials.accessKeyId}:${signature}`;
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
