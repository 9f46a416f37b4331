/**
 * Header helpers shared by both signers. Requests should already carry lower-case names
 * (HttpRequest contract); these helpers tolerate mixed case anyway, because a header that escapes
 * canonicalisation would silently break the signature. They run on every request, so they skip
 * work for the usual all-lower-case names (bench/signer.mjs).
 */

const UPPER_A = 0x41;
const UPPER_Z = 0x5a;

/** Lower-cases only when needed: most names already are, and toLowerCase() allocates. */
function lower(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= UPPER_A && c <= UPPER_Z) || c > 0x7f) return name.toLowerCase();
  }
  return name;
}

/**
 * Lower-cases names, trims values (§1.4, §3.3) and joins values whose names differ only in case
 * with `,`, in insertion order.
 * @example normalizeHeaders({ 'X-OSS-Meta-A': ' 1 ' }) // Map { 'x-oss-meta-a' => '1' }
 */
export function normalizeHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const raw = headers[name];
    if (raw === undefined || raw === null) continue;
    const key = lower(name);
    const value = String(raw).trim();
    const prev = out.get(key);
    out.set(key, prev === undefined ? value : `${prev},${value}`);
  }
  return out;
}

/** Plain byte-order comparison (docs/protocol.md), not localeCompare. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Case-insensitive lookup of a header's raw value; `name` must be lower-case. */
export function findHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  // Only names of the same length can match: no lower-casing (and no allocation) for the rest.
  for (const key in headers) {
    if (key.length === name.length && key !== name && Object.hasOwn(headers, key) && key.toLowerCase() === name) {
      return headers[key];
    }
  }
  return undefined;
}
