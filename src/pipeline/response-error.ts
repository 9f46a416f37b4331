/**
 * Error mapping: an answer that is not a success becomes an `OssError` (docs/protocol.md, "Error answers"). XML
 * `<Error>` bodies give code, message, request id, host id and EC; body-less answers (HEAD) use the
 * base64 XML in `x-oss-err` when present, else a code derived from the status.
 */
import { readBody } from './body.js';
import { callbackFailedError } from '../handoff/callback.js';
import type { HttpRequest, HttpResponse } from '../commands/types.js';
import { OssError, type OssErrorFields } from '../errors.js';
import { fromBase64, fromUtf8 } from '../integrity/hash.js';
import { parseXml, type XmlNode } from '../commands/xml.js';

/** Where the request went, for the error message (never the query string). */
export interface ErrorContext {
  operation: string;
  request: Pick<HttpRequest, 'bucket' | 'key' | 'method'>;
}

const KNOWN_FIELDS = new Set(['Code', 'Message', 'RequestId', 'HostId', 'EC']);
/** Details that may echo credentials or signing material; never kept. */
const SECRET_FIELDS = new Set(['SignatureProvided', 'StringToSign', 'StringToSignBytes', 'CanonicalRequest', 'SecurityToken']);

/** Response `Date` headers of mapped errors, for clock-skew correction (see {@link serverTimeOf}). */
const serverDates = new WeakMap<OssError, string>();

/**
 * Reads a failed answer into an `OssError`. HTTP 203 is a stored object whose callback failed.
 *
 * @example throw await toOssError(response, { operation: 'GetObject', request });
 */
export async function toOssError(response: HttpResponse, context: ErrorContext): Promise<OssError> {
  const body = fromUtf8(await readBody(response).catch(() => new Uint8Array()));
  const errorNode = errorElement(body) ?? errorElement(decodeErrHeader(response.headers['x-oss-err']));
  const fields: OssErrorFields = {
    code: text(errorNode, 'Code') ?? codeForStatus(response.status, context.request),
    status: response.status,
    message: text(errorNode, 'Message') ?? `HTTP ${response.status}`,
    requestId: text(errorNode, 'RequestId') ?? response.headers['x-oss-request-id'],
    hostId: text(errorNode, 'HostId'),
    ec: text(errorNode, 'EC') ?? response.headers['x-oss-ec'],
    details: details(errorNode, response.headers),
    operation: context.operation,
    bucket: context.request.bucket,
    key: context.request.key,
  };
  const error = response.status === 203 ? callbackFailedError(fields) : new OssError(fields);
  const date = response.headers['date'];
  if (date) serverDates.set(error, date);
  return error;
}

/** The server's clock as a mapped error reported it: `<ServerTime>`, else the response `Date`. */
export function serverTimeOf(error: OssError): Date | undefined {
  const value = error.details['ServerTime'] ?? serverDates.get(error);
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** The code OSS would have sent, for answers without a body (HEAD). */
export function codeForStatus(status: number, request: Pick<HttpRequest, 'bucket' | 'key'>): string {
  switch (status) {
    case 304:
      return 'NotModified';
    case 400:
      return 'InvalidRequest';
    case 403:
      return 'AccessDenied';
    case 404:
      return request.key !== undefined ? 'NoSuchKey' : request.bucket !== undefined ? 'NoSuchBucket' : 'NotFound';
    case 409:
      return 'Conflict';
    case 412:
      return 'PreconditionFailed';
    case 416:
      return 'InvalidRange';
    case 429:
      return 'TooManyRequests';
    case 203:
      return 'CallbackFailed';
    default:
      return status >= 500 ? 'InternalError' : `HTTP${status}`;
  }
}

function errorElement(xml: string): XmlNode | undefined {
  if (!xml) return undefined;
  try {
    const root = parseXml(xml)['Error'];
    return typeof root === 'object' && !Array.isArray(root) ? root : undefined;
  } catch {
    return undefined;
  }
}

function decodeErrHeader(value: string | undefined): string {
  if (!value) return '';
  try {
    return fromUtf8(fromBase64(value));
  } catch {
    return '';
  }
}

function text(node: XmlNode | undefined, tag: string): string | undefined {
  const value = node?.[tag];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The error body's further fields, plus what a versioned bucket says in headers only: reading a key
 * whose current version is a delete marker answers 404 with `x-oss-delete-marker: true` and the
 * marker's `x-oss-version-id` (as `DeleteMarker` and `VersionId`).
 */
function details(node: XmlNode | undefined, headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(node ?? {})) {
    if (typeof value === 'string' && !KNOWN_FIELDS.has(name) && !SECRET_FIELDS.has(name)) out[name] = value;
  }
  if (headers['x-oss-delete-marker']) out['DeleteMarker'] ??= headers['x-oss-delete-marker'];
  if (headers['x-oss-version-id']) out['VersionId'] ??= headers['x-oss-version-id'];
  return out;
}
