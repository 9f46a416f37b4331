/**
 * src/upload/fingerprint.ts: known answers computed here with node:crypto, and (once built) the Node
 * bundle hashes fingerprints with node:crypto too — the digest comes through src/integrity/hash.ts, whose
 * implementation tsup swaps, rather than from @noble/hashes directly.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_SAMPLE_BYTES, fingerprintBlob, fingerprintBytes, identityOf } from '../../src/upload/fingerprint.js';
import { crc64 } from '../../src/integrity/crc64.js';
import { randomBytes } from '../helpers/prng.js';

/** The documented recipe: SHA-256 over "<size>\n" and the samples at 0, 1/3, 2/3 and the end. */
function expected(bytes: Uint8Array): string {
  const hash = createHash('sha256').update(`${bytes.byteLength}\n`);
  const n = bytes.byteLength;
  if (n <= 4 * FINGERPRINT_SAMPLE_BYTES) return hash.update(bytes).digest('hex');
  for (const offset of [0, Math.floor(n / 3), Math.floor((2 * n) / 3), n - FINGERPRINT_SAMPLE_BYTES]) {
    hash.update(bytes.subarray(offset, offset + FINGERPRINT_SAMPLE_BYTES));
  }
  return hash.digest('hex');
}

describe('fingerprint', () => {
  it('hashes the size and the samples; Blob and bytes agree', async () => {
    for (const size of [0, 1, 4 * FINGERPRINT_SAMPLE_BYTES, 4 * FINGERPRINT_SAMPLE_BYTES + 1, 1_000_003]) {
      const bytes = randomBytes(size, size + 1);
      expect(fingerprintBytes(bytes), `size ${size}`).toBe(expected(bytes));
      expect(await fingerprintBlob(new Blob([bytes])), `size ${size}`).toBe(expected(bytes));
    }
  });

  it('changes when a sampled byte changes, not when an unsampled one does', () => {
    const bytes = randomBytes(1_000_000, 7);
    const before = fingerprintBytes(bytes);
    const sampled = bytes.slice();
    sampled[Math.floor(1_000_000 / 3) + 5]! ^= 1;
    expect(fingerprintBytes(sampled)).not.toBe(before);
    const unsampled = bytes.slice();
    unsampled[FINGERPRINT_SAMPLE_BYTES + 10]! ^= 1;
    expect(fingerprintBytes(unsampled)).toBe(before);
  });

  it('identifies a File by name, size, mtime and fingerprint', async () => {
    const bytes = randomBytes(1000, 3);
    const file = new File([bytes], 'a.bin', { lastModified: 1234 });
    expect(await identityOf(file)).toEqual({ kind: 'blob', name: 'a.bin', size: 1000, mtimeMs: 1234, fingerprint: expected(bytes) });
  });

  it('fingerprints every byte of in-memory bodies and of Blobs without lastModified', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 5, 8);
    const whole = `crc64:${crc64(bytes)}`;
    expect(await identityOf(bytes)).toEqual({ kind: 'bytes', size: bytes.byteLength, fingerprint: whole });
    expect(await identityOf(new Blob([bytes]))).toEqual({ kind: 'blob', size: bytes.byteLength, fingerprint: whole });
    // A byte between the sampled windows changes it.
    const changed = bytes.slice();
    changed[FINGERPRINT_SAMPLE_BYTES + 10]! ^= 1;
    expect(fingerprintBytes(changed)).toBe(fingerprintBytes(bytes));
    expect((await identityOf(changed)).fingerprint).not.toBe(whole);
    expect((await identityOf(new Blob([changed]))).fingerprint).not.toBe(whole);
  });
});

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const built = existsSync(`${DIST}index.node.js`);

describe.runIf(built)('fingerprint in the Node build', () => {
  it('no Node bundle imports @noble/hashes SHA-256 (fingerprints hash with node:crypto)', () => {
    const files = readdirSync(DIST).filter((name) => /\.(c?js)$/.test(name) && !name.startsWith('index.browser'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(readFileSync(`${DIST}${name}`, 'utf8'), name).not.toMatch(/@noble\/hashes\/sha2/);
  });

  it('the Node build gives the same fingerprints as the sources', async () => {
    const dist = (await import(`${DIST}index.node.js`)) as { fingerprintBytes: typeof fingerprintBytes };
    const bytes = randomBytes(900_000, 11);
    expect(dist.fingerprintBytes(bytes)).toBe(fingerprintBytes(bytes));
  });
});
