/**
 * The V4 signing key (docs/protocol.md, "Signature V4") and a small cache of derived keys. The cache is keyed by
 * date, region, product and a SHA-256 of the secret, never the secret itself, and holds at most
 * 50 entries (oldest dropped), like @smithy/signature-v4.
 */
import { hmacSha256, sha256Hex } from '../integrity/hash.js';

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
 * What every V4 request of one credentials object for one date, region and product shares.
 * Computed once, reused until one of them changes (a new day, another region, a rotated secret).
 */
export interface SigningScopeV4 {
  /** `<date>/<region>/<product>/aliyun_v4_request` */
  readonly scope: string;
  /** `<accessKeyId>/<scope>` */
  readonly credential: string;
  /** Derived signing key; shared, do not mutate. */
  readonly key: Uint8Array;
}

/**
 * Per credentials object (held weakly: nothing outlives the caller's credentials): the secret's cache
 * id, so the secret is hashed once rather than per request, and the last scope handed out with what
 * it was made from, which consecutive requests of one client reuse without building any string.
 */
interface Memo {
  secret: string;
  id: string;
  made: readonly [generation: number, accessKeyId: string, date: string, region: string, product: string] | undefined;
  last: SigningScopeV4 | undefined;
}
const memos = new WeakMap<object, Memo>();
let generation = 0;

/** {@link signingKeyV4} for a credentials object, with the scope strings around it. */
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
    memo = { secret, id: sha256Hex(secret), made: undefined, last: undefined };
    memos.set(credentials, memo);
  }
  const made = memo.made;
  if (made && made[0] === generation && made[1] === accessKeyId && made[2] === date && made[3] === region && made[4] === product) {
    return memo.last!;
  }
  const scope = `${date}/${region}/${product}/aliyun_v4_request`;
  const key = cachedKey(`${date}\n${region}\n${product}\n${memo.id}`, secret, date, region, product);
  memo.made = [generation, accessKeyId, date, region, product];
  return (memo.last = { scope, credential: `${accessKeyId}/${scope}`, key });
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
