/**
 * Hashing and byte-encoding helpers shared by the signers, callbacks and uploads.
 * Built on @noble/hashes so the same code runs in Node, browsers and workers (DESIGN.md "Hashing").
 * No Buffer, no btoa: binary data never passes through a Latin-1 string.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { md5 as nobleMd5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Bytes, or a string taken as its UTF-8 encoding. */
export type BytesLike = Uint8Array | string;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * UTF-8 bytes of a string.
 * @example utf8('é') // Uint8Array [0xc3, 0xa9]
 */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8 bytes (invalid sequences become U+FFFD). */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

function bytes(data: BytesLike): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

/**
 * HMAC-SHA1 (the V1 signature, SIGNING.md §1.1).
 * @example toBase64(hmacSha1(secret, stringToSign))
 */
export function hmacSha1(key: BytesLike, msg: BytesLike): Uint8Array {
  return hmac(sha1, bytes(key), bytes(msg));
}

/**
 * HMAC-SHA256 (the V4 key chain and signature, SIGNING.md §3.5).
 * @example toHex(hmacSha256(signingKey, stringToSign))
 */
export function hmacSha256(key: BytesLike, msg: BytesLike): Uint8Array {
  return hmac(nobleSha256, bytes(key), bytes(msg));
}

/** SHA-256 digest. */
export function sha256(data: BytesLike): Uint8Array {
  return nobleSha256(bytes(data));
}

/**
 * Lower-case hex SHA-256 (the V4 canonical request hash, SIGNING.md §3.4).
 * @example sha256Hex('') // 'e3b0c442…b855'
 */
export function sha256Hex(data: BytesLike): string {
  return bytesToHex(nobleSha256(bytes(data)));
}

/**
 * MD5 digest (raw 16 bytes); `Content-MD5` is its base64 (SIGNING.md §1.2).
 * @example toBase64(md5('0123456789')) // 'eB5eJF1ptWaXm4bijSPyxw=='
 */
export function md5(data: BytesLike): Uint8Array {
  return nobleMd5(bytes(data));
}

/** An incremental MD5, for bodies that arrive in chunks. */
export interface IncrementalHash {
  update(data: BytesLike): IncrementalHash;
  digest(): Uint8Array;
}

/**
 * Starts an incremental MD5.
 * @example const h = createMd5(); h.update(a).update(b); toBase64(h.digest())
 */
export function createMd5(): IncrementalHash {
  const inner = nobleMd5.create();
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
 * Lower-case hex of bytes.
 * @example toHex(new Uint8Array([0, 255])) // '00ff'
 */
export function toHex(data: Uint8Array): string {
  return bytesToHex(data);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;
// Accept the URL-safe alphabet on input too.
B64_INDEX['-'.charCodeAt(0)] = 62;
B64_INDEX['_'.charCodeAt(0)] = 63;

/**
 * Standard base64 with padding.
 * @example toBase64(new Uint8Array([1, 2, 3])) // 'AQID'
 */
export function toBase64(data: Uint8Array): string {
  let out = '';
  const n = data.length;
  const full = n - (n % 3);
  for (let i = 0; i < full; i += 3) {
    const v = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    out += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + B64[v & 63]!;
  }
  if (n - full === 1) {
    const v = data[full]! << 16;
    out += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + '==';
  } else if (n - full === 2) {
    const v = (data[full]! << 16) | (data[full + 1]! << 8);
    out += B64[v >>> 18]! + B64[(v >>> 12) & 63]! + B64[(v >>> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Decodes base64 (standard or URL-safe; padding and ASCII whitespace optional).
 * Throws a TypeError on any other character or a dangling single symbol.
 * @example fromBase64('AQID') // Uint8Array [1, 2, 3]
 */
export function fromBase64(str: string): Uint8Array {
  const out = new Uint8Array(Math.floor((str.length * 3) / 4) + 3);
  let acc = 0;
  let bits = 0;
  let len = 0;
  let symbols = 0;
  let padded = false;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c === 0x3d) {
      padded = true;
      continue;
    }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    const v = c < 128 ? B64_INDEX[c]! : -1;
    if (v < 0 || padded) throw new TypeError('Invalid base64 input');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    symbols++;
    if (bits >= 8) {
      bits -= 8;
      out[len++] = (acc >>> bits) & 0xff;
    }
  }
  if (symbols % 4 === 1) throw new TypeError('Invalid base64 input');
  return out.slice(0, len);
}

/**
 * Base64 of a string's UTF-8 bytes (callback headers, post policies).
 * @example base64Utf8('{"x:my_var":"hello"}') // 'eyJ4Om15X3ZhciI6ImhlbGxvIn0='
 */
export function base64Utf8(str: string): string {
  return toBase64(encoder.encode(str));
}
