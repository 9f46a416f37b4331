import { isBlob, readAll } from '../pipeline/body.js';
import { refuseDotSegments } from '../pipeline/endpoint.js';
import { OssClientError } from '../errors.js';
import { abortedError } from '../pipeline/retry.js';
import type { Transport, TransportBody, TransportOptions, TransportRequest, TransportResponse } from './types.js';

/**
 * Browser transport over XMLHttpRequest. fetch() cannot report how many request-body bytes went out
 * (streaming request bodies need HTTP/2 and `duplex: 'half'`, and still give no byte count), while
 * `xhr.upload.onprogress` does. Policy: the browser client sends everything with fetch and hands a
 * request to this transport only when it has a body *and* the caller asked for upload progress
 * ({@link withXhrUploads}). XHR cannot stream a response, so the answer is buffered and then offered as
 * a one-chunk ReadableStream — fine for upload answers, which are small.
 */

/**
 * The members of an XMLHttpRequest this transport uses, written out structurally so that the package's
 * declarations need no DOM library (a Node project type-checks them without `lib: ["DOM"]`); the
 * browser's XMLHttpRequest fits. Event handlers are only named: the transport assigns them itself.
 */
export interface XhrLike {
  open(method: string, url: string, async: boolean): void;
  setRequestHeader(name: string, value: string): void;
  getAllResponseHeaders(): string;
  send(body?: unknown): void;
  abort(): void;
  responseType: string;
  readonly status: number;
  readonly response: unknown;
  readonly upload: { onprogress: unknown };
  onprogress: unknown;
  onload: unknown;
  onerror: unknown;
  onabort: unknown;
  ontimeout: unknown;
}

/** A constructor of {@link XhrLike} objects, e.g. `globalThis.XMLHttpRequest` (injectable for tests and other globals). */
export type XhrConstructor = new () => XhrLike;

export interface XhrTransportOptions {
  /** Defaults to `globalThis.XMLHttpRequest`. */
  XMLHttpRequest?: XhrConstructor;
}

/**
 * Headers a page may not set (Fetch "forbidden request-header"); the browser sets them itself and
 * logs a console error if we try, so they are skipped.
 */
const FORBIDDEN_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'date',
  'expect',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'accept-encoding',
  'accept-charset',
  'cookie',
  'origin',
  'referer',
  'via',
]);

/**
 * Creates an XMLHttpRequest transport with byte-level upload progress, abort and idle timeout.
 *
 * @example
 * ```ts
 * const xhr = createXhrTransport();
 * await xhr.send({ method: 'PUT', url, headers: {}, body: file }, { onUploadProgress: (n) => console.log(n) });
 * ```
 */
export function createXhrTransport(options: XhrTransportOptions = {}): Transport {
  return {
    async send(request, sendOptions) {
      const Xhr = options.XMLHttpRequest ?? (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest;
      if (!Xhr) throw new OssClientError('NetworkError', 'XMLHttpRequest is not available in this runtime');
      refuseDotSegments(request.url, 'XMLHttpRequest');
      if (sendOptions.signal?.aborted) throw abortedError(sendOptions.signal);
      const body = await toXhrBody(request.body);
      // The structural type above is the public face; the exchange itself is written against the DOM type.
      return exchange(new Xhr() as unknown as XMLHttpRequest, request, body, sendOptions);
    },
  };
}

/**
 * Routes requests that carry a body and want upload progress to XHR; everything else goes to `base`
 * (normally the fetch transport). Without XMLHttpRequest (workers, Node) everything goes to `base`.
 *
 * @example
 * ```ts
 * const transport = withXhrUploads(createFetchTransport());
 * ```
 */
export function withXhrUploads(base: Transport, xhr: Transport = createXhrTransport()): Transport {
  const hasXhr = () => typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest === 'function';
  return {
    send(request, options) {
      const wantsProgress = options.onUploadProgress !== undefined && request.body !== undefined;
      return wantsProgress && hasXhr() ? xhr.send(request, options) : base.send(request, options);
    },
    close: base.close ? () => base.close!() : undefined,
  };
}

type XhrBody = Blob | Uint8Array | string | undefined;

/** XHR takes Blob, typed arrays and strings; streams are collected first (bounded by part size). */
async function toXhrBody(body: TransportBody | undefined): Promise<XhrBody> {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array || isBlob(body) ? body : readAll(body);
}

function exchange(
  xhr: XMLHttpRequest,
  request: TransportRequest,
  body: XhrBody,
  options: TransportOptions,
): Promise<TransportResponse> {
  return new Promise<TransportResponse>((resolve, reject) => {
    const { signal, timeoutMs, onUploadProgress } = options;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;

    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    // The timeout is an idle timeout (TransportOptions.timeoutMs): any progress re-arms it.
    const touch = () => {
      if (timeoutMs === undefined || timeoutMs <= 0 || settled) return;
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        finish(() => reject(new OssClientError('Timeout', `No progress for ${timeoutMs} ms`)));
        xhr.abort();
      }, timeoutMs);
    };
    const onAbort = () => {
      finish(() => reject(abortedError(signal!)));
      xhr.abort();
    };

    xhr.open(request.method, request.url, true);
    xhr.responseType = 'arraybuffer';
    for (const [name, value] of Object.entries(request.headers)) {
      if (!FORBIDDEN_HEADERS.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    if (onUploadProgress && body !== undefined) {
      xhr.upload.onprogress = (event) => {
        touch();
        onUploadProgress(event.loaded);
      };
    }
    xhr.onprogress = touch;
    xhr.onerror = () => finish(() => reject(new OssClientError('NetworkError', 'Network request failed')));
    // Aborts and timeouts that did not come from our signal or idle timer must still settle the promise.
    xhr.onabort = () => finish(() => reject(new OssClientError('Aborted', 'the request was aborted')));
    xhr.ontimeout = () => finish(() => reject(new OssClientError('Timeout', 'the request timed out')));
    xhr.onload = () =>
      finish(() =>
        resolve({
          status: xhr.status,
          headers: parseHeaders(xhr.getAllResponseHeaders()),
          body: responseBody(request, xhr),
        }),
      );
    signal?.addEventListener('abort', onAbort, { once: true });
    touch();
    xhr.send(body === undefined ? null : (body as XMLHttpRequestBodyInit));
  });
}

function responseBody(request: TransportRequest, xhr: XMLHttpRequest): ReadableStream<Uint8Array> | null {
  const buffer = xhr.response as ArrayBuffer | null;
  if (request.method === 'HEAD' || !buffer || buffer.byteLength === 0) return null;
  return new Response(buffer).body;
}

/** `getAllResponseHeaders()` is CRLF-separated `name: value` lines; repeated names are joined with `, `. */
export function parseHeaders(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  return headers;
}
