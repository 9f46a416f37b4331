/**
 * Transport over the Fetch API, for browsers and workers (and Node, where asked for). Streaming
 * request bodies use `duplex: 'half'` where the runtime supports it; elsewhere a stream body is
 * collected first. The timeout is an idle timeout: response headers and every body chunk re-arm it.
 */
import { isBlob, isReadableStream, readAll, toReadableStream } from '../body.js';
import { OssClientError } from '../errors.js';
import { abortedError } from '../retry.js';
import type { Transport, TransportBody, TransportOptions, TransportRequest, TransportResponse } from './types.js';

export interface FetchTransportOptions {
  /** Defaults to `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Override the feature check for streaming request bodies (`duplex: 'half'`). */
  requestStreams?: boolean;
}

/** Set by the platform, not by us: sending them is refused or ignored (Fetch "forbidden request-header"). */
const PLATFORM_HEADERS = new Set(['host', 'content-length', 'connection', 'date', 'expect', 'transfer-encoding']);

/**
 * Creates a fetch transport.
 *
 * @example
 * const client = new OssClient({ region: 'cn-hangzhou', transport: createFetchTransport() });
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  return {
    async send(request, sendOptions) {
      const doFetch = options.fetch ?? globalThis.fetch;
      if (typeof doFetch !== 'function') throw new OssClientError('NetworkError', 'fetch is not available in this runtime');
      const streams = options.requestStreams ?? supportsRequestStreams();
      return exchange(doFetch, request, await fetchBody(request.body, streams), streams, sendOptions);
    },
  };
}

type FetchBody = Uint8Array | string | Blob | ReadableStream<Uint8Array> | undefined;

async function exchange(
  doFetch: typeof globalThis.fetch,
  request: TransportRequest,
  body: FetchBody,
  streams: boolean,
  { signal, timeoutMs, onUploadProgress }: TransportOptions,
): Promise<TransportResponse> {
  if (signal?.aborted) throw abortedError(signal);
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Activity only moves the deadline; the one pending timer re-arms itself for what is left when
  // it fires early. A download has thousands of chunks: no clearTimeout/setTimeout pair for each.
  let deadline = 0;
  const expire = (): void => {
    const left = deadline - Date.now();
    if (left > 0) {
      timer = setTimeout(expire, left);
      return;
    }
    timer = undefined;
    timedOut = true;
    controller.abort();
  };
  const touch = (): void => {
    if (!timeoutMs || timeoutMs <= 0) return;
    deadline = Date.now() + timeoutMs;
    if (timer === undefined) timer = setTimeout(expire, timeoutMs);
  };
  const stop = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    signal?.removeEventListener('abort', onAbort);
  };
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const failure = (error: unknown): OssClientError => {
    if (error instanceof OssClientError) return error;
    if (signal?.aborted) return abortedError(signal);
    if (timedOut) return new OssClientError('Timeout', `no progress for ${timeoutMs} ms`, { cause: error });
    return new OssClientError('NetworkError', 'the request failed before an answer arrived', { cause: error });
  };

  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: sendableHeaders(request.headers),
    body: body as BodyInit | undefined,
    signal: controller.signal,
    redirect: 'manual',
  };
  if (isReadableStream(body) && streams) init.duplex = 'half';
  touch();
  let response: Response;
  try {
    response = await doFetch(request.url, init);
  } catch (error) {
    stop();
    throw failure(error);
  }
  // fetch cannot say how many bytes left; once the answer is here the whole body was sent.
  const total = typeof body === 'string' ? undefined : body instanceof Uint8Array ? body.byteLength : isBlob(body) ? body.size : undefined;
  if (onUploadProgress && total !== undefined) onUploadProgress(total);
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  if (!response.body || request.method === 'HEAD') {
    stop();
    if (response.body) await response.body.cancel().catch(() => undefined);
    return { status: response.status, headers, body: null };
  }
  touch();
  return { status: response.status, headers, body: watched(response.body, touch, stop, failure) };
}

/** Re-arms the idle timer on every chunk and maps a failure while reading to an OssClientError. */
function watched(
  source: ReadableStream<Uint8Array>,
  touch: () => void,
  stop: () => void,
  failure: (error: unknown) => OssClientError,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            stop();
            controller.close();
            return;
          }
          touch();
          controller.enqueue(value);
        } catch (error) {
          stop();
          controller.error(failure(error));
        }
      },
      cancel(reason) {
        stop();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

async function fetchBody(body: TransportBody | undefined, streams: boolean): Promise<FetchBody> {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array || isBlob(body)) return body;
  // Without streaming uploads the only way to send a stream is to collect it first.
  if (!streams) return readAll(body);
  return toReadableStream(body);
}

function sendableHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!PLATFORM_HEADERS.has(name)) out[name] = value;
  return out;
}

let requestStreamsSupported: boolean | undefined;

/**
 * The known feature check: a runtime that supports streaming uploads reads `duplex` and does not
 * turn the stream into a string body (which would add a text/plain Content-Type).
 */
function supportsRequestStreams(): boolean {
  if (requestStreamsSupported !== undefined) return requestStreamsSupported;
  let duplexRead = false;
  try {
    const hasContentType = new Request('http://localhost/', {
      body: new ReadableStream(),
      method: 'POST',
      get duplex() {
        duplexRead = true;
        return 'half';
      },
    } as RequestInit).headers.has('content-type');
    requestStreamsSupported = duplexRead && !hasContentType;
  } catch {
    requestStreamsSupported = false;
  }
  return requestStreamsSupported;
}
