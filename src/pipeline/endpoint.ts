/**
 * Where a request goes: region normalisation, the endpoint, virtual-hosted vs path-style vs CNAME
 * addressing, and URL encoding of keys and queries. The signer never sees URLs (it signs the
 * decoded bucket/key/query), so the addressing style cannot change a signature (docs/protocol.md, "Signature V1").
 */
import { DEFAULT_REGION } from '../defaults.js';
import { invalidArgument } from '../errors.js';
import { encodePath, rfc3986Encode } from '../signer/encode.js';

export interface EndpointOptions {
  /** `cn-hangzhou`; `oss-cn-hangzhou` is accepted too. */
  region?: string;
  /** Default `https://oss-<region>.aliyuncs.com`; a bare host gets `https://`. */
  endpoint?: string;
  /** Put the bucket in the path instead of the host. Automatic for IPs and `localhost`. */
  pathStyle?: boolean;
  /** The endpoint is the bucket's own domain: no bucket in the host or the path. */
  cname?: boolean;
  /** With `v4` an `*.aliyuncs.com` endpoint must agree with `region` (the region is in the signature). */
  signatureVersion?: 'v4' | 'v1';
}

export type AddressingStyle = 'virtual' | 'path' | 'cname';

export interface ResolvedEndpoint {
  /** `https:` or `http:` */
  protocol: string;
  /** Host name with the port when there is one. */
  host: string;
  /** Bare region id used in V4 scopes. */
  region: string;
  style: AddressingStyle;
}

/** The parts of a request that decide its URL. */
export interface UrlParts {
  bucket?: string;
  key?: string;
  query: Record<string, string>;
}

/** `oss-cn-hangzhou` → `cn-hangzhou` (ali-oss accepts the prefixed form; V4 scopes need the bare id, docs/protocol.md, "Signature V4"). */
export function normalizeRegion(region: string): string {
  const trimmed = region.trim().toLowerCase();
  return trimmed.startsWith('oss-') ? trimmed.slice(4) : trimmed;
}

/**
 * Resolves client options into an endpoint.
 *
 * @example
 * resolveEndpoint({ region: 'oss-cn-hangzhou' }).host; // 'oss-cn-hangzhou.aliyuncs.com'
 * resolveEndpoint({ endpoint: 'http://127.0.0.1:9000' }).style; // 'path'
 */
export function resolveEndpoint(options: EndpointOptions): ResolvedEndpoint {
  const configured = options.region ? normalizeRegion(options.region) : undefined;
  if (options.region !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(configured ?? '')) {
    throw invalidArgument(`region "${options.region}" is not a region id such as "cn-hangzhou"`);
  }
  if (!configured && !options.endpoint) {
    throw invalidArgument("region is required (e.g. region: 'cn-hangzhou'), or an endpoint");
  }
  const url = parseEndpoint(options.endpoint ?? `https://oss-${configured}.aliyuncs.com`);
  const hostRegion = regionOfHost(url.hostname);
  // V4 signs the region into every request (docs/protocol.md, "Signature V4"): refuse to guess it.
  if (!configured && !hostRegion && options.signatureVersion !== 'v1') {
    throw invalidArgument(
      `region is required for V4 signatures with endpoint ${url.hostname}: pass region (e.g. 'cn-hangzhou'), or signatureVersion: 'v1'`,
    );
  }
  if (configured && hostRegion && hostRegion !== configured && options.signatureVersion !== 'v1') {
    throw invalidArgument(
      `endpoint ${url.hostname} is in region ${hostRegion} but region is ${configured}: ` +
        `set region: '${hostRegion}' or use endpoint oss-${configured}.aliyuncs.com`,
    );
  }
  const style: AddressingStyle = options.cname
    ? 'cname'
    : options.pathStyle || isIpOrLocalhost(url.hostname)
      ? 'path'
      : 'virtual';
  return { protocol: url.protocol, host: url.host, region: configured ?? hostRegion ?? DEFAULT_REGION, style };
}

/**
 * The absolute URL for a request.
 *
 * @example
 * requestUrl(endpoint, { bucket: 'b', key: 'a b+c.txt', query: { acl: '' } });
 * // 'https://b.oss-cn-hangzhou.aliyuncs.com/a%20b%2Bc.txt?acl'
 */
export function requestUrl(endpoint: ResolvedEndpoint, parts: UrlParts): string {
  let host = endpoint.host;
  let path = '/';
  if (parts.bucket !== undefined && endpoint.style === 'virtual') host = `${parts.bucket}.${host}`;
  if (parts.bucket !== undefined && endpoint.style === 'path') path += `${parts.bucket}/`;
  if (parts.key !== undefined) path += keyPath(parts.key);
  const query = encodeQuery(parts.query);
  return `${endpoint.protocol}//${host}${path}${query ? `?${query}` : ''}`;
}

const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;

/**
 * A key as a URL path: RFC 3986-encoded with `/` kept, and `.`/`..` segments written `%2E`/`%2E%2E`.
 * `.` is unreserved, so encoding it changes nothing for OSS, which decodes the path to the key (and
 * signs the key, not the URL); but clients that resolve literal dot segments (curl, most HTTP
 * libraries) leave `%2E` alone, so the keys `..`, `a/../b` or `x/.` reach their object rather than
 * another path. WHATWG URL parsers (fetch, browsers) resolve `%2E` too: see {@link hasDotSegment}.
 *
 * @example keyPath('a/../b c') // 'a/%2E%2E/b%20c'
 */
export function keyPath(key: string): string {
  // Most keys have no dot segment: one pass over the whole key.
  if (!DOT_SEGMENT.test(key)) return encodePath(key);
  return key
    .split('/')
    .map((segment) => (segment === '.' ? '%2E' : segment === '..' ? '%2E%2E' : encodePath(segment)))
    .join('/');
}

/**
 * Whether a URL's path holds a dot segment (`.`, `..`, `%2E`, `%2E%2E`…), which a WHATWG URL parser
 * removes: sent through fetch, such a request would reach another object.
 *
 * @example hasDotSegment('https://b.oss-cn-hangzhou.aliyuncs.com/a/%2E%2E/b') // true
 */
export function hasDotSegment(url: string): boolean {
  const query = url.indexOf('?');
  const path = (query < 0 ? url : url.slice(0, query)).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  return /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(path);
}

/**
 * Browsers' fetch and XHR resolve dot segments (even `%2E`), so the key `a/../b` would reach `b`:
 * refuse such a URL rather than touch another object.
 */
export function refuseDotSegments(url: string, transport: string): void {
  if (hasDotSegment(url)) {
    throw invalidArgument(`${transport} cannot send a key with a "." or ".." path segment; use the Node transport`);
  }
}

/** `a=1&acl`: keys and values RFC 3986-encoded; an empty value is a bare key. */
export function encodeQuery(query: Record<string, string>): string {
  // A plain loop: every request and presigned URL comes through here.
  let out = '';
  let sep = '';
  for (const name in query) {
    if (!Object.hasOwn(query, name)) continue;
    const value = query[name]!;
    out += sep + (value === '' ? rfc3986Encode(name) : `${rfc3986Encode(name)}=${rfc3986Encode(value)}`);
    sep = '&';
  }
  return out;
}

function parseEndpoint(endpoint: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalidArgument(`endpoint "${endpoint}" is not a host name or URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(`endpoint "${endpoint}" must use http or https`);
  }
  return url;
}

/** The region an official OSS host names: `oss-cn-hangzhou(-internal).aliyuncs.com` or dual-stack `cn-hangzhou.oss.aliyuncs.com`. */
function regionOfHost(hostname: string): string | undefined {
  const host = hostname.toLowerCase();
  if (!host.endsWith('.aliyuncs.com')) return undefined;
  const labels = host.split('.');
  const classic = labels.find((label) => label.startsWith('oss-'));
  if (classic && labels.length >= 3) {
    const region = classic.slice(4).replace(/-internal$/, '');
    // Global acceleration endpoints carry no region.
    return region.startsWith('accelerate') ? undefined : region;
  }
  const dual = host.match(/(?:^|\.)([a-z]{2}-[a-z0-9-]+)\.oss\.aliyuncs\.com$/);
  return dual?.[1];
}

function isIpOrLocalhost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname.startsWith('[') ||
    /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname)
  );
}
