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
 * Per credentials object (held weakly: nothing outlives the caller's credentials): the secret's cache
 * id, so the secret is hashed once rather than per request, and the last key handed out, which
 * consecutive requests of one client reuse without building the cache id.
 */
interface Memo {
  secret: string;
  id: string;
  scope: string;
  key: Uint8Array | undefined;
  generation: number;
}
const memos = new WeakMap<object, Memo>();
let generation = 0;

/** {@link signingKeyV4} for a credentials object: the same keys and cache, less work per request. */
export function signingKeyFor(credentials: { accessKeySecret: string }, date: string, region: string, product = 'oss'): Uint8Array {
  const secret = credentials.accessKeySecret;
  const scope = `${date}\n${region}\n${product}\n`;
  let memo = memos.get(credentials);
  if (memo === undefined || memo.secret !== secret) {
    memo = { secret, id: sha256Hex(secret), scope: '', key: undefined, generation };
    memos.set(credentials, memo);
  } else if (memo.key !== undefined && memo.scope === scope && memo.generation === generation) {
    return memo.key;
  }
  memo.key = cachedKey(scope + memo.id, secret, date, region, product);
  memo.scope = scope;
  memo.generation = generation;
  return memo.key;
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
