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
