/**
 * The two error classes of the public contract. Each carries a `Symbol.for` brand so that
 * `instanceof` holds even when an ESM and a CJS copy of osskit are loaded side by side.
 * Messages name the operation, bucket and key — never a query string, token, secret or signature.
 */

const OSS_ERROR = Symbol.for('osskit.OssError');
const OSS_CLIENT_ERROR = Symbol.for('osskit.OssClientError');

export interface OssErrorFields {
  code: string;
  status: number;
  message: string;
  requestId?: string;
  hostId?: string;
  ec?: string;
  /** Any further fields the XML error body held (e.g. `StringToSign`, `ServerTime`). */
  details?: Record<string, string>;
  operation?: string;
  bucket?: string;
  key?: string;
  cause?: unknown;
}

/** The service answered with an error. */
export class OssError extends Error {
  readonly code: string;
  readonly status: number;
  readonly requestId: string;
  readonly hostId: string;
  readonly ec: string;
  readonly details: Record<string, string>;
  readonly operation?: string;
  readonly bucket?: string;
  readonly key?: string;

  constructor(fields: OssErrorFields) {
    super(describe(fields.message, fields), fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = 'OssError';
    this.code = fields.code;
    this.status = fields.status;
    this.requestId = fields.requestId ?? '';
    this.hostId = fields.hostId ?? '';
    this.ec = fields.ec ?? '';
    this.details = fields.details ?? {};
    this.operation = fields.operation;
    this.bucket = fields.bucket;
    this.key = fields.key;
  }

  get [OSS_ERROR](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OSS_ERROR] === true;
  }
}

/**
 * The same service error told in other words: code, status, ids and details kept, a new message and
 * where it happened, the original as `cause`.
 */
export function restateOssError(
  error: OssError,
  message: string,
  where: Pick<OssErrorFields, 'operation' | 'bucket' | 'key'>,
): OssError {
  const { code, status, requestId, hostId, ec, details } = error;
  return new OssError({ code, status, requestId, hostId, ec, details, message, ...where, cause: error });
}

export type OssClientErrorCode =
  | 'InvalidArgument'
  | 'NetworkError'
  | 'Timeout'
  | 'Aborted'
  | 'CrcMismatch'
  | 'CredentialsError';

export interface OssClientErrorOptions {
  operation?: string;
  bucket?: string;
  key?: string;
  cause?: unknown;
}

/** No usable service answer, or input refused before sending. */
export class OssClientError extends Error {
  readonly code: OssClientErrorCode;
  readonly operation?: string;
  readonly bucket?: string;
  readonly key?: string;

  constructor(code: OssClientErrorCode, message: string, options: OssClientErrorOptions = {}) {
    super(describe(message, options), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OssClientError';
    this.code = code;
    this.operation = options.operation;
    this.bucket = options.bucket;
    this.key = options.key;
  }

  get [OSS_CLIENT_ERROR](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OSS_CLIENT_ERROR] === true
    );
  }
}

export function isOssError(value: unknown): value is OssError {
  return value instanceof OssError;
}

export function isOssClientError(value: unknown, code?: OssClientErrorCode): value is OssClientError {
  return value instanceof OssClientError && (code === undefined || value.code === code);
}

/** Shorthand for the most common refusal. */
export function invalidArgument(message: string, options?: OssClientErrorOptions): OssClientError {
  return new OssClientError('InvalidArgument', message, options);
}

function describe(message: string, where: { operation?: string; bucket?: string; key?: string }): string {
  const parts: string[] = [];
  if (where.operation) parts.push(where.operation);
  if (where.bucket) parts.push(where.key === undefined ? `bucket ${where.bucket}` : `${where.bucket}/${where.key}`);
  return parts.length ? `${message} (${parts.join(' ')})` : message;
}

/** What replaces a secret found in an error. */
const REDACTED = '[redacted]';
/** Shorter strings are not scrubbed: replacing them would garble messages (real secrets are longer). */
const MIN_SECRET_LENGTH = 8;

/**
 * Removes secrets by value from an error and its causes, in place: every occurrence of each secret
 * (as is, percent-encoded or XML-escaped) in messages, stacks, codes, ids and details. Field-name
 * filtering misses a server or proxy that echoes the Authorization header or the token inside
 * `<Message>` or any other tag; this does not.
 *
 * @example throw scrubSecrets(error, [credentials.accessKeySecret, signature]);
 */
export function scrubSecrets<E>(error: E, secrets: Iterable<string | undefined>): E {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'));
  }
  if (forms.size === 0) return error;
  // Longest first, so that a secret containing another is removed whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  const clean = (text: string): string => {
    let out = text;
    for (const form of ordered) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  };
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null && !seen.has(current); depth++) {
    seen.add(current);
    const record = current as Record<string, unknown>;
    for (const field of ['message', 'stack', 'code', 'requestId', 'hostId', 'ec', 'bucket', 'key']) {
      const value = record[field];
      if (typeof value === 'string' && ordered.some((form) => value.includes(form))) {
        Object.defineProperty(current, field, { value: clean(value), writable: true, configurable: true, enumerable: field !== 'message' && field !== 'stack' });
      }
    }
    const details = record['details'];
    if (typeof details === 'object' && details !== null) {
      const entries = Object.entries(details as Record<string, unknown>).map(([k, v]) => [clean(k), typeof v === 'string' ? clean(v) : v]);
      Object.defineProperty(current, 'details', { value: Object.fromEntries(entries), writable: true, configurable: true, enumerable: true });
    }
    const cause = record['cause'];
    if (typeof cause === 'string') {
      Object.defineProperty(current, 'cause', { value: clean(cause), writable: true, configurable: true });
      break;
    }
    current = cause;
  }
  return error;
}
