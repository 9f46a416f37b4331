import { describe, expect, it } from 'vitest';
import { CHECKPOINT_VERSION, checkpointId, checkpointMatches, openCheckpoint, sealCheckpoint, type CheckpointRecord } from '../../src/upload/checkpoint.js';

const record: CheckpointRecord = {
  version: CHECKPOINT_VERSION,
  bucket: 'b',
  key: 'k',
  uploadId: 'U1',
  source: { kind: 'file', name: '/tmp/x', size: 1_000_000, mtimeMs: 1700000000000 },
  partSize: 102400,
  parts: [{ partNumber: 1, etag: '"A"', crc64: '123', size: 102400 }],
};

describe('checkpoint records', () => {
  it('round-trips through JSON with its checksum', () => {
    const sealed = sealCheckpoint(record);
    expect(sealed.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(openCheckpoint(JSON.stringify(sealed))).toEqual(sealed);
    expect(openCheckpoint(structuredClone(sealed))).toEqual(sealed);
    // Property order does not matter.
    const { parts, ...rest } = sealed;
    const reordered = JSON.parse(JSON.stringify({ parts, ...rest }));
    expect(openCheckpoint(reordered)).toBeDefined();
  });

  it('discards unparseable, truncated, tampered or unsealed records', () => {
    const text = JSON.stringify(sealCheckpoint(record));
    expect(openCheckpoint(text.slice(0, text.length - 7))).toBeUndefined();
    expect(openCheckpoint('not json')).toBeUndefined();
    expect(openCheckpoint(undefined)).toBeUndefined();
    expect(openCheckpoint(42)).toBeUndefined();
    expect(openCheckpoint(text.replace('"U1"', '"U2"'))).toBeUndefined();
    expect(openCheckpoint(text.replace('"crc64":"123"', '"crc64":"124"'))).toBeUndefined();
    expect(openCheckpoint(record)).toBeUndefined();
  });

  it('discards well-sealed records of the wrong shape or version', () => {
    const bad = [
      { ...record, version: 2 },
      { ...record, uploadId: '' },
      { ...record, partSize: 10 },
      { ...record, parts: [{ partNumber: 0, etag: 'x', crc64: '1', size: 1 }] },
      { ...record, parts: [{ partNumber: 1, etag: 'x', crc64: 'abc', size: 1 }] },
      { ...record, source: { kind: 'other', size: 1 } },
    ];
    for (const r of bad) expect(openCheckpoint(sealCheckpoint(r as CheckpointRecord))).toBeUndefined();
  });

  it('matches only the same destination, source and part size', () => {
    const want = { bucket: 'b', key: 'k', source: record.source, partSize: record.partSize };
    expect(checkpointMatches(record, want)).toBe(true);
    expect(checkpointMatches(record, { ...want, key: 'other' })).toBe(false);
    expect(checkpointMatches(record, { ...want, partSize: 2 * record.partSize })).toBe(false);
    expect(checkpointMatches(record, { ...want, source: { ...record.source, size: 5 } })).toBe(false);
    expect(checkpointMatches(record, { ...want, source: { ...record.source, mtimeMs: 1 } })).toBe(false);
    expect(checkpointMatches(record, { ...want, source: { ...record.source, fingerprint: 'f' } })).toBe(false);
  });

  it('names a record by destination and source name, not by size or mtime', () => {
    const id = checkpointId('b', 'k', record.source);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(checkpointId('b', 'k', { ...record.source, size: 1, mtimeMs: 2 })).toBe(id);
    expect(checkpointId('b', 'k2', record.source)).not.toBe(id);
    expect(checkpointId('b2', 'k', record.source)).not.toBe(id);
    expect(checkpointId('b', 'k', { ...record.source, name: '/tmp/y' })).not.toBe(id);
  });
});
