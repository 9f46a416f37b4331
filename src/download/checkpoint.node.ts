/**
 * The resume record of a file download: which parts of which object version are on disk in the
 * temporary file, with each part's CRC-64 so they can be checked before they are trusted.
 * Written to a temporary name and renamed, so a crash leaves the old record or the new one.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';

export const DOWNLOAD_CHECKPOINT_VERSION = 1;

export interface DownloadCheckpointPart {
  partNumber: number;
  crc64: string;
}

export interface DownloadCheckpoint {
  version: typeof DOWNLOAD_CHECKPOINT_VERSION;
  bucket: string;
  key: string;
  versionId?: string;
  /** The object's ETag when the download started: a resume against another ETag starts over. */
  etag: string;
  size: number;
  partSize: number;
  /** Parts written to the temporary file and hashed there. */
  parts: DownloadCheckpointPart[];
}

/** The record at `path`, or undefined when it is missing, unreadable or not a download record. */
export async function loadDownloadCheckpoint(path: string): Promise<DownloadCheckpoint | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
  return isCheckpoint(value) ? value : undefined;
}

export async function saveDownloadCheckpoint(path: string, record: DownloadCheckpoint): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, JSON.stringify(record));
  await rename(temporary, path).catch(async (error: unknown) => {
    await rm(temporary, { force: true });
    throw error;
  });
}

export async function removeDownloadCheckpoint(path: string): Promise<void> {
  await rm(path, { force: true });
}

function isCheckpoint(value: unknown): value is DownloadCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    r['version'] === DOWNLOAD_CHECKPOINT_VERSION &&
    typeof r['bucket'] === 'string' &&
    typeof r['key'] === 'string' &&
    typeof r['etag'] === 'string' &&
    Number.isSafeInteger(r['size']) &&
    Number.isSafeInteger(r['partSize']) &&
    (r['partSize'] as number) > 0 &&
    Array.isArray(r['parts']) &&
    (r['parts'] as unknown[]).every(
      (p) =>
        typeof p === 'object' &&
        p !== null &&
        Number.isSafeInteger((p as Record<string, unknown>)['partNumber']) &&
        typeof (p as Record<string, unknown>)['crc64'] === 'string',
    )
  );
}
