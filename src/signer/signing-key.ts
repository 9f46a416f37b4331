/**
 * The V4 signing key (docs/protocol.md, "Signature V4") and a small cache of derived keys. The cache is keyed by
 * date, region, product and a SHA-256 of the secret, never the secret itself, and holds at most
 * 50 entries (oldest dropped), like @smithy/signature-v4.
 */
import { hmacSha256, sha256Hex } from '../hash.js';

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
  const id = `${date}\n${region}\n${product}\n${sha256Hex(secret)}`;
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
}
