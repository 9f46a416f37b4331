/**
 * Checks that an upload callback really came from OSS (SIGNING.md §6.2): OSS signs
 * `url_decode(path) + rawQuery + "\n" + body` with RSA/MD5 and names its public key by URL.
 */
import { verify } from 'node:crypto';

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
  /** Key URLs must start with one of these (default: OSS's own key host). */
  trustedKeyUrlPrefixes?: string[];
  /** Used to fetch the key (default: global fetch). */
  fetch?: typeof fetch;
}

const DEFAULT_TRUSTED_PREFIXES = ['http://gosspublic.alicdn.com/', 'https://gosspublic.alicdn.com/'];
const KEY_FETCH_TIMEOUT_MS = 10_000;
const MAX_KEY_REDIRECTS = 3;
// The key at a URL never changes (SIGNING.md §6.2), so fetched keys are kept for the process.
const keyCache = new Map<string, Promise<string>>();

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

function isTrusted(url: string, trusted: readonly string[]): boolean {
  return trusted.some((prefix) => prefix !== '' && url.startsWith(prefix));
}

/**
 * Fetches a PEM key. Redirects are followed by hand, and only to URLs under a trusted prefix: a
 * followed redirect would otherwise let a trusted host hand out a key from anywhere. A refused
 * answer's body is cancelled so its connection is released.
 */
async function downloadKey(url: string, fetchFn: typeof fetch, trusted: readonly string[]): Promise<string> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const res = await fetchFn(target, { redirect: 'manual', signal: AbortSignal.timeout(KEY_FETCH_TIMEOUT_MS) });
    if (res.status === 200) return await res.text();
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status > 399 || !location || hop >= MAX_KEY_REDIRECTS) {
      throw new Error(`public key fetch answered ${res.status}`);
    }
    target = new URL(location, target).href;
    if (!isTrusted(target, trusted)) throw new Error('public key redirect leaves the trusted prefixes');
  }
}

function fetchKey(url: string, fetchFn: typeof fetch, trusted: readonly string[]): Promise<string> {
  let pending = keyCache.get(url);
  if (!pending) {
    pending = downloadKey(url, fetchFn, trusted);
    keyCache.set(url, pending);
    // A failed fetch must not poison the cache.
    pending.catch(() => keyCache.delete(url));
  }
  return pending;
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

    let publicKey = options.publicKey;
    if (publicKey === undefined) {
      const encodedUrl = header(request.headers, 'x-oss-pub-key-url');
      if (!encodedUrl) return false;
      const keyUrl = Buffer.from(encodedUrl.trim(), 'base64').toString('utf8');
      const trusted = options.trustedKeyUrlPrefixes ?? DEFAULT_TRUSTED_PREFIXES;
      if (!isTrusted(keyUrl, trusted)) return false;
      const fetchFn = options.fetch ?? globalThis.fetch;
      publicKey = await fetchKey(keyUrl, fetchFn, trusted);
    }

    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body);
    const message = Buffer.concat([Buffer.from(signedTarget(request.url) + '\n', 'utf8'), body]);
    return verify('RSA-MD5', message, publicKey, signature);
  } catch {
    return false;
  }
}
