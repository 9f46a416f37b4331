/**
 * Node transport over an undici `Agent`: keep-alive connection pools per origin, streaming request
 * and response bodies, byte-level upload progress, idle timeouts, abort. An unread response body
 * that is cancelled is drained (small rest) or its socket closed, so the pool stays healthy.
 */
import { Agent, type Dispatcher } from 'undici';
import { iterateBody } from '../body.js';
import { OssClientError } from '../errors.js';
import { abortedError } from '../retry.js';
import type { Transport, TransportBody, TransportOptions, TransportRequest, TransportResponse } from './types.js';

export interface UndiciTransportOptions {
  /** Connections per origin; size it to the upload parallelism and concurrent calls. Default 16. */
  connections?: number;
  /** Time allowed to open a connection. Default 10 s. */
  connectTimeoutMs?: number;
  /** How long an idle pooled connection is kept. Default 4 s (undici's default). */
  keepAliveTimeoutMs?: number;
  /** Use this dispatcher (e.g. a `MockAgent` or a proxy agent) instead of creating an Agent. */
  dispatcher?: Dispatcher;
}

const DEFAULT_CONNECTIONS = 16;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Creates the Node transport.
 *
 * @example
 * const transport = createUndiciTransport({ connections: 8 });
 * const client = new OssClient({ region: 'cn-hangzhou', transport });
 * await transport.close?.();
 */
export function createUndiciTransport(options: UndiciTransportOptions = {}): Transport {
  const owned = options.dispatcher === undefined;
  const dispatcher =
    options.dispatcher ??
    new Agent({
      connections: options.connections ?? DEFAULT_CONNECTIONS,
      connect: { timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      keepAliveTimeout: options.keepAliveTimeoutMs,
    });
  return {
    send: (request, sendOptions) => exchange(dispatcher, request, sendOptions),
    close: async () => {
      if (owned) await dispatcher.close();
    },
  };
}

async function exchange(
  dispatcher: Dispatcher,
  request: TransportRequest,
  { signal, timeoutMs, onUploadProgress }: TransportOptions,
): Promise<TransportResponse> {
  if (signal?.aborted) throw abortedError(signal);
  const url = new URL(request.url);
  let answer: Dispatcher.ResponseData;
  try {
    answer = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: request.headers,
      body: toUndiciBody(request.body, onUploadProgress),
      signal: signal ?? null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    throw mapError(error, signal, timeoutMs);
  }
  const headers = flattenHeaders(answer.headers);
  // An announced empty body (most PUT/DELETE answers) becomes null: no web stream to build, pull
  // and cancel for nothing on every such request (HttpResponse allows null for empty answers).
  const empty =
    request.method === 'HEAD' || answer.statusCode === 204 || answer.statusCode === 304 || headers['content-length'] === '0';
  if (empty) {
    await answer.body.dump().catch(() => undefined);
    return { status: answer.statusCode, headers, body: null };
  }
  return { status: answer.statusCode, headers, body: toWebStream(answer.body, signal, timeoutMs) };
}

/** Uint8Array bodies go as they are unless progress is wanted; everything else is pulled chunk by chunk. */
function toUndiciBody(
  body: TransportBody | undefined,
  onUploadProgress: ((loadedBytes: number) => void) | undefined,
): Dispatcher.DispatchOptions['body'] {
  if (body === undefined) return undefined;
  if (typeof body === 'string' || (body instanceof Uint8Array && !onUploadProgress)) return body;
  // undici accepts any async iterable of bytes (its types lag behind), writing each chunk and
  // waiting for the socket to drain before pulling the next: counting here counts bytes sent.
  return counted(body, onUploadProgress) as unknown as Dispatcher.DispatchOptions['body'];
}

async function* counted(
  body: TransportBody,
  onUploadProgress: ((loadedBytes: number) => void) | undefined,
): AsyncGenerator<Uint8Array> {
  let loaded = 0;
  for await (const chunk of iterateBody(body)) {
    yield chunk;
    loaded += chunk.byteLength;
    onUploadProgress?.(loaded);
  }
}

function toWebStream(
  body: Dispatcher.ResponseData['body'],
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): ReadableStream<Uint8Array> {
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await chunks.next();
          if (done) controller.close();
          else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
        } catch (error) {
          controller.error(mapError(error, signal, timeoutMs));
        }
      },
      async cancel() {
        // dump() reads a small rest and keeps the socket; a large rest closes it.
        await body.dump().catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** undici's failures by code: timeouts, aborts, everything else a network error. */
function mapError(error: unknown, signal: AbortSignal | undefined, timeoutMs: number | undefined): OssClientError {
  if (error instanceof OssClientError) return error;
  if (signal?.aborted) return abortedError(signal);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new OssClientError('Timeout', `no progress for ${timeoutMs ?? 'the allowed'} ms (${code})`, { cause: error });
  }
  const reason = typeof code === 'string' ? ` (${code})` : '';
  return new OssClientError('NetworkError', `the connection failed${reason}`, { cause: error });
}
