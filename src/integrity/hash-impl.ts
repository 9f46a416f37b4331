/**
 * Digest primitives, portable build: @noble/hashes (pure JS), so the same code runs in browsers,
 * workers and Node (docs/architecture.md). The Node build swaps this module for hash-impl.node.ts
 * (node:crypto) at bundle time — see the `hash-impl` plugin in tsup.config.ts. Both files export
 * the same functions with the same results; test/integrity/hash-impl.test.ts holds them to that.
 */
import { md5 as nobleMd5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';

/** Bytes, or a string taken as its UTF-8 encoding. */
export type BytesLike = Uint8Array | string;

/** An incremental digest, for bodies that arrive in chunks. */
export interface IncrementalHash {
  update(data: BytesLike): IncrementalHash;
  /** The digest of everything passed to update(); call it once. */
  digest(): Uint8Array;
}

const encoder = new TextEncoder();

function bytes(data: BytesLike): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

const HEX_DIGITS = '0123456789abcdef';

/**
 * Lower-case hex of bytes.
 * @example toHex(new Uint8Array([0, 255])) // '00ff'
 */
export function toHex(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i++) out += HEX_DIGITS[data[i]! >> 4]! + HEX_DIGITS[data[i]! & 15]!;
  return out;
}

/**
 * HMAC-SHA1 (the V1 signature, docs/protocol.md, "Signature V1").
 * @example toBase64(hmacSha1(secret, stringToSign))
 */
export function hmacSha1(key: BytesLike, msg: BytesLike): Uint8Array {
  return nobleHmac(sha1, bytes(key), bytes(msg));
}

/**
 * HMAC-SHA256 (the V4 key chain and signature, docs/protocol.md, "Signature V4").
 * @example toHex(hmacSha256(signingKey, stringToSign))
 */
export function hmacSha256(key: BytesLike, msg: BytesLike): Uint8Array {
  return nobleHmac(nobleSha256, bytes(key), bytes(msg));
}

/** Lower-case hex HMAC-SHA256 (the V4 signature). */
export function hmacSha256Hex(key: BytesLike, msg: BytesLike): string {
  return toHex(hmacSha256(key, msg));
}

/**
 * SHA-256 digest.
 * @example sha256('abc').length // 32
 */
export function sha256(data: BytesLike): Uint8Array {
  return nobleSha256(bytes(data));
}

/**
 * Lower-case hex SHA-256 (the V4 canonical request hash, docs/protocol.md, "Signature V4").
 * @example sha256Hex('') // 'e3b0c442…b855'
 */
export function sha256Hex(data: BytesLike): string {
  return toHex(nobleSha256(bytes(data)));
}

/**
 * MD5 digest (raw 16 bytes); `Content-MD5` is its base64 (docs/protocol.md, "Signature V1").
 * @example toBase64(md5('0123456789')) // 'eB5eJF1ptWaXm4bijSPyxw=='
 */
export function md5(data: BytesLike): Uint8Array {
  return nobleMd5(bytes(data));
}

function incremental(inner: { update(data: Uint8Array): unknown; digest(): Uint8Array }): IncrementalHash {
  const wrapper: IncrementalHash = {
    update(data) {
      inner.update(bytes(data));
      return wrapper;
    },
    digest: () => inner.digest(),
  };
  return wrapper;
}

/**
 * Starts an incremental MD5.
 * @example const h = createMd5(); h.update(a).update(b); toBase64(h.digest())
 */
export function createMd5(): IncrementalHash {
  return incremental(nobleMd5.create());
}

/**
 * Starts an incremental SHA-256.
 * @example toHex(createSha256().update('a').update('bc').digest()) === sha256Hex('abc')
 */
export function createSha256(): IncrementalHash {
  return incremental(nobleSha256.create());
}
