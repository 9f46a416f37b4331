/**
 * Hashing and byte-encoding helpers shared by the signers, callbacks and uploads.
 * Encoders are plain JS so the same code runs in Node, browsers and workers (docs/architecture.md).
 * No Buffer, no btoa: binary data never passes through a Latin-1 string.
 */
// The digests themselves come from './hash-impl.js': @noble/hashes here, in browsers and in tests;
// node:crypto in the Node build, where tsup resolves the same import to hash-impl.node.ts.
export { createMd5, createSha256, hmacSha1, hmacSha256, hmacSha256Hex, md5, sha256, sha256Hex, toHex } from './hash-impl.js';
export type { BytesLike, IncrementalHash } from './hash-impl.js';

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

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// Built by a function marked pure (no top-level loop), so bundles that never decode drop it.
const B64_INDEX = /* @__PURE__ */ base64Index();

function base64Index(): Int16Array {
  const index = new Int16Array(128).fill(-1);
  for (let i = 0; i < B64.length; i++) index[B64.charCodeAt(i)] = i;
  // Accept the URL-safe alphabet on input too.
  index['-'.charCodeAt(0)] = 62;
  index['_'.charCodeAt(0)] = 63;
  return index;
}

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
