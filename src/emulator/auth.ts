/**
 * Signature checks for the emulator: V1 and V4, in the Authorization header or in the URL
 * (docs/protocol.md). The expected signature is computed with the same step functions the client
 * signer uses, so the ali-oss interop tests are the independent proof that both are right.
 */
import { MAX_CLOCK_SKEW_MS, MAX_V4_EXPIRES } from '../defaults.js';
import type { SigningRequest } from '../signer/types.js';
import { signingKeyV4 } from '../signer/signing-key.js';
import { signatureV1, stringToSignV1 } from '../signer/v1.js';
import { canonicalRequestV4, scopeV4, signatureV4, stringToSignV4 } from '../signer/v4.js';
import { EmulatorError } from './context.js';

/** What the checks need from a request and the server. */
export interface AuthInput {
  request: SigningRequest;
  secretFor(accessKeyId: string): string | undefined;
  now: Date;
  region: string;
  /** Query keys sent as `key=` (explicitly empty) rather than a bare `key`. */
  explicitEmpty?: ReadonlySet<string>;
  /**
   * Checks the security token sent with a key before its secret is looked up; throws the OSS error
   * for a temporary key whose token is missing, wrong or expired, and for a token sent with any
   * other key (see sts.ts).
   */
  checkSecurityToken?(accessKeyId: string, securityToken: string | undefined): void;
}

/** The caller's identity, or `anonymous` when the request carries no signature at all. */
export type AuthResult = { accessKeyId: string } | { anonymous: true };

const V4_ALGORITHM = 'OSS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const SIGNATURE_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/**
 * Verifies the request's signature; throws the EmulatorError OSS would answer.
 * @example const who = authenticate({ request, secretFor, now: new Date(), region: 'cn-hangzhou' });
 */
export function authenticate(input: AuthInput): AuthResult {
  const { headers, query } = input.request;
  const authorization = headers['authorization'];
  if (authorization !== undefined) {
    if (authorization.startsWith(`${V4_ALGORITHM} `)) return checkV4Header(input, authorization);
    if (authorization.startsWith('OSS ')) return checkV1Header(input, authorization);
    throw new EmulatorError(400, 'InvalidArgument', 'Authorization header is invalid.', { EC: '0002-00000004' });
  }
  if ('x-oss-signature-version' in query || 'x-oss-signature' in query || 'x-oss-credential' in query) {
    return checkV4Query(input);
  }
  if ('OSSAccessKeyId' in query || 'Signature' in query) return checkV1Query(input);
  return { anonymous: true };
}

/**
 * Where the STS token travels (docs/protocol.md, "Signature V1"): the `x-oss-security-token` header for
 * header auth (V1 also tolerates the plain `security-token` header some v2 SDKs send, §1.7), the
 * `security-token` query parameter in V1 URLs and `x-oss-security-token` in V4 URLs.
 */
type TokenPlace = 'header' | 'v1-query' | 'v4-query';

function securityTokenOf(request: SigningRequest, place: TokenPlace): string | undefined {
  if (place === 'v1-query') return request.query['security-token'];
  if (place === 'v4-query') return request.query['x-oss-security-token'];
  return request.headers['x-oss-security-token'];
}

function secretOrThrow(input: AuthInput, accessKeyId: string, securityToken: string | undefined): string {
  input.checkSecurityToken?.(accessKeyId, securityToken);
  const secret = input.secretFor(accessKeyId);
  if (secret === undefined) {
    throw new EmulatorError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
      OSSAccessKeyId: accessKeyId,
      EC: '0002-00000902',
    });
  }
  return secret;
}

function checkSkew(input: AuthInput, requestTime: Date, raw: string): void {
  if (Number.isNaN(requestTime.getTime())) {
    throw new EmulatorError(403, 'AccessDenied', `Invalid date format: ${raw}`, { EC: '0002-00000012' });
  }
  if (Math.abs(input.now.getTime() - requestTime.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new EmulatorError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: raw,
      ServerTime: input.now.toISOString(),
      MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
      EC: '0002-00000504',
    });
  }
}

function expired(input: AuthInput, expiresAt: number): EmulatorError {
  return new EmulatorError(403, 'AccessDenied', 'Request has expired.', {
    Expires: new Date(expiresAt).toISOString(),
    ServerTime: input.now.toISOString(),
    EC: '0002-00000069',
  });
}

function hexBytes(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ');
}

/** Constant-time-ish compare: avoids an early exit that would leak how many characters matched. */
function same(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function v1Mismatch(accessKeyId: string, provided: string, stringToSign: string): EmulatorError {
  return new EmulatorError(403, 'SignatureDoesNotMatch', SIGNATURE_MESSAGE, {
    OSSAccessKeyId: accessKeyId,
    SignatureProvided: provided,
    StringToSign: stringToSign,
    StringToSignBytes: hexBytes(stringToSign),
    EC: '0002-00000040',
  });
}

/** §1.1: `Authorization: OSS <ak>:<base64 signature>`; the Date line is x-oss-date when sent (§1.3). */
function checkV1Header(input: AuthInput, authorization: string): AuthResult {
  const match = /^OSS ([^:\s]+):(\S+)$/.exec(authorization.trim());
  if (!match) throw new EmulatorError(400, 'InvalidArgument', 'Authorization header is invalid.', { EC: '0002-00000004' });
  const [, accessKeyId, provided] = match as unknown as [string, string, string];
  const { headers } = input.request;
  const secret = secretOrThrow(input, accessKeyId, securityTokenOf(input.request, 'header') ?? headers['security-token']);
  const dateLine = headers['x-oss-date'] ?? headers['date'];
  if (dateLine === undefined) {
    throw new EmulatorError(403, 'AccessDenied', 'Missing Date header or x-oss-date header.', { EC: '0002-00000013' });
  }
  checkSkew(input, new Date(dateLine), dateLine);
  const stringToSign = stringToSignV1(input.request, dateLine);
  if (!same(signatureV1(secret, stringToSign), provided)) throw v1Mismatch(accessKeyId, provided, stringToSign);
  return { accessKeyId };
}

/** §2: `OSSAccessKeyId`, absolute `Expires`, `Signature` in the query; Expires replaces the Date line. */
function checkV1Query(input: AuthInput): AuthResult {
  const { OSSAccessKeyId: accessKeyId, Expires: expires, Signature: signature, ...rest } = input.request.query;
  if (!accessKeyId || !expires || !signature) {
    throw new EmulatorError(400, 'InvalidArgument', 'OSSAccessKeyId, Expires and Signature must all be present.', {
      EC: '0002-00000045',
    });
  }
  if (!/^\d+$/.test(expires)) {
    throw new EmulatorError(403, 'AccessDenied', 'Invalid Expires in query.', { EC: '0002-00000067' });
  }
  const secret = secretOrThrow(input, accessKeyId, securityTokenOf(input.request, 'v1-query'));
  const expiresAt = Number(expires) * 1000;
  if (expiresAt < input.now.getTime()) throw expired(input, expiresAt);
  // A '+' left unencoded in the URL was decoded to a space; base64 never contains one.
  const provided = signature.replace(/ /g, '+');
  const stringToSign = stringToSignV1({ ...input.request, query: rest }, expires);
  if (!same(signatureV1(secret, stringToSign), provided)) throw v1Mismatch(accessKeyId, provided, stringToSign);
  return { accessKeyId };
}

interface V4Credential {
  accessKeyId: string;
  date: string;
  region: string;
  product: string;
}

/** `<ak>/<yyyymmdd>/<region>/<product>/aliyun_v4_request` (§3.1); the key itself may not contain `/`. */
function parseCredential(input: AuthInput, credential: string): V4Credential {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aliyun_v4_request' || !/^\d{8}$/.test(parts[1]!) || !parts[0]) {
    throw new EmulatorError(400, 'InvalidArgument', 'Invalid credential in Authorization header.', { EC: '0002-00000205' });
  }
  const [accessKeyId, date, region, product] = parts as [string, string, string, string];
  if (region !== input.region) {
    throw new EmulatorError(400, 'InvalidArgument', 'The signing region in credential is invalid.', { EC: '0002-00000206' });
  }
  if (product !== 'oss') {
    throw new EmulatorError(400, 'InvalidArgument', 'The signing product in credential is invalid.', { EC: '0002-00000207' });
  }
  return { accessKeyId, date, region, product };
}

/** `yyyymmddTHHMMSSZ` → Date (invalid Date when malformed). */
function parseIsoBasic(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return new Date(Number.NaN);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

function splitAdditional(list: string | undefined): string[] {
  return list ? list.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean) : [];
}

function verifyV4(
  input: AuthInput,
  request: SigningRequest,
  credential: V4Credential,
  isoDate: string,
  additional: string[],
  provided: string,
  secret: string,
): AuthResult {
  const canonical = canonicalRequestV4(request, additional);
  const scope = scopeV4(credential.date, credential.region, credential.product);
  const stringToSign = stringToSignV4(canonical, isoDate, scope);
  const key = signingKeyV4(secret, credential.date, credential.region, credential.product);
  const matches = (text: string) => same(signatureV4(key, stringToSignV4(text, isoDate, scope)), provided.toLowerCase());
  // §3.8: ali-oss signs an empty-string value as `key=` where the spec (and our signer) use a bare `key`.
  const alternative = explicitEmptyVariant(canonical, input.explicitEmpty);
  if (!matches(canonical) && (alternative === undefined || !matches(alternative))) {
    throw new EmulatorError(403, 'SignatureDoesNotMatch', SIGNATURE_MESSAGE, {
      OSSAccessKeyId: credential.accessKeyId,
      SignatureProvided: provided,
      StringToSign: stringToSign,
      CanonicalRequest: canonical,
      EC: '0002-00000201',
    });
  }
  return { accessKeyId: credential.accessKeyId };
}

/** The canonical request with `key=` instead of a bare `key` for the explicitly empty query keys. */
function explicitEmptyVariant(canonical: string, explicitEmpty: ReadonlySet<string> | undefined): string | undefined {
  if (!explicitEmpty || explicitEmpty.size === 0) return undefined;
  const lines = canonical.split('\n');
  lines[2] = lines[2]!
    .split('&')
    .map((pair) => (!pair.includes('=') && explicitEmpty.has(decodeURIComponent(pair)) ? `${pair}=` : pair))
    .join('&');
  return lines.join('\n');
}

/** §3.1: fields are comma separated, in any order, with optional spaces after the commas. */
function checkV4Header(input: AuthInput, authorization: string): AuthResult {
  const fields = new Map<string, string>();
  for (const part of authorization.slice(V4_ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credentialText = fields.get('Credential');
  const signature = fields.get('Signature');
  if (!credentialText) {
    throw new EmulatorError(400, 'InvalidArgument', 'Invalid credential in Authorization header.', { EC: '0002-00000205' });
  }
  if (!signature) throw new EmulatorError(400, 'InvalidArgument', 'Signature is empty.', { EC: '0002-00000208' });
  if (fields.has('AdditionalHeaders') && !fields.get('AdditionalHeaders')) {
    throw new EmulatorError(400, 'InvalidArgument', 'AdditionalHeaders is empty.', { EC: '0002-00000209' });
  }
  const credential = parseCredential(input, credentialText);
  const { headers } = input.request;
  if (headers['x-oss-content-sha256'] !== UNSIGNED_PAYLOAD) {
    throw new EmulatorError(400, 'InvalidArgument', 'x-oss-content-sha256 must be UNSIGNED-PAYLOAD.', { EC: '0002-00000214' });
  }
  const isoDate = headers['x-oss-date'];
  if (!isoDate) throw new EmulatorError(403, 'AccessDenied', 'Missing x-oss-date header.', { EC: '0002-00000013' });
  checkSkew(input, parseIsoBasic(isoDate), isoDate);
  if (isoDate.slice(0, 8) !== credential.date) {
    throw new EmulatorError(400, 'InvalidArgument', 'Invalid signing date in Authorization header.', { EC: '0002-00000210' });
  }
  const secret = secretOrThrow(input, credential.accessKeyId, securityTokenOf(input.request, 'header'));
  return verifyV4(input, input.request, credential, isoDate, splitAdditional(fields.get('AdditionalHeaders')), signature, secret);
}

/** §4: every presign parameter but `x-oss-signature` is itself part of the canonical query. */
function checkV4Query(input: AuthInput): AuthResult {
  const { query } = input.request;
  const { 'x-oss-signature': signature, ...signedQuery } = query;
  if (query['x-oss-signature-version'] !== V4_ALGORITHM) {
    throw new EmulatorError(400, 'InvalidArgument', 'Invalid x-oss-signature-version.', { EC: '0002-00000216' });
  }
  const credentialText = query['x-oss-credential'];
  if (!credentialText) throw new EmulatorError(400, 'InvalidArgument', 'Missing x-oss-credential.', { EC: '0002-00000217' });
  const expires = query['x-oss-expires'];
  if (!expires) throw new EmulatorError(400, 'InvalidArgument', 'Missing x-oss-expires.', { EC: '0002-00000215' });
  if (!/^\d+$/.test(expires) || Number(expires) < 1 || Number(expires) > MAX_V4_EXPIRES) {
    throw new EmulatorError(400, 'InvalidArgument', `x-oss-expires must be between 1 and ${MAX_V4_EXPIRES} seconds.`, {
      EC: '0002-00000218',
    });
  }
  if (!signature) throw new EmulatorError(400, 'InvalidArgument', 'Signature is empty.', { EC: '0002-00000208' });
  if ('x-oss-additional-headers' in query && !query['x-oss-additional-headers']) {
    throw new EmulatorError(400, 'InvalidArgument', 'x-oss-additional-headers is empty.', { EC: '0002-00000076' });
  }
  const credential = parseCredential(input, credentialText);
  const isoDate = query['x-oss-date'] ?? '';
  const signedAt = parseIsoBasic(isoDate);
  if (Number.isNaN(signedAt.getTime())) {
    throw new EmulatorError(400, 'InvalidArgument', 'Invalid x-oss-date.', { EC: '0002-00000212' });
  }
  if (isoDate.slice(0, 8) !== credential.date) {
    throw new EmulatorError(400, 'InvalidArgument', 'Invalid signing date in x-oss-credential.', { EC: '0002-00000210' });
  }
  const secret = secretOrThrow(input, credential.accessKeyId, securityTokenOf(input.request, 'v4-query'));
  const expiresAt = signedAt.getTime() + Number(expires) * 1000;
  if (expiresAt < input.now.getTime()) throw expired(input, expiresAt);
  // A URL dated in the future is refused like a skewed header date.
  if (signedAt.getTime() - input.now.getTime() > MAX_CLOCK_SKEW_MS) checkSkew(input, signedAt, isoDate);
  const request = { ...input.request, query: signedQuery };
  return verifyV4(input, request, credential, isoDate, splitAdditional(query['x-oss-additional-headers']), signature, secret);
}
