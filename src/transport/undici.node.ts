/**
 * Node transport over an undici `Agent`: keep-alive connection pools per origin, streaming request
 * and response bodies, byte-level upload progress, idle timeouts, abort. An unread response body
 * that is cancelled is drained (small rest) or its socket closed, so the pool stays healthy.
 * `timeoutMs` is an idle timeout in both directions (TransportOptions): an upload that keeps
 * moving never times out, however long it takes; one that stops for timeoutMs does.
 */
import { Agent, EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';
import { iterateBody } from '../pipeline/body.js';
import { invalidArgument, OssClientError } from '../errors.js';
import { abortedError } from '../pipeline/retry.js';
import { LazyBodyResponse, type ChunkSource } from '../pipeline/tapped-stream.js';
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
  /**
   * Send through an HTTP(S) proxy: `true` honours `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY` (also
   * lower-case; read when the transport is created), a URL string uses that proxy for every request.
   * Without it, the environment is ignored.
   */
  proxy?: true | string;
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
  if (options.proxy !== undefined && !owned) throw invalidArgument('pass either `dispatcher` or `proxy`, not both');
  const proxy = options.proxy === undefined ? undefined : proxyUri(options.proxy);
  const create = (): Dispatcher => {
    const agentOptions = {
      connections: options.connections ?? DEFAULT_CONNECTIONS,
      connect: { timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      keepAliveTimeout: options.keepAliveTimeoutMs,
    };
    if (proxy === true) return new EnvHttpProxyAgent(agentOptions);
    if (proxy !== undefined) return new ProxyAgent({ ...agentOptions, uri: proxy });
    return new Agent(agentOptions);
  };
  let dispatcher = options.dispatcher ?? create();
  const retired: Promise<unknown>[] = [];
  // undici's pool marks a connection slot as busy when undici refuses a request it was handed (the
  // slot waits for a 'drain' that never comes): after `connections` refusals every request would
  // queue forever. Requests are checked before they reach undici (refusal()); should undici still
  // refuse one, the pool it may have spoiled is replaced, and closed once its requests finish.
  const recycle = (): void => {
    if (!owned) return;
    const old = dispatcher;
    dispatcher = create();
    retired.push(old.close().catch(() => old.destroy()));
  };
  return {
    send: (request, sendOptions) => exchange(dispatcher, request, sendOptions, recycle),
    close: async () => {
      if (owned) await Promise.all([dispatcher.close(), ...retired]);
    },
  };
}

async function exchange(
  dispatcher: Dispatcher,
  request: TransportRequest,
  { signal, timeoutMs, onUploadProgress }: TransportOptions,
  recycle: () => void,
): Promise<TransportResponse> {
  if (signal?.aborted) throw abortedError(signal);
  const target = splitUrl(request.url);
  const refused = refusal(request);
  if (refused) throw refused;
  const watch = new RequestWatch(signal, timeoutMs);
  const outgoing = toUndiciBody(request.body, onUploadProgress, watch);
  let answer: Dispatcher.ResponseData;
  try {
    answer = await dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: request.method,
      headers: request.headers,
      body: outgoing.body,
      // Only a watched upload needs a signal of our own (the idle timer aborts it); otherwise the
      // caller's goes to undici as is, saving an AbortController and a listener per request.
      signal: outgoing.watched ? watch.signal : signal,
      // undici's headers timer runs from the first byte written and is not re-armed by writes: an
      // upload slower than timeoutMs would fail while still moving. A streamed body is watched by
      // our idle timer instead (armed per chunk written, then until the headers); a body written at
      // once (none, or small) keeps undici's timer, which then means what it says.
      headersTimeout: outgoing.watched ? 0 : timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (error) {
    if (isRefusal(error)) recycle();
    const failure = mapError(error, signal, timeoutMs, watch.timedOut);
    watch.release();
    throw failure;
  }
  // From here the response body's pace is undici's bodyTimeout (re-armed by every chunk read).
  watch.stopTimer();
  const headers = flattenHeaders(answer.headers);
  // An announced empty body (most PUT/DELETE answers) becomes null: no web stream to build, pull
  // and cancel for nothing on every such request (HttpResponse allows null for empty answers).
  const empty =
    request.method === 'HEAD' || answer.statusCode === 204 || answer.statusCode === 304 || headers['content-length'] === '0';
  if (empty) {
    await answer.body.dump().catch(() => undefined);
    watch.release();
    return { status: answer.statusCode, headers, body: null };
  }
  // The body's web stream is built only if someone asks for it (tapped-stream.ts).
  return new LazyBodyResponse(answer.statusCode, headers, bodySource(answer.body, signal, timeoutMs, watch));
}

/**
 * One request's abort wiring and upload idle timer. A watched upload gives undici our own signal,
 * aborted by the caller's or by the timer; the listener on the caller's signal (often long-lived,
 * shared by many requests) is removed once the response body is finished, cancelled or failed.
 * Other requests never read `signal`, so they pay for no AbortController or listener.
 */
class RequestWatch {
  // Created on first use of `signal`, with the listener on the caller's signal.
  #controller: AbortController | undefined;
  readonly #caller: AbortSignal | undefined;
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  // Activity only moves the deadline; the one pending timer re-arms itself for what is left.
  #deadline = 0;
  #stopped = false;
  timedOut = false;

  constructor(caller: AbortSignal | undefined, timeoutMs: number | undefined) {
    this.#caller = caller;
    this.#timeoutMs = timeoutMs !== undefined && timeoutMs > 0 ? timeoutMs : 0;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      this.#caller?.addEventListener('abort', this.#onAbort, { once: true });
    }
    return this.#controller.signal;
  }

  /** Bytes moved (or the request started): the request may stay idle for timeoutMs from now. */
  touch(): void {
    if (this.#timeoutMs === 0 || this.#stopped) return;
    this.#deadline = Date.now() + this.#timeoutMs;
    this.#timer ??= setTimeout(this.#expire, this.#timeoutMs);
  }

  /**
   * The whole body is handed to the socket, but the OS may still hold part of it (send buffer,
   * path, peer's receive buffer) and the server may be reading it at the pace seen so far: allow
   * for that before waiting timeoutMs for the headers.
   */
  bodyWritten(bytes: number, startedAt: number): void {
    if (this.#timeoutMs === 0 || this.#stopped) return;
    const elapsed = Date.now() - startedAt;
    const allowance = bytes > 0 ? Math.ceil(elapsed * Math.min(1, BUFFERED_BYTES / bytes)) : 0;
    this.#deadline = Date.now() + this.#timeoutMs + allowance;
    this.#timer ??= setTimeout(this.#expire, this.#timeoutMs + allowance);
  }

  stopTimer(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  release(): void {
    this.stopTimer();
    this.#caller?.removeEventListener('abort', this.#onAbort);
  }

  readonly #onAbort = (): void => this.#controller?.abort(this.#caller?.reason);

  readonly #expire = (): void => {
    const left = this.#deadline - Date.now();
    if (left > 0) {
      this.#timer = setTimeout(this.#expire, left);
      return;
    }
    this.#timer = undefined;
    this.timedOut = true;
    this.#controller?.abort();
  };
}

/**
 * Bodies written at once need nothing watched: none, or small enough for the socket to take in
 * one write. Anything larger is pulled chunk by chunk, and each pull is progress.
 */
const DIRECT_BODY_BYTES = 64 * 1024;

/**
 * Largest write handed to undici at once. Each write waits for the socket to drain, and that wait
 * is what proves progress: a slice must go out within timeoutMs (512 KiB in 60 s is about 9 KB/s).
 * Larger slices cost fewer drain waits (256 KiB took ~10% more CPU than one buffer write for 8 MiB
 * PUTs on loopback; 512 KiB, no measurable cost). With a progress listener, 256 KiB slices keep 32
 * steps for an 8 MiB part, as body.ts does.
 */
const WRITE_SLICE_BYTES = 512 * 1024;
const PROGRESS_SLICE_BYTES = 256 * 1024;

/**
 * A generous bound on the bytes still buffered below us once the last write drained: Linux grows
 * a socket's send buffer to 4 MiB by default (net.ipv4.tcp_wmem), and the peer's receive buffer
 * holds more. Nothing in Node reports how much of it was acknowledged.
 */
const BUFFERED_BYTES = 8 * 1024 * 1024;

function toUndiciBody(
  body: TransportBody | undefined,
  onUploadProgress: ((loadedBytes: number) => void) | undefined,
  watch: RequestWatch,
): { body: Dispatcher.DispatchOptions['body']; watched: boolean } {
  if (body === undefined) return { body: undefined, watched: false };
  if (!onUploadProgress && (typeof body === 'string' || body instanceof Uint8Array)) {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    const most = typeof body === 'string' ? body.length * 3 : body.byteLength;
    if (most <= DIRECT_BODY_BYTES) return { body, watched: false };
  }
  // undici accepts any async iterable of bytes (its types lag behind), writing each chunk and
  // waiting for the socket to drain before pulling the next: a pull means the last chunk was sent.
  return { body: counted(body, onUploadProgress, watch) as unknown as Dispatcher.DispatchOptions['body'], watched: true };
}

async function* counted(
  body: TransportBody,
  onUploadProgress: ((loadedBytes: number) => void) | undefined,
  watch: RequestWatch,
): AsyncGenerator<Uint8Array> {
  // The first pull is when undici starts writing: time spent queued for a connection is not idle.
  const startedAt = Date.now();
  watch.touch();
  let loaded = 0;
  const most = onUploadProgress ? PROGRESS_SLICE_BYTES : WRITE_SLICE_BYTES;
  // Bytes are sliced here rather than by iterateBody, so the slice size is ours.
  const source = body instanceof Uint8Array ? [body] : iterateBody(body);
  for await (const chunk of source) {
    // A source may hand over one huge chunk (an in-memory Blob's stream gives all of it at once):
    // slices keep both the idle timer and the progress moving while it is written.
    for (let offset = 0; offset < chunk.byteLength; offset += most) {
      const slice = chunk.byteLength <= most ? chunk : chunk.subarray(offset, offset + most);
      yield slice;
      watch.touch();
      loaded += slice.byteLength;
      onUploadProgress?.(loaded);
    }
  }
  watch.bodyWritten(loaded, startedAt);
}

/** undici's body as a tappable source: CRC and length checks tap its reads (tapped-stream.ts). */
function bodySource(
  body: Dispatcher.ResponseData['body'],
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  watch: RequestWatch,
): ChunkSource {
  const chunks = new FlowingBody(body);
  return {
    async read() {
      try {
        const value = await chunks.next();
        if (value === undefined) watch.release();
        return value;
      } catch (error) {
        watch.release();
        throw mapError(error, signal, timeoutMs, false);
      }
    },
    take: () => chunks.take(),
    async cancel() {
      watch.release();
      chunks.detach();
      // dump() reads a small rest and keeps the socket; a large rest closes it.
      await body.dump().catch(() => undefined);
    },
  };
}

/**
 * Bytes queued from a flowing response before the socket is paused, and the level below which it
 * resumes. Reading undici's body in flowing mode ('data' events) costs about half the CPU of its
 * async iterator, which pauses and resumes the socket around nearly every chunk; the queue keeps
 * the reader's pace as backpressure all the same.
 */
const QUEUE_HIGH_BYTES = 1024 * 1024;
const QUEUE_LOW_BYTES = 256 * 1024;

/** undici's body read in flowing mode into a bounded queue; next() hands out one chunk at a time. */
class FlowingBody {
  readonly #body: Dispatcher.ResponseData['body'];
  readonly #queue: Uint8Array[] = [];
  #head = 0;
  #queued = 0;
  #paused = false;
  #ended = false;
  #failure: { error: unknown } | undefined;
  #waiter: Waiter | undefined;

  constructor(body: Dispatcher.ResponseData['body']) {
    this.#body = body;
    body.on('data', this.#onData);
    body.on('end', this.#onEnd);
    body.on('error', this.#onError);
  }

  next(): Promise<Uint8Array | undefined> {
    const chunk = this.take();
    if (chunk !== undefined) return Promise.resolve(chunk);
    if (this.#failure) return Promise.reject(this.#failure.error);
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /** A queued chunk, if one is there. */
  take(): Uint8Array | undefined {
    if (this.#head < this.#queue.length) {
      const chunk = this.#queue[this.#head]!;
      this.#queue[this.#head++] = EMPTY;
      if (this.#head === this.#queue.length) {
        this.#queue.length = 0;
        this.#head = 0;
      }
      this.#queued -= chunk.byteLength;
      if (this.#paused && this.#queued <= QUEUE_LOW_BYTES) {
        this.#paused = false;
        this.#body.resume();
      }
      return chunk;
    }
    return undefined;
  }

  /** Stops listening (the reader gave up); the body is left to whoever disposes of it. */
  detach(): void {
    this.#body.off('data', this.#onData);
    this.#body.off('end', this.#onEnd);
    this.#body.off('error', this.#onError);
    this.#queue.length = 0;
    this.#waiter = undefined;
  }

  readonly #onData = (data: Buffer): void => {
    // A plain Uint8Array view of undici's Buffer: Buffer-only behaviour does not leak out.
    const chunk = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = undefined;
      waiter.resolve(chunk);
      return;
    }
    this.#queue.push(chunk);
    this.#queued += chunk.byteLength;
    if (!this.#paused && this.#queued >= QUEUE_HIGH_BYTES) {
      this.#paused = true;
      this.#body.pause();
    }
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#settle((waiter) => waiter.resolve(undefined));
  };

  readonly #onError = (error: unknown): void => {
    this.#failure = { error };
    this.#settle((waiter) => waiter.reject(error));
  };

  #settle(how: (waiter: Waiter) => void): void {
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter) how(waiter);
  }
}

const EMPTY = new Uint8Array(0);

interface Waiter {
  resolve: (value: Uint8Array | undefined) => void;
  reject: (error: unknown) => void;
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** `true`, or a proxy URL checked now (a bad one would otherwise fail every request). */
function proxyUri(proxy: true | string): true | string {
  if (proxy === true) return true;
  let url: URL | undefined;
  try {
    url = typeof proxy === 'string' ? new URL(proxy) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalidArgument('proxy must be true (HTTP_PROXY/HTTPS_PROXY/NO_PROXY) or an http:// or https:// proxy URL');
  }
  return proxy as string;
}

/**
 * Origin and path of an absolute URL, the path exactly as written: WHATWG URL parsing would resolve
 * `.`/`..` segments (also `%2E`), sending a request for the key `a/../b` to `/b`.
 */
function splitUrl(url: string): { origin: string; path: string } {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch (error) {
    throw new OssClientError('InvalidArgument', 'the request URL is not a valid URL', { cause: error });
  }
  const authority = url.indexOf('//') + 2;
  const pathAt = url.slice(authority).search(/[/?]/);
  const rest = pathAt < 0 ? '' : url.slice(authority + pathAt);
  return { origin, path: rest.startsWith('/') ? rest : `/${rest}` };
}

/** RFC 9110 token (header names). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What undici accepts in a header value: tab, printable ASCII, bytes 0x80–0xFF. */
// eslint-disable-next-line no-control-regex
const NOT_HEADER_VALUE = /[^\t\u0020-\u007e\u0080-\u00ff]/;
/** Headers undici refuses to be given. */
const UNDICI_REFUSED = new Set(['transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'connection']);

/**
 * The refusal undici would make, made here instead so that it never reaches undici's pool (see
 * createUndiciTransport). send() has refused all of these already; this guards direct transport use.
 */
function refusal(request: TransportRequest): OssClientError | undefined {
  for (const name in request.headers) {
    const value: unknown = request.headers[name];
    const bad =
      !TOKEN.test(name) ||
      UNDICI_REFUSED.has(name.toLowerCase()) ||
      typeof value !== 'string' ||
      NOT_HEADER_VALUE.test(value) ||
      (name.toLowerCase() === 'content-length' && !/^\d+$/.test(value));
    if (bad) return new OssClientError('InvalidArgument', `header ${JSON.stringify(name.slice(0, 64))} cannot be sent`);
  }
  return undefined;
}

/** undici refused the request before sending it (bad option, header or body type). */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED';
}

/** undici's failures by code: timeouts (undici's or our idle timer), aborts, everything else a network error. */
function mapError(
  error: unknown,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
  idle: boolean,
): OssClientError {
  if (error instanceof OssClientError) return error;
  if (signal?.aborted) return abortedError(signal);
  const code = (error as { code?: unknown } | null)?.code;
  if (isRefusal(error)) {
    // Not a network failure: the same request would be refused again, so it is not retried.
    return new OssClientError('InvalidArgument', `the request was refused before sending (${String(code)})`, { cause: error });
  }
  if (idle || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
    const reason = idle ? '' : ` (${String(code)})`;
    return new OssClientError('Timeout', `no progress for ${timeoutMs ?? 'the allowed'} ms${reason}`, { cause: error });
  }
  const reason = typeof code === 'string' ? ` (${code})` : '';
  return new OssClientError('NetworkError', `the connection failed${reason}`, { cause: error });
}
