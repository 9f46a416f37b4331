/**
 * Helpers the multipart commands share: checks made before sending, and reading the answers.
 */
import { readAll } from '../../body.js';
import { invalidArgument } from '../../errors.js';
import { fromUtf8 } from '../../hash.js';
import { requireBucket, validateKey, validatePartNumber } from '../../validate.js';

export { requireBucket };
import { parseXml, type XmlNode } from '../../xml.js';
import type { HttpResponse } from '../types.js';

/** Keys are 1–1023 bytes of UTF-8 (validate.ts). */
export function requireKey(key: unknown, _operation: string): void {
  validateKey(key as string);
}

export function requireUploadId(uploadId: unknown, operation: string): void {
  if (typeof uploadId !== 'string' || uploadId === '') throw invalidArgument('uploadId is required', { operation });
}

/** Part numbers are integers 1–10000 (validate.ts). */
export function requirePartNumber(partNumber: unknown, _operation: string): void {
  validatePartNumber(partNumber as number);
}

/** Positive integer limits such as `max-parts`; `undefined` stays unset. */
export function optionalLimit(value: number | undefined, name: string, max: number, operation: string): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw invalidArgument(`${name} must be an integer from 1 to ${max}`, { operation });
  }
  return String(value);
}

/** Parses the answer's XML body and returns the root element `root`. */
export async function readXmlRoot(response: HttpResponse, root: string): Promise<XmlNode> {
  const text = response.body ? fromUtf8(await readAll(response.body)) : '';
  const value = parseXml(text)[root];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/** Drops undefined values so query and header maps hold only what was set. */
export function defined(entries: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(entries)) if (value !== undefined) out[name] = value;
  return out;
}

/** Caller headers with lower-case names (names are case-insensitive, CONTRACT.md). */
export function lowerHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

export function requestIdOf(response: HttpResponse): string {
  return response.headers['x-oss-request-id'] ?? '';
}
