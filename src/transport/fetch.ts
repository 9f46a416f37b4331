/**
 * Transport over the Fetch API, for browsers and workers (and Node, where asked for). Streaming
 * request bodies use `duplex: 'half'` where the runtime supports it; elsewhere a stream body is
 * collected first. The timeout is an idle timeout: every pull of a streamed request body, the
 * response headers and every response chunk re-arm it. A byte or Blob body, whose progress fetch
 * cannot observe, gets an allowance that grows with its size instead (UPLOAD_BYTES_PER_TIMEOUT).
 */
import { isBlob, isReadableStream, readAll, toReadableStream } from '../pipeline/body.js';
import { refuseDotSegments } from '../pipeline/endpoint.js';
import { OssClientError } from '../errors.js';
import { abortedError } from '../pipeline/retry.js';
import { tappableStream } from '../pipeline/tapped-stream.js';
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
      refuseDotSegments(request.url, 'fetch');
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
  let timerAt = 0;
  // Activity only moves the deadline; the one pending timer re-arms itself for what is left when
  // it fires early. A download has thousands of chunks: no clearTimeout/setTimeout pair for each.
  let deadline = 0;
  const arm = (ms: number): void => {
    timerAt = Date.now() + ms;
    timer = setTimeout(expire, ms);
  };
  const expire = (): void => {
    const left = deadline - Date.now();
    if (left > 0) {
      arm(left);
      return;
    }
    timer = undefined;
    timedOut = true;
    controller.abort();
  };
  /** Nothing need happen for `ms` from now; later activity may move the deadline either way. */
  const allow = (ms: number): void => {
    if (!timeoutMs || timeoutMs <= 0) return;
    deadline = Date.now() + ms;
    if (timer !== undefined && timerAt > deadline) {
      // Only after an upload's allowance: the pending timer would fire too late for this deadline.
      clearTimeout(timer);
      timer = undefined;
    }
    if (timer === undefined) arm(ms);
  };
  const touch = (): void => allow(timeoutMs ?? 0);
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

  const streamed = isReadableStream(body);
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: sendableHeaders(request.headers),
    // A streamed body re-arms the idle timer as fetch pulls it, like a download's chunks do.
    body: (streamed ? watchedUpload(body, touch, allow, timeoutMs ?? 0, onUploadProgress) : body) as BodyInit | undefined,
    signal: controller.signal,
    redirect: 'manual',
  };
  if (streamed && streams) init.duplex = 'half';
  // fetch cannot say how many bytes of a Blob or byte body went out (XHR can, xhr.ts): such an
  // upload gets timeoutMs more for every UPLOAD_BYTES_PER_TIMEOUT it carries, rather than failing
  // while it is still moving. A string's UTF-8 length is at most three bytes per UTF-16 unit.
  const total = body instanceof Uint8Array ? body.byteLength : isBlob(body) ? body.size : undefined;
  const size = typeof body === 'string' ? body.length * 3 : total ?? 0;
  if (timeoutMs && timeoutMs > 0 && size > 0) allow(timeoutMs * (1 + Math.ceil(size / UPLOAD_BYTES_PER_TIMEOUT)));
  else touch();
  let response: Response;
  try {
    response = await doFetch(request.url, init);
  } catch (error) {
    stop();
    throw failure(error);
  }
  // fetch cannot say how many bytes left; once the answer is here the whole body was sent.
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

/**
 * Re-arms the idle timer on every chunk and maps a failure while reading to an OssClientError. A
 * tappable stream (tapped-stream.ts), so the CRC-64 and length checks hook into it, not wrap it.
 */
function watched(
  source: ReadableStream<Uint8Array>,
  touch: () => void,
  stop: () => void,
  failure: (error: unknown) => OssClientError,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return tappableStream({
    async read() {
      try {
        const { done, value } = await reader.read();
        if (done) stop();
        else touch();
        return value;
      } catch (error) {
        stop();
        throw failure(error);
      }
    },
    cancel() {
      stop();
      return reader.cancel();
    },
  });
}

/**
 * An unwatched upload may take timeoutMs for each MiB: one slower than 1 MiB per timeoutMs (about
 * 17 KiB/s at the default 60 s) can still time out. A stream body is watched chunk by chunk instead.
 */
const UPLOAD_BYTES_PER_TIMEOUT = 1024 * 1024;

/** Largest chunk handed to fetch at once, so a source's huge chunk still shows progress. */
const UPLOAD_SLICE_BYTES = 256 * 1024;

/**
 * Bytes a runtime may still buffer once it has pulled the whole body (socket send buffers, the
 * peer's receive buffer): the wait for headers allows for draining that at the pace seen so far.
 */
const BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * A request body stream that re-arms the idle timer on every pull (fetch pulls when it has sent,
 * or buffered, what it took), reports bytes handed over, and allows for buffered bytes at the end.
 */
function watchedUpload(
  source: ReadableStream<Uint8Array>,
  touch: () => void,
  allow: (ms: number) => void,
  timeoutMs: number,
  onUploadProgress: ((loadedBytes: number) => void) | undefined,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let rest: Uint8Array | undefined;
  let loaded = 0;
  let startedAt: number | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (startedAt === undefined) startedAt = Date.now();
        else onUploadProgress?.(loaded);
        touch();
        if (rest === undefined || rest.byteLength === 0) {
          const { done, value } = await reader.read();
          if (done) {
            const elapsed = Date.now() - startedAt;
            if (timeoutMs > 0 && loaded > 0) allow(timeoutMs + Math.ceil(elapsed * Math.min(1, BUFFERED_BYTES / loaded)));
            controller.close();
            return;
          }
          rest = value;
        }
        const slice = rest.byteLength <= UPLOAD_SLICE_BYTES ? rest : rest.subarray(0, UPLOAD_SLICE_BYTES);
        rest = rest.byteLength <= UPLOAD_SLICE_BYTES ? undefined : rest.subarray(UPLOAD_SLICE_BYTES);
        loaded += slice.byteLength;
        controller.enqueue(slice);
      },
      cancel(reason) {
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
