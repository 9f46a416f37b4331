/**
 * Request addressing: which bucket and key a request names. Path style (`/bucket/key`) when the
 * Host is the emulator itself (an IP, `localhost`, a bare region endpoint); virtual-hosted
 * (`Host: <bucket>.<anything>`) otherwise. Both decode bucket and key from the raw path, because
 * `+`, `%` and unicode must survive exactly as the client encoded them.
 */
import { isIP } from 'node:net';
import { EmulatorError } from './context.js';

export interface Address {
  bucket?: string;
  key?: string;
}

/** `host[:port]` or `[v6]:port` → lower-case host name. */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

/**
 * The bucket a virtual-hosted Host names, or undefined for the service host itself.
 * ali-oss with an IP endpoint sends `Host: <bucket>.oss-<region>.aliyuncs.com` to the IP, and
 * `undefined.oss-<region>.aliyuncs.com` for calls without a bucket (ListBuckets), so the label
 * `undefined` means "no bucket" there.
 */
export function bucketFromHost(hostname: string, serviceHosts: ReadonlySet<string>): string | undefined {
  if (!hostname || isIP(hostname) || hostname === 'localhost' || serviceHosts.has(hostname)) return undefined;
  const dot = hostname.indexOf('.');
  if (dot <= 0) return undefined;
  if (/^oss-[a-z0-9-]+\.aliyuncs\.com$/.test(hostname)) return undefined;
  const label = hostname.slice(0, dot);
  if (label === 'undefined' && hostname.endsWith('.aliyuncs.com')) return undefined;
  return label;
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new EmulatorError(400, 'InvalidURI', 'Could not parse the specified URI.', { EC: '0002-00000301' });
  }
}

/**
 * Splits a raw request path into bucket and key.
 * @example resolveAddress('127.0.0.1:9000', '/b/dir/a%2Bb.txt', new Set()) // { bucket: 'b', key: 'dir/a+b.txt' }
 */
export function resolveAddress(hostHeader: string, rawPath: string, serviceHosts: ReadonlySet<string>): Address {
  const hostBucket = bucketFromHost(hostnameOf(hostHeader), serviceHosts);
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (hostBucket !== undefined) {
    return { bucket: hostBucket, key: path === '' ? undefined : decode(path) };
  }
  if (path === '') return {};
  const slash = path.indexOf('/');
  const bucket = decode(slash < 0 ? path : path.slice(0, slash));
  const rawKey = slash < 0 ? '' : path.slice(slash + 1);
  return { bucket, key: rawKey === '' ? undefined : decode(rawKey) };
}

/**
 * Decodes a raw query string; `+` is a space (form encoding), an absent or empty value is ''.
 * The first occurrence of a repeated key wins (docs/protocol.md, "Presigned URLs").
 */
export function parseQuery(rawQuery: string): Record<string, string> {
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decode((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' '));
    if (!Object.hasOwn(query, name)) query[name] = value;
  }
  return query;
}

/** Query keys written as `key=` with nothing after the `=` (V4 signers disagree on these, docs/protocol.md, "Signature V4"). */
export function explicitlyEmptyKeys(rawQuery: string): Set<string> {
  const keys = new Set<string>();
  for (const pair of rawQuery.split('&')) {
    if (!pair.endsWith('=') || pair.indexOf('=') !== pair.length - 1) continue;
    try {
      keys.add(decodeURIComponent(pair.slice(0, -1).replace(/\+/g, ' ')));
    } catch {
      // parseQuery has already refused a malformed escape.
    }
  }
  return keys;
}
