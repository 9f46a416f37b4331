/**
 * Digest primitives, Node build: node:crypto (OpenSSL), about 2× faster than pure JS for the small
 * strings signing hashes and far faster on part bodies (bench/signer.mjs). tsup's Node build resolves
 * `./hash-impl.js` to this file; browsers and the test runner keep the @noble/hashes version.
 * Same exports, same results (test/integrity/hash-impl.test.ts).
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, type Hash } from 'node:crypto';
import type * as Portable from './hash-impl.js';

export type BytesLike = Portable.BytesLike;
export type IncrementalHash = Portable.IncrementalHash;

// node:crypto hashes a string as UTF-8, exactly as TextEncoder would encode it: no copy needed.
// Digests come back as Buffers; callers get a plain Uint8Array view of the same memory, so
// Buffer-only behaviour (slice sharing memory, toString('utf8')) never leaks out of the Node build.
const oneShot = (crypto as { hash?: (algorithm: string, data: BytesLike, encoding: 'hex') => string }).hash;

function plain(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Lower-case hex of bytes. */
export function toHex(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}

/** HMAC-SHA1 (the V1 signature, docs/protocol.md, "Signature V1"). */
export function hmacSha1(key: BytesLike, msg: BytesLike): Uint8Array {
  return plain(createHmac('sha1', key).update(msg).digest());
}

/** HMAC-SHA256 (the V4 key chain and signature, docs/protocol.md, "Signature V4"). */
export function hmacSha256(key: BytesLike, msg: BytesLike): Uint8Array {
  return plain(createHmac('sha256', key).update(msg).digest());
}

/** Lower-case hex HMAC-SHA256 (the V4 signature): hex straight from OpenSSL's digest. */
export function hmacSha256Hex(key: BytesLike, msg: BytesLike): string {
  return createHmac('sha256', key).update(msg).digest('hex');
}

/** SHA-256 digest. */
export function sha256(data: BytesLike): Uint8Array {
  return plain(createHash('sha256').update(data).digest());
}

/** Lower-case hex SHA-256 (the V4 canonical request hash, docs/protocol.md, "Signature V4"). */
export function sha256Hex(data: BytesLike): string {
  // crypto.hash (Node 20.12+) is a one-shot without a Hash object; older Nodes take the long way.
  if (oneShot !== undefined) return oneShot('sha256', data, 'hex');
  return createHash('sha256').update(data).digest('hex');
}

/** MD5 digest (raw 16 bytes); `Content-MD5` is its base64 (docs/protocol.md, "Signature V1"). */
export function md5(data: BytesLike): Uint8Array {
  return plain(createHash('md5').update(data).digest());
}

function incremental(inner: Hash): IncrementalHash {
  const wrapper: IncrementalHash = {
    update(data) {
      inner.update(data);
      return wrapper;
    },
    digest: () => plain(inner.digest()),
  };
  return wrapper;
}

/** Starts an incremental MD5. */
export function createMd5(): IncrementalHash {
  return incremental(createHash('md5'));
}

/** Starts an incremental SHA-256. */
export function createSha256(): IncrementalHash {
  return incremental(createHash('sha256'));
}
