/**
 * OSS signature V4 (OSS4-HMAC-SHA256): canonical request, string to sign, signature, and the
 * header and presigned-URL forms (docs/protocol.md). Pure: the clock is an argument.
 */
import type { Credentials } from '../credentials/credentials.js';
import { MAX_V4_EXPIRES } from '../defaults.js';
import { invalidArgument } from '../errors.js';
import { hmacSha256Hex, sha256Hex } from '../integrity/hash.js';
import { encodePath, rfc3986Encode } from './encode.js';
import { byteOrder, findHeader, normalizeHeaders } from './headers.js';
import { signingKeyV4, signingScopeFor } from './signing-key.js';
import type { PresignV4Options, SignV4Options, SigningRequest } from './types.js';

export const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const TERMINATOR = 'aliyun_v4_request';
const ISO_DATE = /^\d{8}T\d{6}Z$/;

/** Signed by default, so never listed as additional headers (§3.3). */
function isDefaultSigned(name: string): boolean {
  return name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-');
}

function isSigned(name: string, additionalHeaders: readonly string[]): boolean {
  return isDefaultSigned(name) || (additionalHeaders.length > 0 && additionalHeaders.includes(name));
}

/**
 * `yyyymmddTHHMMSSZ` in UTC (§3.2).
 * @example formatIsoDate(new Date('2023-12-16T16:20:57Z')) // '20231216T162057Z'
 */
export function formatIsoDate(now: Date): string {
  // The stamp changes once a second; requests in the same second reuse it (as v1.ts does for its
  // Date line): toISOString and two regex replacements allocate on every signed request otherwise.
  const second = Math.floor(now.getTime() / 1000);
  if (second !== lastIsoSecond || lastIsoDate === '') {
    lastIsoDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    lastIsoSecond = second;
  }
  return lastIsoDate;
}

let lastIsoSecond = Number.NaN;
let lastIsoDate = '';

/**
 * CanonicalURI (§3.3): RFC 3986-encoded `/bucket/key`, keeping `/`.
 * @example canonicalUriV4({ bucket: 'b', key: 'a b+c.txt' }) // '/b/a%20b%2Bc.txt'
 */
export function canonicalUriV4(request: Pick<SigningRequest, 'bucket' | 'key'>): string {
  // Encoded in two parts (the same result: encoding goes character by character) so the key's own
  // encoding is the one the URL path reuses.
  return request.bucket ? encodePath(`/${request.bucket}/`) + encodePath(request.key ?? '') : '/';
}

/**
 * CanonicalQueryString (§3.3): every parameter, both sides RFC 3986-encoded, sorted by the encoded
 * key in byte order, empty value ⇒ bare key. With `added` (names `x-oss-*`, which need no
 * encoding) it is the query merged with those, whose entries win as in `{ ...query, ...added }`,
 * without building the merged object: presigning signs its own parameters this way.
 * @example canonicalQueryV4({ uploads: '', 'max-keys': '10' }) // 'max-keys=10&uploads'
 */
export function canonicalQueryV4(query: Readonly<Record<string, string>>, added?: Readonly<Record<string, string>>): string {
  // Runs on every signed request (bench/signer.mjs): encoded pairs go straight into sorted parallel
  // arrays, no tuple or merged object per request.
  const names: string[] = [];
  const values: string[] = [];
  for (const key in query) {
    if (!Object.hasOwn(query, key) || (added !== undefined && Object.hasOwn(added, key))) continue;
    const value = query[key];
    if (value === undefined || value === null) continue;
    insertSorted(names, values, rfc3986Encode(key), rfc3986Encode(String(value)));
  }
  if (added !== undefined) {
    for (const key in added) insertSorted(names, values, key, rfc3986Encode(added[key]!));
  }
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const value = values[i]!;
    out += (i === 0 ? '' : '&') + (value === '' ? names[i]! : `${names[i]!}=${value}`);
  }
  return out;
}

/**
 * Inserts a pair keeping `names` byte-sorted (ties by value). Insertion sort: a request has a
 * handful of parameters or headers, and this needs neither tuples nor a comparator.
 */
function insertSorted(names: string[], values: string[], name: string, value: string): void {
  let i = names.length;
  while (i > 0 && (names[i - 1]! > name || (names[i - 1] === name && values[i - 1]! > value))) {
    names[i] = names[i - 1]!;
    values[i] = values[i - 1]!;
    i--;
  }
  names[i] = name;
  values[i] = value;
}

/**
 * Normalises the additional-header list (§3.3): lower-case, drop default-signed names and names
 * the request does not carry, de-duplicate, byte-sort.
 * @example normalizeAdditionalHeaders(['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'], { abc: '1', zabc: '2' })
 * // ['abc', 'zabc']
 */
export function normalizeAdditionalHeaders(
  names: readonly string[] | undefined,
  headers: Readonly<Record<string, string>>,
): string[] {
  if (!names || names.length === 0) return [];
  const present = normalizeHeaders(headers);
  const kept = new Set<string>();
  for (const name of names) {
    const lower = name.trim().toLowerCase();
    if (lower && !isDefaultSigned(lower) && present.has(lower)) kept.add(lower);
  }
  return [...kept].sort(byteOrder);
}

/**
 * CanonicalHeaders (§3.3): `x-oss-*`, content-type, content-md5 and the (normalised) additional
 * headers; lower-case, trimmed, byte-sorted, each line `name:value\n`. `added` are headers the
 * request does not carry in any case (those signV4 adds), signed without building a merged object.
 * @example canonicalHeadersV4({ 'x-oss-date': '20231216T162057Z', host: 'h' }, ['host'])
 * // 'host:h\nx-oss-date:20231216T162057Z\n'
 */
export function canonicalHeadersV4(
  headers: Readonly<Record<string, string>>,
  additionalHeaders: readonly string[] = [],
  added?: Readonly<Record<string, string>>,
): string {
  const names: string[] = [];
  const values: string[] = [];
  if (lowerCaseNames(headers)) {
    // The usual case: no two names can differ only in case, so nothing to merge.
    for (const name in headers) {
      if (!Object.hasOwn(headers, name)) continue;
      const value = headers[name];
      if (value === undefined || value === null || !isSigned(name, additionalHeaders)) continue;
      insertSorted(names, values, name, String(value).trim());
    }
    if (added !== undefined) for (const name in added) insertSorted(names, values, name, added[name]!.trim());
  } else {
    for (const [name, value] of normalizeHeaders(added === undefined ? headers : { ...headers, ...added })) {
      if (isSigned(name, additionalHeaders)) insertSorted(names, values, name, value);
    }
  }
  let out = '';
  for (let i = 0; i < names.length; i++) out += `${names[i]!}:${values[i]!}\n`;
  return out;
}

/** All names already lower-case (the usual case): no two can differ only in case, nothing to merge. */
function lowerCaseNames(headers: Readonly<Record<string, string>>): boolean {
  for (const name in headers) {
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if ((c >= 0x41 && c <= 0x5a) || c > 0x7f) return false;
    }
  }
  return true;
}

/**
 * CanonicalRequest (§3.3). `additionalHeaders` must already be normalised
 * ({@link normalizeAdditionalHeaders}); the payload line is the `x-oss-content-sha256` value or
 * `UNSIGNED-PAYLOAD`.
 * @example canonicalRequestV4({ method: 'GET', bucket: 'b', key: 'k', query: {}, headers }, [])
 */
export function canonicalRequestV4(request: SigningRequest, additionalHeaders: readonly string[] = []): string {
  return joinCanonicalRequest(
    request,
    canonicalQueryV4(request.query),
    canonicalHeadersV4(request.headers, additionalHeaders),
    additionalHeaders,
  );
}

/** The six lines of a canonical request, the query and headers already canonical. */
function joinCanonicalRequest(
  request: SigningRequest,
  query: string,
  headers: string,
  additionalHeaders: readonly string[],
): string {
  const payload = findHeader(request.headers, 'x-oss-content-sha256')?.trim() || UNSIGNED_PAYLOAD;
  return `${request.method.toUpperCase()}\n${canonicalUriV4(request)}\n${query}\n${headers}\n${additionalHeaders.join(';')}\n${payload}`;
}

/**
 * Credential scope (§3.4): `<yyyymmdd>/<region>/<product>/aliyun_v4_request`.
 * @example scopeV4('20231216', 'cn-hangzhou') // '20231216/cn-hangzhou/oss/aliyun_v4_request'
 */
export function scopeV4(date: string, region: string, product = 'oss'): string {
  return `${date}/${region}/${product}/${TERMINATOR}`;
}

/**
 * StringToSign (§3.4).
 * @example stringToSignV4(canonicalRequest, '20231216T162057Z', scopeV4('20231216', 'cn-hangzhou'))
 */
export function stringToSignV4(canonicalRequest: string, isoDate: string, scope: string): string {
  return `${V4_ALGORITHM}\n${isoDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/**
 * Lower-case hex HMAC-SHA256 of the string to sign under the signing key (§3.5).
 * @example signatureV4(signingKeyV4(secret, '20231216', 'cn-hangzhou'), stringToSign)
 */
export function signatureV4(signingKey: Uint8Array, stringToSign: string): string {
  return hmacSha256Hex(signingKey, stringToSign);
}

/** Inputs of {@link computeSignatureV4}: everything but the request, as it is on the wire. */
export interface SignatureV4Params {
  secret: string;
  /** `yyyymmddTHHMMSSZ`; its first 8 characters are the scope date. */
  isoDate: string;
  region: string;
  product?: string;
  /** Already normalised additional headers. */
  additionalHeaders?: readonly string[];
  /** The signing key for this date, region and product, when the caller has it already. */
  signingKey?: Uint8Array;
}

/**
 * The whole chain (canonical request → string to sign → signature) for a request that already
 * carries every signed header and query parameter; what a verifier (the emulator) recomputes.
 * @example computeSignatureV4(request, { secret, isoDate: '20231216T162057Z', region: 'cn-hangzhou' })
 */
export function computeSignatureV4(request: SigningRequest, params: SignatureV4Params): string {
  const product = params.product ?? 'oss';
  const date = params.isoDate.slice(0, 8);
  const canonical = canonicalRequestV4(request, params.additionalHeaders ?? []);
  const toSign = stringToSignV4(canonical, params.isoDate, scopeV4(date, params.region, product));
  return signatureV4(params.signingKey ?? signingKeyV4(params.secret, date, params.region, product), toSign);
}

/**
 * Signs a request in V4 header mode (§3) and returns the headers to add: `x-oss-date`,
 * `x-oss-content-sha256: UNSIGNED-PAYLOAD`, `x-oss-security-token` (STS) and `authorization`
 * (`OSS4-HMAC-SHA256 Credential=…,AdditionalHeaders=…,Signature=…`). An `x-oss-date` the request
 * already carries is kept and used.
 *
 * @example
 * const added = signV4(request, creds, { now: new Date(), region: 'cn-hangzhou' });
 * Object.assign(request.headers, added);
 */
export function signV4(
  request: SigningRequest,
  credentials: Credentials,
  options: SignV4Options,
): Record<string, string> {
  const added: Record<string, string> = {};
  const existing = findHeader(request.headers, 'x-oss-date')?.trim();
  const keepDate = existing !== undefined && ISO_DATE.test(existing);
  const isoDate = keepDate ? existing : formatIsoDate(options.now);
  if (!keepDate) added['x-oss-date'] = isoDate;
  if (findHeader(request.headers, 'x-oss-content-sha256') === undefined) {
    added['x-oss-content-sha256'] = UNSIGNED_PAYLOAD;
  }
  if (credentials.securityToken && findHeader(request.headers, 'x-oss-security-token') === undefined) {
    added['x-oss-security-token'] = credentials.securityToken;
  }
  // A malformed caller x-oss-date (any case of the name) is replaced, not signed alongside ours.
  // Every other added header is absent from the request, so the two sets never overlap.
  const headers = existing === undefined || keepDate ? request.headers : withoutHeader(request.headers, 'x-oss-date');
  const additional = options.additionalHeaders?.length
    ? normalizeAdditionalHeaders(options.additionalHeaders, { ...headers, ...added })
    : [];
  const scope = signingScopeFor(credentials, isoDate.slice(0, 8), options.region, options.product ?? 'oss');
  const canonical = joinCanonicalRequest(
    request,
    canonicalQueryV4(request.query),
    canonicalHeadersV4(headers, additional, added),
    additional,
  );
  const signature = signatureV4(scope.key, stringToSignV4(canonical, isoDate, scope.scope));
  const extra = additional.length ? `AdditionalHeaders=${additional.join(';')},` : '';
  added['authorization'] = `${V4_ALGORITHM} Credential=${scope.credential},${extra}Signature=${signature}`;
  return added;
}

function withoutHeader(headers: Readonly<Record<string, string>>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== name));
}

/**
 * Presigns a request in V4 (§4) and returns the query parameters to add, in this order:
 * `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-expires`,
 * `x-oss-additional-headers`?, `x-oss-security-token`?, and `x-oss-signature` last (unsigned).
 * Values are raw; the caller percent-encodes them into the URL. Refuses `expires` outside 1…604800.
 *
 * @example
 * const q = presignV4(request, creds, { now: new Date(), region: 'cn-hangzhou', expires: 900 });
 */
export function presignV4(
  request: SigningRequest,
  credentials: Credentials,
  options: PresignV4Options,
): Record<string, string> {
  const { expires } = options;
  if (!Number.isSafeInteger(expires) || expires < 1 || expires > MAX_V4_EXPIRES) {
    throw invalidArgument(`V4 presign expires must be a whole number of seconds from 1 to ${MAX_V4_EXPIRES}`);
  }
  const isoDate = formatIsoDate(options.now);
  const scope = signingScopeFor(credentials, isoDate.slice(0, 8), options.region, options.product ?? 'oss');
  const additional = normalizeAdditionalHeaders(options.additionalHeaders, request.headers);
  const added: Record<string, string> = {
    'x-oss-signature-version': V4_ALGORITHM,
    'x-oss-credential': scope.credential,
    'x-oss-date': isoDate,
    'x-oss-expires': String(expires),
  };
  if (additional.length) added['x-oss-additional-headers'] = additional.join(';');
  if (credentials.securityToken) added['x-oss-security-token'] = credentials.securityToken;
  // The request's own parameters plus ours (ours win a name clash), signed without merging them.
  const canonical = joinCanonicalRequest(
    request,
    canonicalQueryV4(request.query, added),
    canonicalHeadersV4(request.headers, additional),
    additional,
  );
  added['x-oss-signature'] = signatureV4(scope.key, stringToSignV4(canonical, isoDate, scope.scope));
  return added;
}
