/**
 * Upload callbacks, client side (docs/protocol.md, "Upload callbacks"): validate a {@link CallbackInput}, encode it as the
 * `x-oss-callback` / `x-oss-callback-var` values, and read what OSS hands back (the application
 * server's answer on 200, `CallbackFailed` on 203). Browser-safe: no `node:` imports.
 */
import { MAX_CALLBACK_BYTES, MAX_CALLBACK_URLS } from '../defaults.js';
import { OssError, invalidArgument, type OssErrorFields } from '../errors.js';
import { base64Utf8, fromUtf8 } from '../integrity/hash.js';

export type CallbackBodyType = 'application/x-www-form-urlencoded' | 'application/json';

/**
 * What OSS should POST to your application server once the object is stored.
 * @example
 * const cb: CallbackInput = {
 *   url: 'https://app.example.com/oss-callback',
 *   body: 'bucket=${bucket}&object=${object}&size=${size}&uid=${x:uid}',
 *   vars: { 'x:uid': '42' },
 * };
 */
export interface CallbackInput {
  /** Up to 5 URLs separated by `;`, tried in order. */
  url: string;
  /** Host header OSS sends (defaults to the URL's host). */
  host?: string;
  /** Template with `${bucket}`, `${object}`, `${etag}`, `${size}`, `${mimeType}`, `${imageInfo.*}`, `${x:var}`. */
  body: string;
  bodyType?: CallbackBodyType;
  /** Send SNI when the callback URL is HTTPS. */
  sni?: boolean;
  /** Custom variables; keys are lower-case and begin with `x:`. */
  vars?: Record<string, string>;
}

/** The two header values of a callback request; also usable as a plain header record. */
export type EncodedCallback = Record<string, string> & {
  'x-oss-callback': string;
  'x-oss-callback-var'?: string;
};

const BODY_TYPES: readonly string[] = ['application/x-www-form-urlencoded', 'application/json'];

/**
 * Checks a callback before anything is sent; throws `OssClientError('InvalidArgument')`.
 * @example validateCallback({ url: 'https://a.example/cb', body: 'k=${object}' })
 */
export function validateCallback(cb: CallbackInput): void {
  if (typeof cb !== 'object' || cb === null) throw invalidArgument('callback must be an object');
  if (typeof cb.url !== 'string' || cb.url.trim() === '') throw invalidArgument('callback.url is required');
  const urls = cb.url.split(';');
  if (urls.length > MAX_CALLBACK_URLS) {
    throw invalidArgument(`callback.url holds ${urls.length} URLs; at most ${MAX_CALLBACK_URLS} are allowed`);
  }
  if (urls.some((u) => u.trim() === '')) throw invalidArgument('callback.url has an empty entry');
  if (typeof cb.body !== 'string' || cb.body === '') throw invalidArgument('callback.body is required');
  if (cb.bodyType !== undefined && !BODY_TYPES.includes(cb.bodyType)) {
    throw invalidArgument(`callback.bodyType must be one of ${BODY_TYPES.join(', ')}`);
  }
  if (cb.host !== undefined && (typeof cb.host !== 'string' || cb.host === '')) {
    throw invalidArgument('callback.host must be a non-empty string');
  }
  for (const [name, value] of Object.entries(cb.vars ?? {})) {
    // OSS requires the `x:` prefix and lower case (docs/protocol.md, "Upload callbacks").
    if (!name.startsWith('x:') || name.length < 3 || name !== name.toLowerCase()) {
      throw invalidArgument(`callback var "${name}" must be lower-case and begin with "x:"`);
    }
    if (typeof value !== 'string') throw invalidArgument(`callback var "${name}" must be a string`);
  }
}

function callbackJson(cb: CallbackInput): string {
  const doc: Record<string, string | boolean> = { callbackUrl: cb.url };
  if (cb.host !== undefined) doc.callbackHost = cb.host;
  doc.callbackBody = cb.body;
  if (cb.bodyType !== undefined) doc.callbackBodyType = cb.bodyType;
  if (cb.sni !== undefined) doc.callbackSNI = cb.sni;
  return JSON.stringify(doc);
}

/**
 * Validates and encodes a callback as the `x-oss-callback` (and `x-oss-callback-var`) header values:
 * base64 of UTF-8 JSON. Both are `x-oss-*` headers, so the signer signs them.
 * @example
 * Object.assign(request.headers, encodeCallback({ url: 'https://a.example/cb', body: 'o=${object}' }));
 */
export function encodeCallback(cb: CallbackInput): EncodedCallback {
  validateCallback(cb);
  const out: EncodedCallback = { 'x-oss-callback': base64Utf8(callbackJson(cb)) };
  if (cb.vars && Object.keys(cb.vars).length > 0) out['x-oss-callback-var'] = base64Utf8(JSON.stringify(cb.vars));
  for (const [name, value] of Object.entries(out)) {
    if (value.length > MAX_CALLBACK_BYTES) {
      throw invalidArgument(`${name} is ${value.length} bytes encoded; at most ${MAX_CALLBACK_BYTES} are allowed`);
    }
  }
  return out;
}

/**
 * The same values as query parameters (`callback`, `callback-var`), for presigned URLs.
 * @example presign({ key, method: 'PUT', query: encodeCallbackQuery(cb) })
 */
export function encodeCallbackQuery(cb: CallbackInput): { callback: string; 'callback-var'?: string } {
  const encoded = encodeCallback(cb);
  const out: { callback: string; 'callback-var'?: string } = { callback: encoded['x-oss-callback'] };
  if (encoded['x-oss-callback-var'] !== undefined) out['callback-var'] = encoded['x-oss-callback-var'];
  return out;
}

/**
 * The form fields of a PostObject callback: `callback` plus one `x:var` field per custom variable.
 * @example Object.assign(fields, encodeCallbackFormFields(cb))
 */
export function encodeCallbackFormFields(cb: CallbackInput): Record<string, string> {
  const encoded = encodeCallback(cb);
  return { callback: encoded['x-oss-callback'], ...(cb.vars ?? {}) };
}

/**
 * Reads the application server's answer that OSS relays on a 200: JSON when it is JSON, else text.
 * @example parseCallbackResult(bytes, 'application/json') // { ok: true }
 */
export function parseCallbackResult(bytes: Uint8Array, contentType?: string): unknown {
  const text = fromUtf8(bytes);
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text);
  if (looksJson && text.trim() !== '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The error for an HTTP 203 answer: the object was stored, but OSS could not deliver the callback.
 * `fields` are what the XML error body held (message, requestId, ec…).
 * @example throw callbackFailedError({ message: 'Error status : 502.', requestId })
 */
export function callbackFailedError(fields: Partial<OssErrorFields> = {}): OssError {
  const reason = fields.message ? `: ${fields.message}` : '';
  return new OssError({
    ...fields,
    code: 'CallbackFailed',
    status: fields.status ?? 203,
    message: `The object was stored, but the upload callback failed${reason}`,
  });
}
