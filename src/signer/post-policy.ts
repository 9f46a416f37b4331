/**
 * PostObject (browser form upload) policies, V1 and V4 (docs/protocol.md, "Form uploads"). The base64 of the exact
 * policy JSON bytes is the string to sign; the JSON is never canonicalised.
 */
import type { Credentials } from '../credentials/credentials.js';
import { MAX_V4_EXPIRES } from '../defaults.js';
import { invalidArgument } from '../errors.js';
import { base64Utf8, hmacSha1, hmacSha256, toBase64, toHex } from '../integrity/hash.js';
import { signingKeyV4 } from './signing-key.js';
import { V4_ALGORITHM, formatIsoDate, scopeV4 } from './v4.js';

/** A policy document before encoding. */
export interface PostPolicy {
  expiration: Date;
  /** OSS policy conditions, e.g. `{ bucket: 'b' }`, `['starts-with', '$key', 'user/']`, `['content-length-range', 0, 1048576]`. */
  conditions: unknown[];
}

export interface SignPostPolicyOptions {
  version: 'v1' | 'v4';
  /** The signing instant (V4 `x-oss-date`); the signer never reads the clock. */
  now: Date;
  /** Bare region id; required for V4. */
  region?: string;
  /** `oss` unless CloudBox. */
  product?: string;
}

/**
 * V1 policy signature: base64(HMAC-SHA1(secret, policyB64)) (§5.1).
 * @example postPolicySignatureV1(fields.policy, secret) === fields.Signature
 */
export function postPolicySignatureV1(policyB64: string, secret: string): string {
  return toBase64(hmacSha1(secret, policyB64));
}

/**
 * V4 policy signature: hex(HMAC-SHA256(kSigning, policyB64)) (§5.2), `date` being `yyyymmdd`.
 * @example postPolicySignatureV4(fields.policy, secret, '20231216', 'cn-hangzhou') === fields['x-oss-signature']
 */
export function postPolicySignatureV4(
  policyB64: string,
  secret: string,
  date: string,
  region: string,
  product = 'oss',
): string {
  return toHex(hmacSha256(signingKeyV4(secret, date, region, product), policyB64));
}

/**
 * Encodes and signs a policy, returning the form fields to send before the `file` field.
 * V1: `OSSAccessKeyId`, `policy`, `Signature`, `x-oss-security-token`?.
 * V4: `policy`, `x-oss-signature-version`, `x-oss-credential`, `x-oss-date`, `x-oss-signature`,
 * `x-oss-security-token`?; the matching conditions are appended to the policy first (§5.2).
 *
 * @example
 * const fields = signPostPolicy(
 *   { expiration: new Date(Date.now() + 3600_000), conditions: [['starts-with', '$key', 'user/']] },
 *   creds,
 *   { version: 'v4', now: new Date(), region: 'cn-hangzhou' },
 * );
 */
export function signPostPolicy(
  policy: PostPolicy,
  credentials: Credentials,
  options: SignPostPolicyOptions,
): Record<string, string> {
  const { expiration } = policy;
  if (Number.isNaN(expiration.getTime())) throw invalidArgument('A post policy needs a valid expiration date');
  if (options.version === 'v4') checkV4Window(expiration, options.now);
  const token = credentials.securityToken;
  if (options.version === 'v1') {
    const encoded = base64Utf8(JSON.stringify({ expiration: expiration.toISOString(), conditions: policy.conditions }));
    const fields: Record<string, string> = {
      OSSAccessKeyId: credentials.accessKeyId,
      policy: encoded,
      Signature: postPolicySignatureV1(encoded, credentials.accessKeySecret),
    };
    if (token) fields['x-oss-security-token'] = token;
    return fields;
  }

  if (!options.region) throw invalidArgument('A V4 post policy needs a region');
  const product = options.product ?? 'oss';
  const isoDate = formatIsoDate(options.now);
  const date = isoDate.slice(0, 8);
  const v4Fields: Record<string, string> = {
    'x-oss-signature-version': V4_ALGORITHM,
    'x-oss-credential': `${credentials.accessKeyId}/${scopeV4(date, options.region, product)}`,
    'x-oss-date': isoDate,
  };
  if (token) v4Fields['x-oss-security-token'] = token;
  // The server requires each of these fields to appear as an exact-match condition too (§5.2).
  const conditions = [...policy.conditions, ...Object.entries(v4Fields).map(([k, v]) => ({ [k]: v }))];
  const encoded = base64Utf8(JSON.stringify({ expiration: expiration.toISOString(), conditions }));
  return {
    policy: encoded,
    ...v4Fields,
    'x-oss-signature': postPolicySignatureV4(encoded, credentials.accessKeySecret, date, options.region, product),
  };
}

/** V4 policies must expire after `now` and within 7 days of it (§5.2). */
function checkV4Window(expiration: Date, now: Date): void {
  const seconds = (expiration.getTime() - now.getTime()) / 1000;
  if (!(seconds > 0) || seconds > MAX_V4_EXPIRES) {
    throw invalidArgument(`A V4 post policy must expire within 1…${MAX_V4_EXPIRES} seconds of now`);
  }
}
