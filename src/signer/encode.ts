/**
 * RFC 3986 percent-encoding as OSS V4 signs it (docs/protocol.md): UTF-8 bytes, keep
 * `A-Z a-z 0-9 - _ . ~`, everything else `%XX` with upper-case hex. Browser-safe.
 */

// encodeURIComponent leaves these five unreserved-in-RFC-2396 characters alone; RFC 3986 does not.
const EXTRA = /[!'()*]/g;

// encodeURI leaves the reserved characters and `#` alone too; a path keeps only `/` of them.
const PATH_EXTRA = /[!#$&'()*+,:;=?@]/g;

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;

function escapeExtra(c: string): string {
  return '%' + c.charCodeAt(0).toString(16).toUpperCase();
}

/**
 * Percent-encodes every byte outside the RFC 3986 unreserved set (so `/` → `%2F`, space → `%20`).
 * Throws URIError on a lone UTF-16 surrogate, which has no UTF-8 encoding.
 * @example rfc3986Encode("a b+c*d'~") // 'a%20b%2Bc%2Ad%27~'
 */
export function rfc3986Encode(value: string): string {
  // Most keys, values and path segments need no escaping: skip encodeURIComponent and the replace.
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(EXTRA, escapeExtra);
}

/**
 * Like {@link rfc3986Encode} but keeps `/`, for paths (the V4 canonical URI, §3.3).
 * @example encodePath('/bucket/dir/a b.txt') // '/bucket/dir/a%20b.txt'
 */
export function encodePath(path: string): string {
  if (UNRESERVED_PATH.test(path)) return path;
  // A presigned key is encoded twice in a row, for the signed path and for the URL: the second
  // time is a string comparison.
  if (path !== lastPath) {
    // One native pass that keeps `/` (and escapes `%`, `[`, `]`, space, non-ASCII), then the
    // reserved characters it left alone.
    lastEncodedPath = encodeURI(path).replace(PATH_EXTRA, escapeExtra);
    lastPath = path;
  }
  return lastEncodedPath;
}

let lastPath = '';
let lastEncodedPath = '';
