/**
 * Header helpers shared by both signers. Requests should already carry lower-case names
 * (HttpRequest contract); these helpers tolerate mixed case anyway, because a header that escapes
 * canonicalisation would silently break the signature.
 */

/**
 * Lower-cases names, trims values (§1.4, §3.3) and joins values whose names differ only in case
 * with `,`, in insertion order.
 * @example normalizeHeaders({ 'X-OSS-Meta-A': ' 1 ' }) // Map { 'x-oss-meta-a' => '1' }
 */
export function normalizeHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined || raw === null) continue;
    const lower = name.toLowerCase();
    const value = String(raw).trim();
    const prev = out.get(lower);
    out.set(lower, prev === undefined ? value : `${prev},${value}`);
  }
  return out;
}

/** Plain byte-order comparison (SIGNING.md conventions), not localeCompare. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Case-insensitive lookup of a header's raw value. */
export function findHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
