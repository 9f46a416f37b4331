/**
 * The V4 signing key (docs/protocol.md, "Signature V4") and a small cache of derived keys. The cache is keyed by
 * date, region, product and a SHA-256 of the secret, never the secret itself, and holds at most
 * 50 entries (oldest dropped), like @smithy/signature-v4.
 */
import { hmacSha256, sha256Hex } from '../integrity/hash.js';
import { rfc3986Encode } from './encode.js';

const MAX_CACHED_KEYS = 50;
const cache = new Map<string, Uint8Array>();

/**
 * Derives kSigning = HMAC chain "aliyun_v4"+secret → date → region → product → "aliyun_v4_request".
 * @example toHex(deriveSigningKeyV4('sk', '20231216', 'cn-hangzhou', 'oss')) // 'b412a03b…e97f'
 */
export function deriveSigningKeyV4(secret: string, date: string, region: string, product = 'oss'): Uint8Array {
  const kDate = hmacSha256('aliyun_v4' + secret, date);
  const kRegion = hmacSha256(kDate, region);
  const kProduct = hmacSha256(kRegion, product);
  return hmacSha256(kProduct, 'aliyun_v4_request');
}

/**
 * {@link deriveSigningKeyV4} through the bounded cache. The returned bytes are shared: do not mutate.
 * @example const key = signingKeyV4(secret, '20231216', 'cn-hangzhou');
 */
export function signingKeyV4(secret: string, date: string, region: string, product = 'oss'): Uint8Array {
  return cachedKey(`${date}\n${region}\n${product}\n${sha256Hex(secret)}`, secret, date, region, product);
}

/**
 * What every V4 request of one credentials object for one date, region and product shares: the
 * credential scope, the `Credential` value and the signing key. Computed once, reused until one
 * of them changes (a new day, another region, a rotated secret).
 */
export interface SigningScopeV4 {
  readonly date: string;
  readonly region: string;
  readonly product: string;
  /** `<date>/<region>/<product>/aliyun_v4_request` */
  readonly scope: string;
  /** `<accessKeyId>/<scope>` */
  readonly credential: string;
  /** {@link credential} RFC 3986-encoded, as a presigned URL's canonical query carries it. */
  readonly encodedCredential: string;
  /** Derived signing key; shared, do not mutate. */
  readonly key: Uint8Array;
}

/**
 * Per credentials object (held weakly: nothing outlives the caller's credentials): the secret's cache
 * id, so the secret is hashed once rather than per request, and the last scope handed out, which
 * consecutive requests of one client reuse without building any string.
 */
interface Memo {
  secret: string;
  id: string;
  accessKeyId: string;
  last: SigningScopeV4 | undefined;
  generation: number;
}
const memos = new WeakMap<object, Memo>();
let generation = 0;

/**
 * {@link signingKeyV4} for a credentials object, with the scope strings around it: the same keys
 * and cache, less work per request.
 */
export function signingScopeFor(
  credentials: { accessKeyId?: string; accessKeySecret: string },
  date: string,
  region: string,
  product = 'oss',
): SigningScopeV4 {
  const secret = credentials.accessKeySecret;
  const accessKeyId = credentials.accessKeyId ?? '';
  let memo = memos.get(credentials);
  if (memo === undefined || memo.secret !== secret) {
    memo = { secret, id: sha256Hex(secret), accessKeyId, last: undefined, generation };
    memos.set(credentials, memo);
  }
  const last = memo.last;
  if (
    last !== undefined &&
    memo.generation === generation &&
    last.date === date &&
    last.region === region &&
    last.product === product &&
    memo.accessKeyId === accessKeyId
  ) {
    return last;
  }
  const scope = `${date}/${region}/${product}/aliyun_v4_request`;
  const key = cachedKey(`${date}\n${region}\n${product}\n${memo.id}`, secret, date, region, product);
  const credential = `${accessKeyId}/${scope}`;
  let encoded: string | undefined;
  memo.last = {
    date,
    region,
    product,
    scope,
    credential,
    // Only presigning needs it (and an access key id that cannot be encoded fails only there).
    get encodedCredential() {
      return (encoded ??= rfc3986Encode(credential));
    },
    key,
  };
  memo.accessKeyId = accessKeyId;
  memo.generation = generation;
  return memo.last;
}

/** {@link signingKeyV4} for a credentials object (see {@link signingScopeFor}). */
export function signingKeyFor(credentials: { accessKeySecret: string }, date: string, region: string, product = 'oss'): Uint8Array {
  return signingScopeFor(credentials, date, region, product).key;
}

function cachedKey(id: string, secret: string, date: string, region: string, product: string): Uint8Array {
  const hit = cache.get(id);
  if (hit) {
    // Refresh recency so a hot key is not the one evicted.
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const key = deriveSigningKeyV4(secret, date, region, product);
  if (cache.size >= MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
  cache.set(id, key);
  return key;
}

/** Number of cached keys (for tests). */
export function signingKeyCacheSize(): number {
  return cache.size;
}

/** Drops every cached key (e.g. after rotating secrets). */
export function clearSigningKeyCache(): void {
  cache.clear();
  // Memoised keys are dropped too: the next request of every client derives its key again.
  generation++;
}
