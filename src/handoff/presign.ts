/**
 * Presigned URLs (docs/protocol.md, "Presigned URLs" for V4): a URL that carries its own signature, so a browser,
 * `curl` or a third party can use it with no credentials. Pure apart from reading credentials: no
 * transport, no socket, no XML — importing only `presign` keeps a bundle small.
 */
import { encodeCallback, type CallbackInput } from './callback.js';
import type { CredentialsSource, Credentials } from '../credentials/credentials.js';
import { DEFAULT_PRESIGN_EXPIRES, MAX_V4_EXPIRES } from '../defaults.js';
import { requestUrl, resolveEndpoint, type EndpointOptions, type ResolvedEndpoint } from '../pipeline/endpoint.js';
import { OssClientError, invalidArgument } from '../errors.js';
import { presignV1 } from '../signer/v1.js';
import { presignV4 } from '../signer/v4.js';
import type { SigningRequest } from '../signer/types.js';
import { encodeHeaderValues } from '../pipeline/header-value.js';
import { validateBucketName, validateExpires, validateHeaders, validateKey } from '../commands/validate.js';

/** Methods a presigned URL may be used with. */
export type PresignMethod = 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';

/** What presigning needs from the client configuration. */
export interface PresignConfig extends EndpointOptions {
  /** Default bucket. */
  bucket?: string;
  /** Fixed credentials or an async provider (STS). */
  credentials: CredentialsSource;
  /** Default `'v4'`. */
  signatureVersion?: 'v4' | 'v1';
  /** The signing clock; defaults to the system clock. The client passes its skew-corrected clock. */
  now?: () => Date;
}

export interface PresignInput {
  key: string;
  /** Default `'GET'`. */
  method?: PresignMethod;
  /** Seconds the URL stays valid; default 900. V4: 1…604800. */
  expires?: number;
  /**
   * Headers the URL's user will send. `Content-Type`, `Content-MD5` and `x-oss-*` (e.g.
   * `x-oss-storage-class`, `x-oss-meta-*`) are signed, so they must then be sent exactly as given.
   */
  headers?: Record<string, string>;
  /** Query parameters (`response-content-disposition`, `x-oss-process`, `versionId`…); signed. */
  query?: Record<string, string>;
  /** Upload callback for a presigned PUT: signed in as `x-oss-callback(-var)` headers. */
  callback?: CallbackInput;
  bucket?: string;
}

export interface PresignOutput {
  url: string;
  method: PresignMethod;
  /** Exactly the headers the caller must send with the URL (lower-case names). */
  headers: Record<string, string>;
  /** When the URL stops working. */
  expiration: Date;
}

const METHODS: readonly string[] = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'];

/**
 * OSS parses V1 `Expires` as a signed 64-bit Unix time (ossutil documents that now + timeout must not
 * overflow int64). We refuse earlier, at the last instant a JavaScript Date can hold (8.64e12 s, year
 * 275760), so that `expiration` is always a real Date and `Expires` an exact integer.
 */
const MAX_EXPIRES_AT_SECONDS = 8.64e12;

/**
 * Creates a presigned URL. Async because credentials may come from a provider; it never opens a
 * connection. The returned `headers` must be sent with the URL (a signed Content-Type especially:
 * a browser that sends another one gets 403 SignatureDoesNotMatch).
 *
 * @example
 * const { url, headers } = await presign(
 *   { region: 'cn-hangzhou', bucket: 'photos', credentials: { accessKeyId, accessKeySecret } },
 *   { key: 'cat.jpg', method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, expires: 600 },
 * );
 * await fetch(url, { method: 'PUT', headers, body: file });
 */
export async function presign(config: PresignConfig, input: PresignInput): Promise<PresignOutput> {
  return presignAt(config, input, () => resolveEndpoint({ ...config, signatureVersion: config.signatureVersion ?? 'v4' }));
}

/**
 * {@link presign} with the endpoint resolved by the caller: a client resolves its endpoint once, not
 * per URL. `endpoint` is called after the input is checked, so bad input is refused first.
 */
export async function presignAt(
  config: PresignConfig,
  input: PresignInput,
  endpoint: () => ResolvedEndpoint,
): Promise<PresignOutput> {
  const method = (input.method ?? 'GET').toUpperCase() as PresignMethod;
  if (!METHODS.includes(method)) throw invalidArgument(`presign method must be one of ${METHODS.join(', ')}`);
  const bucket = input.bucket ?? config.bucket;
  if (bucket === undefined) throw invalidArgument('presign needs a bucket: pass one or configure the client with one');
  validateBucketName(bucket);
  validateKey(input.key);
  const version = config.signatureVersion ?? 'v4';
  const expires = input.expires ?? DEFAULT_PRESIGN_EXPIRES;
  if (!Number.isSafeInteger(expires) || expires < 1) {
    throw invalidArgument(`presign expires ${expires} must be a positive whole number of seconds`);
  }
  if (version === 'v4') validateExpires(expires, MAX_V4_EXPIRES);

  const headers = lowerCaseHeaders(input.headers ?? {});
  if (input.callback) Object.assign(headers, encodeCallback(input.callback));
  validateHeaders(headers);
  const query = { ...(input.query ?? {}) };
  checkQuery(query);
  const resolved = endpoint();
  const credentials = await loadCredentials(config.credentials);
  const now = config.now ? config.now() : new Date();
  const expiresAt = Math.floor(now.getTime() / 1000) + expires;
  if (expiresAt > MAX_EXPIRES_AT_SECONDS) throw invalidArgument(`presign expires ${expires} is too large`);
  const expiration = new Date(expiresAt * 1000);
  checkTokenLifetime(expiration, credentials);

  const request: SigningRequest = { method, bucket, key: input.key, query, headers };
  const added =
    version === 'v1'
      ? presignV1(request, credentials, { now, expires })
      : presignV4(request, credentials, { now, expires, region: resolved.region });
  const url = requestUrl(resolved, { bucket, key: input.key, query: { ...query, ...added } });
  // Signed as text; returned as the byte strings (UTF-8 bytes) fetch and Node send unchanged.
  return { url, method, headers: encodeHeaderValues(headers), expiration };
}

function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== 'string') throw invalidArgument(`presign header "${name}" must be a string`);
    out[name.toLowerCase()] = value;
  }
  return out;
}

/** The signature parameters are the signer's to set (§2, §4); a caller copy would be ambiguous. */
const RESERVED_QUERY = new Set([
  'ossaccesskeyid',
  'expires',
  'signature',
  'security-token',
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-additional-headers',
  'x-oss-security-token',
  'x-oss-signature',
]);

function checkQuery(query: Record<string, string>): void {
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== 'string') throw invalidArgument(`presign query "${name}" must be a string`);
    if (RESERVED_QUERY.has(name.toLowerCase())) {
      throw invalidArgument(`presign query must not set the signature parameter "${name}"`);
    }
  }
}

/** Reads fixed or provided credentials; a provider failure becomes `CredentialsError`. */
export async function loadCredentials(source: CredentialsSource): Promise<Credentials> {
  let credentials: Credentials;
  try {
    credentials = typeof source === 'function' ? await source() : source;
  } catch (error) {
    if (error instanceof OssClientError) throw error;
    throw new OssClientError('CredentialsError', 'the credentials provider failed', { cause: error });
  }
  if (!credentials || !credentials.accessKeyId || !credentials.accessKeySecret) {
    throw new OssClientError('CredentialsError', 'signing needs credentials with an accessKeyId and accessKeySecret');
  }
  return credentials;
}

/**
 * V4 allows 1…604800 s (§4; presignV4 enforces it). With either version, a URL signed with temporary
 * credentials stops working with the token, so promising more would mislead.
 */
function checkTokenLifetime(expiration: Date, credentials: Credentials): void {
  if (credentials.expiration && expiration.getTime() > credentials.expiration.getTime()) {
    throw invalidArgument(
      `presign expires past the temporary credentials' expiration (${credentials.expiration.toISOString()}); ` +
        'shorten expires or refresh the credentials',
    );
  }
}
