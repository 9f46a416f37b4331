/**
 * Checks that an upload callback really came from OSS: OSS signs
 * `url_decode(path) + rawQuery + "\n" + body` with RSA/MD5 and names its public key by URL.
 */
import { type KeyObject, createPublicKey, verify } from 'node:crypto';

/** The callback request as the application server received it. */
export interface CallbackRequest {
  /** Path and query as received, e.g. `/cb?id=1` (an absolute URL is accepted too). */
  url: string;
  /** Case-insensitive; a plain object (Node's `req.headers`) or `Headers`. */
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The raw body. */
  body: string | Uint8Array;
}

export interface VerifyCallbackOptions {
  /** PEM public key; when given, no key is fetched and the key URL header is ignored. */
  publicKey?: string;
  /**
   * Where a public key may be fetched from. Default `['https://gosspublic.alicdn.com/']`: HTTPS only,
   * so no one on the network path can serve a key of their own. A key URL that OSS names with
   * `http://` is fetched over HTTPS from the same host and path when that is trusted.
   *
   * A prefix is compared as a URL, not as text: scheme, host and port must be equal, and its path
   * must be a whole-segment prefix of the key's path (`https://keys.example/pub` trusts
   * `https://keys.example/pub/k.pem` and `…/pub`, not `…/pubX` nor `https://keys.example.evil.test/`).
   * Listing an `http://` prefix opts in to fetching keys over plain HTTP from it.
   * @example verifyCallback(req, { trustedKeyUrlPrefixes: ['https://gosspublic.alicdn.com/', 'http://127.0.0.1:9000/'] })
   */
  trustedKeyUrlPrefixes?: string[];
  /** Used to fetch the key (default: global fetch). */
  fetch?: typeof fetch;
}

const DEFAULT_TRUSTED_PREFIXES: readonly string[] = ['https://gosspublic.alicdn.com/'];
const KEY_FETCH_TIMEOUT_MS = 10_000;
const MAX_KEY_REDIRECTS = 3;
/** A PEM RSA public key is well under 2 KiB; anything much bigger is not a key. */
export const MAX_PUBLIC_KEY_BYTES = 16 * 1024;
/**
 * The key at a URL never changes, so fetched keys are kept, keyed by the URL actually fetched
 * (query and fragment dropped). The cache is bounded (least recently used dropped) because key URLs
 * come from request headers, which anyone can forge.
 */
const MAX_CACHED_KEYS = 32;
const keyCache = new Map<string, Promise<KeyObject>>();

function header(headers: CallbackRequest['headers'], name: string): string | undefined {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** `url_decode(path) + "?query"` with the query kept raw. Throws on malformed percent-encoding. */
function signedTarget(url: string): string {
  const pathAndQuery = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const hash = pathAndQuery.indexOf('#');
  const target = hash < 0 ? pathAndQuery : pathAndQuery.slice(0, hash);
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  const query = q < 0 ? '' : target.slice(q);
  return decodeURIComponent(path || '/') + query;
}

function parseHttpUrl(text: string): URL | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
}

/** Whether `url` lies under `prefix`: same origin, and the prefix's path is a whole-segment prefix. */
function isUnder(url: URL, prefixText: string): boolean {
  const prefix = parseHttpUrl(prefixText);
  if (!prefix || prefix.origin !== url.origin) return false;
  const base = prefix.pathname;
  if (base.endsWith('/')) return url.pathname.startsWith(base);
  return url.pathname === base || url.pathname.startsWith(`${base}/`);
}

/**
 * The URL to fetch a key from, or undefined when no trusted prefix covers it: origin and path only
 * (query, fragment and user info dropped). An `http://` URL on the default port is upgraded to
 * `https://` when only the HTTPS form is trusted.
 */
export function trustedKeyUrl(text: string, trusted: readonly string[]): string | undefined {
  const url = parseHttpUrl(text);
  if (!url) return undefined;
  const candidates = [url];
  if (url.protocol === 'http:' && url.port === '') candidates.push(new URL(`https://${url.host}${url.pathname}`));
  const chosen = candidates.find((candidate) => trusted.some((prefix) => isUnder(candidate, prefix)));
  return chosen && `${chosen.origin}${chosen.pathname}`;
}

/** Reads at most {@link MAX_PUBLIC_KEY_BYTES} of a key answer; a longer one is refused unread. */
async function readKeyText(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_PUBLIC_KEY_BYTES) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error('public key answer is too large');
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_PUBLIC_KEY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw new Error('public key answer is too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Fetches and parses a PEM key. Redirects are followed by hand, and only to URLs under a trusted
 * prefix: a followed redirect would otherwise let a trusted host hand out a key from anywhere. A
 * refused answer's body is cancelled so its connection is released.
 */
async function downloadKey(url: string, fetchFn: typeof fetch, trusted: readonly string[]): Promise<KeyObject> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const res = await fetchFn(target, { redirect: 'manual', signal: AbortSignal.timeout(KEY_FETCH_TIMEOUT_MS) });
    if (res.status === 200) return createPublicKey(await readKeyText(res));
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location || hop >= MAX_KEY_REDIRECTS) {
      throw new Error(`public key fetch answered ${res.status}`);
    }
    const next = trustedKeyUrl(new URL(location, target).href, trusted);
    if (next === undefined) throw new Error('public key redirect leaves the trusted prefixes');
    target = next;
  }
}

function fetchKey(url: string, fetchFn: typeof fetch, trusted: readonly string[]): Promise<KeyObject> {
  let pending = keyCache.get(url);
  if (pending) {
    // Refresh recency so the key in use is not the one evicted.
    keyCache.delete(url);
    keyCache.set(url, pending);
    return pending;
  }
  pending = downloadKey(url, fetchFn, trusted);
  if (keyCache.size >= MAX_CACHED_KEYS) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(url, pending);
  // A failed fetch must not poison the cache.
  pending.catch(() => {
    if (keyCache.get(url) === pending) keyCache.delete(url);
  });
  return pending;
}

/** Number of cached public keys (for tests). */
export function callbackKeyCacheSize(): number {
  return keyCache.size;
}

/**
 * Verifies an OSS upload callback. Returns false (never throws) for a missing, malformed or wrong
 * signature, or a key URL outside the trusted prefixes.
 * @example
 * http.createServer(async (req, res) => {
 *   const body = await readAll(req);
 *   const ok = await verifyCallback({ url: req.url!, headers: req.headers, body });
 *   res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok }));
 * });
 */
export async function verifyCallback(request: CallbackRequest, options: VerifyCallbackOptions = {}): Promise<boolean> {
  try {
    const authorization = header(request.headers, 'authorization');
    if (!authorization) return false;
    const signature = Buffer.from(authorization.trim(), 'base64');
    if (signature.length === 0) return false;

    let publicKey: string | KeyObject | undefined = options.publicKey;
    if (publicKey === undefined) {
      const encodedUrl = header(request.headers, 'x-oss-pub-key-url');
      if (!encodedUrl) return false;
      const keyUrl = Buffer.from(encodedUrl.trim(), 'base64').toString('utf8');
      const trusted = options.trustedKeyUrlPrefixes ?? DEFAULT_TRUSTED_PREFIXES;
      const fetchUrl = trustedKeyUrl(keyUrl, trusted);
      if (fetchUrl === undefined) return false;
      publicKey = await fetchKey(fetchUrl, options.fetch ?? globalThis.fetch, trusted);
    }

    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body);
    const message = Buffer.concat([Buffer.from(signedTarget(request.url) + '\n', 'utf8'), body]);
    return verify('RSA-MD5', message, publicKey, signature);
  } catch {
    return false;
  }
}
