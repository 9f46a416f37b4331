/**
 * Content fingerprints for checkpoints. A File (name and lastModified known) gets a cheap sampled
 * one: SHA-256 over the size and four 64 KiB samples (start, one third, two thirds, end), so a user
 * who re-selects the same file after a reload is recognised without the whole file being read.
 * In-memory bytes and Blobs without lastModified have nothing else to tell a change by, so their
 * fingerprint is the CRC-64 of all their bytes (about 1.8 GB/s). Either way, a resumed upload reads
 * every part it reuses again and compares it with the part's recorded CRC-64 (resume.ts).
 */
import { crc64, Crc64 } from '../integrity/crc64.js';
import { KiB, MiB } from '../defaults.js';
// Through hash.ts, so the Node build hashes with node:crypto (tsup swaps hash-impl, see hash.ts).
import { createSha256, toHex } from '../integrity/hash.js';
import type { SourceIdentity } from './checkpoint.js';

export const FINGERPRINT_SAMPLE_BYTES = 64 * KiB;

/** Start offsets of the samples; overlapping samples of a small body are simply hashed again. */
function sampleOffsets(size: number): number[] {
  if (size <= 4 * FINGERPRINT_SAMPLE_BYTES) return [0];
  const last = size - FINGERPRINT_SAMPLE_BYTES;
  return [0, Math.floor(size / 3), Math.floor((2 * size) / 3), last];
}

/**
 * @example
 * const id = await fingerprintBlob(fileInput.files[0]); // 64 hex digits
 */
export async function fingerprintBlob(blob: Blob): Promise<string> {
  const hash = createSha256().update(`${blob.size}\n`);
  for (const offset of sampleOffsets(blob.size)) {
    const end = blob.size <= 4 * FINGERPRINT_SAMPLE_BYTES ? blob.size : offset + FINGERPRINT_SAMPLE_BYTES;
    hash.update(new Uint8Array(await blob.slice(offset, end).arrayBuffer()));
  }
  return toHex(hash.digest());
}

/** Same fingerprint as {@link fingerprintBlob} would give for a Blob of these bytes. */
export function fingerprintBytes(bytes: Uint8Array): string {
  const hash = createSha256().update(`${bytes.byteLength}\n`);
  for (const offset of sampleOffsets(bytes.byteLength)) {
    const end = bytes.byteLength <= 4 * FINGERPRINT_SAMPLE_BYTES ? bytes.byteLength : offset + FINGERPRINT_SAMPLE_BYTES;
    hash.update(bytes.subarray(offset, end));
  }
  return toHex(hash.digest());
}

/** `crc64:<decimal CRC-64 of every byte>`, the fingerprint of in-memory bodies. */
export async function contentFingerprint(body: Blob | Uint8Array): Promise<string> {
  if (body instanceof Uint8Array) return `crc64:${crc64(body)}`;
  const crc = new Crc64();
  for (let offset = 0; offset < body.size; offset += BLOB_READ_BYTES) {
    crc.update(new Uint8Array(await body.slice(offset, offset + BLOB_READ_BYTES).arrayBuffer()));
  }
  return `crc64:${crc.digest()}`;
}

const BLOB_READ_BYTES = 8 * MiB;

/** The identity a Blob/File (name, size, lastModified, fingerprint) or in-memory body is resumed by. */
export async function identityOf(body: Blob | Uint8Array): Promise<SourceIdentity> {
  if (body instanceof Uint8Array) return { kind: 'bytes', size: body.byteLength, fingerprint: await contentFingerprint(body) };
  const file = body as Blob & { name?: unknown; lastModified?: unknown };
  const sampled = typeof file.lastModified === 'number';
  return {
    kind: 'blob',
    ...(typeof file.name === 'string' ? { name: file.name } : {}),
    size: body.size,
    ...(sampled ? { mtimeMs: file.lastModified as number } : {}),
    fingerprint: sampled ? await fingerprintBlob(body) : await contentFingerprint(body),
  };
}
