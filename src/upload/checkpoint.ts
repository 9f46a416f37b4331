/**
 * Resumable-upload checkpoints: the record identifies the upload — destination,
 * source identity, part size, uploadId — and remembers finished parts. On resume the server's
 * ListParts is the truth; a record that fails validation is discarded, never trusted.
 */
import { MAX_PARTS, MAX_PART_SIZE, MIN_PART_SIZE } from '../defaults.js';
import { sha256Hex } from '../integrity/hash.js';

export const CHECKPOINT_VERSION = 1;

/** What identifies the bytes being uploaded; a change in any field means "start over". */
export interface SourceIdentity {
  /** `file` (Node path), `blob` (Blob/File) or `bytes` (in-memory body). */
  kind: 'file' | 'blob' | 'bytes';
  /** Absolute path of a file, or the File's name. */
  name?: string;
  size: number;
  /** Last modification time in ms since the epoch, when known. */
  mtimeMs?: number;
  /** Content fingerprint (see fingerprint.ts): sampled for Files, every byte for in-memory bodies. */
  fingerprint?: string;
}

/** A part the service confirmed. */
export interface CheckpointPart {
  partNumber: number;
  etag: string;
  crc64: string;
  size: number;
}

export interface CheckpointRecord {
  version: typeof CHECKPOINT_VERSION;
  bucket: string;
  key: string;
  uploadId: string;
  source: SourceIdentity;
  partSize: number;
  parts: CheckpointPart[];
  /** SHA-256 over the other fields; a record whose checksum does not match is corrupt. */
  checksum?: string;
}

/**
 * Where checkpoint records live. `load` may return anything it finds (it is validated);
 * `remove` of a missing record is not an error.
 *
 * @example
 * const records = new Map<string, unknown>();
 * const store: CheckpointStore = {
 *   async load(id) { return records.get(id); },
 *   async save(id, record) { records.set(id, structuredClone(record)); },
 *   async remove(id) { records.delete(id); },
 * };
 */
export interface CheckpointStore {
  load(id: string): Promise<unknown>;
  save(id: string, record: CheckpointRecord): Promise<void>;
  remove(id: string): Promise<void>;
  /**
   * Optional exclusive claim on `id` while an upload runs (e.g. one browser tab at a time).
   * Resolves to a release function, or rejects when another holder is active.
   */
  lock?(id: string): Promise<() => Promise<void>>;
}

/**
 * A stable id for the checkpoint of `source` uploaded to `bucket/key`. It names the source (path or
 * file name) but not its size or mtime, so a changed source finds its stale record and replaces it.
 */
export function checkpointId(bucket: string, key: string, source: SourceIdentity): string {
  return sha256Hex(`osskit-upload\n${bucket}\n${key}\n${source.kind}\n${source.name ?? ''}`).slice(0, 32);
}

/** Returns a copy of the record carrying its checksum, ready to save. */
export function sealCheckpoint(record: CheckpointRecord): CheckpointRecord {
  const { checksum: _ignored, ...body } = record;
  return { ...body, checksum: checksumOf(body) };
}

/**
 * Validates anything a store returned. Returns undefined for a missing, unparseable, tampered or
 * otherwise corrupt record.
 */
export function openCheckpoint(value: unknown): CheckpointRecord | undefined {
  let data = value;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(data)) return undefined;
  const { checksum, ...body } = data;
  if (typeof checksum !== 'string' || checksum !== checksumOf(body as Omit<CheckpointRecord, 'checksum'>)) return undefined;
  return data;
}

/** True when the record was made for this destination, source and part size. */
export function checkpointMatches(
  record: CheckpointRecord,
  want: { bucket: string; key: string; source: SourceIdentity; partSize: number },
): boolean {
  const a = record.source;
  const b = want.source;
  return (
    record.bucket === want.bucket &&
    record.key === want.key &&
    record.partSize === want.partSize &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.fingerprint === b.fingerprint
  );
}

/** Keys sorted so the checksum does not depend on property order after a JSON round trip. */
function checksumOf(body: Omit<CheckpointRecord, 'checksum'>): string {
  return sha256Hex(stableJson(body));
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is CheckpointRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const source = r.source as Record<string, unknown> | undefined;
  return (
    r.version === CHECKPOINT_VERSION &&
    typeof r.bucket === 'string' &&
    typeof r.key === 'string' &&
    typeof r.uploadId === 'string' &&
    r.uploadId.length > 0 &&
    isInt(r.partSize, MIN_PART_SIZE, MAX_PART_SIZE) &&
    typeof source === 'object' &&
    source !== null &&
    (source.kind === 'file' || source.kind === 'blob' || source.kind === 'bytes') &&
    isInt(source.size, 0, Number.MAX_SAFE_INTEGER) &&
    Array.isArray(r.parts) &&
    r.parts.every(isPart)
  );
}

function isPart(value: unknown): value is CheckpointPart {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    isInt(p.partNumber, 1, MAX_PARTS) &&
    typeof p.etag === 'string' &&
    typeof p.crc64 === 'string' &&
    /^\d+$/.test(p.crc64) &&
    isInt(p.size, 0, MAX_PART_SIZE)
  );
}

function isInt(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}
