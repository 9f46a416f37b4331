/**
 * The emulator's HTTP server: one pass per request — address, route, count, inject faults, check
 * the signature, run the handler, then write the answer with the headers every OSS answer carries
 * (x-oss-request-id, Date, Server) and the bucket's CORS headers, errors included.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { explicitlyEmptyKeys, hostnameOf, parseQuery, resolveAddress } from './address.js';
import { authenticate } from './auth.js';
import { CALLBACK_PUBLIC_KEY_PATH, callbackPublicKeyPem } from './callbacks.js';
import type { BodyRange, BucketRecord, EmulatorEnv, EmulatorRequest, EmulatorResponse, Storage } from './context.js';
import { EmulatorError } from './context.js';
import { entityTooLarge } from './storage-body.js';
import { corsHeaders } from './cors.js';
import type { FaultController } from './faults.js';
import { parsePostForm } from './form-data.js';
import { isAnonymousAllowed } from './anonymous.js';
import { UNSIGNED_OPERATIONS, handlers, routeRequest } from './handlers/index.js';
import { isValidBucketName, keyProblem } from './handlers/common.js';
import type { RequestStats } from './stats.js';
import { TemporaryCredentialStore } from './sts.js';
import { errorXml } from './xml.js';

export interface EmulatorServerOptions {
  storage: Storage;
  /** Largest request body read into memory (400 EntityTooLarge beyond). Default: no limit. */
  maxBodySize?: number;
  /**
   * Where unexpected handler failures are reported (default: stderr). A client that goes away
   * mid-request is normal traffic: it is reported only when `debug` is set.
   */
  log?: (line: string, error?: unknown) => void;
  /** Also report clients that went away mid-request (one line each). Default: `OSSKIT_EMULATOR_DEBUG` is set. */
  debug?: boolean;
  region: string;
  /** AccessKeyId → AccessKeySecret. */
  credentials: ReadonlyMap<string, string>;
  faults: FaultController;
  stats: RequestStats;
  /** The server's clock (default: the system clock); tests shift it to expire temporary credentials. */
  now?: () => Date;
  /** How long a RestoreObject takes (default 1000 ms). */
  restoreDelayMs?: number;
}

/** ECs for errors raised without one (the values OSS sends for these codes). */
const DEFAULT_EC: Record<string, string> = {
  InternalError: '0000-00000001',
  ServiceUnavailable: '0000-00000002',
  MethodNotAllowed: '0000-00000003',
  AccessDenied: '0003-00000001',
};

/** 24 upper-case hex digits, like OSS request ids. */
function newRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

/** Header values must be Latin-1 on the wire; UTF-8 text goes out as its raw bytes. */
function wireValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\u0000-\u00ff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}

/** Merges header records case-insensitively; later records win. */
function mergeHeaders(...records: Record<string, string>[]): Record<string, string> {
  const byLower = new Map<string, [string, string]>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) byLower.set(name.toLowerCase(), [name, wireValue(value)]);
  }
  return Object.fromEntries(byLower.values());
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = textValue(Array.isArray(value) ? value.join(',') : value);
  }
  return headers;
}

/**
 * Node reads header bytes as Latin-1; UTF-8 text (how clients send non-ASCII metadata) is decoded,
 * so that it is signed-checked and stored as the text the client signed, and wireValue() sends the
 * same bytes back. Bytes that are not UTF-8 stay as Node read them.
 */
function textValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : value;
}

/** The request body, read once: whole (`body()`) or as it arrives (`bodyStream()`). */
function bodyReaders(req: IncomingMessage, limit: number): Required<Pick<EmulatorRequest, 'body' | 'bodyStream'>> {
  let whole: Promise<Uint8Array> | undefined;
  let streamed = false;
  const body = (): Promise<Uint8Array> => {
    if (streamed) return Promise.reject(new Error('the request body was already streamed'));
    return (whole ??= new Promise<Uint8Array>((resolve, reject) => {
      if (Number(req.headers['content-length'] ?? 0) > limit) {
        reject(entityTooLarge(limit));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          reject(entityTooLarge(limit));
          req.removeAllListeners('data');
          req.resume();
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        const all = Buffer.concat(chunks);
        resolve(new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
      });
      req.on('error', reject);
    }));
  };
  const bodyStream = (): AsyncIterable<Uint8Array> => {
    if (whole) {
      const buffered = whole;
      return (async function* () {
        yield await buffered;
      })();
    }
    streamed = true;
    return req;
  };
  return { body, bodyStream };
}

/** Whether a failure only means the client closed the connection before the request was read. */
function clientWentAway(req: IncomingMessage, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (req.destroyed && !req.complete) || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (error instanceof Error && error.message === 'aborted');
}

function isBodyRange(body: EmulatorResponse['body']): body is BodyRange {
  return typeof body === 'object' && !(body instanceof Uint8Array);
}

function invalidObjectName(key: string, message: string): EmulatorError {
  return new EmulatorError(400, 'InvalidObjectName', message, {
    ObjectName: key.slice(0, 64),
    EC: '0016-00000001',
  });
}

/**
 * Owns the Node HTTP server.
 * @example const server = new EmulatorServer(options); const port = await server.listen(0, '127.0.0.1');
 */
export class EmulatorServer {
  readonly env: EmulatorEnv;
  /** Temporary (STS) keys issued by this server; their secrets are known to `env.secretFor`. */
  readonly temporaryCredentials: TemporaryCredentialStore;
  readonly #options: EmulatorServerOptions;
  readonly #server: Server;
  readonly #serviceHosts = new Set<string>();
  readonly #log: (line: string, error?: unknown) => void;
  readonly #debug: boolean;
  #endpoint = '';

  constructor(options: EmulatorServerOptions) {
    this.#options = options;
    this.#log = options.log ?? ((line, error) => (error === undefined ? console.error(line) : console.error(line, error)));
    this.#debug = options.debug ?? Boolean(process.env['OSSKIT_EMULATOR_DEBUG']);
    const self = this;
    const temporary = new TemporaryCredentialStore(() => this.env.now());
    this.temporaryCredentials = temporary;
    this.env = {
      storage: options.storage,
      region: options.region,
      get endpoint() {
        return self.#endpoint;
      },
      secretFor: (id) => options.credentials.get(id) ?? temporary.secretFor(id),
      now: options.now ?? (() => new Date()),
      restoreDelayMs: options.restoreDelayMs ?? 1000,
      record: (operation) => options.stats.record(operation),
    };
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        // Only reached when writing the answer itself failed (e.g. the socket is gone).
        if (!res.headersSent) res.destroy(error instanceof Error ? error : undefined);
      });
    });
    this.#server.keepAliveTimeout = 30_000;
  }

  /** Starts listening; resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const bound = (this.#server.address() as AddressInfo).port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    this.#endpoint = `http://${urlHost}:${bound}`;
    this.#serviceHosts.add(host.toLowerCase());
    return bound;
  }

  /** Stops accepting connections and closes idle and active ones. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const method = (req.method ?? 'GET').toUpperCase();
    const headers = flattenHeaders(req);
    const hostId = hostnameOf(headers['host'] ?? '') || `oss-${this.#options.region}.aliyuncs.com`;
    let bucket: BucketRecord | undefined;
    try {
      const rawUrl = (req.url ?? '/').replace(/^[a-z]+:\/\/[^/]*/i, '') || '/';
      const queryAt = rawUrl.indexOf('?');
      const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
      const rawQuery = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
      if ((method === 'GET' || method === 'HEAD') && rawPath === CALLBACK_PUBLIC_KEY_PATH) {
        this.#options.stats.record('GetCallbackPublicKey');
        const pem = callbackPublicKeyPem();
        this.#write(req, res, requestId, { status: 200, headers: { 'Content-Type': 'application/x-pem-file' }, body: pem });
        return;
      }
      const address = resolveAddress(headers['host'] ?? '', rawPath, this.#serviceHosts);
      const query = parseQuery(rawQuery);
      const route = routeRequest({ method, bucket: address.bucket, key: address.key, query, headers });
      const operation = route.operation;
      this.#options.stats.record(operation ?? 'Unknown');
      if (address.bucket !== undefined) bucket = this.#options.storage.getBucket(address.bucket);

      const fault = this.#options.faults.take(operation ?? 'Unknown');
      if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.reset) {
        req.socket.destroy();
        return;
      }
      if (fault.fail) {
        throw new EmulatorError(fault.fail.status, fault.fail.code, 'We encountered an internal error. Please try again.');
      }
      // A sub-resource the emulator does not implement is refused before any handler can touch data.
      if (operation === undefined) throw route.refusal;
      if (address.bucket !== undefined && !isValidBucketName(address.bucket)) {
        throw new EmulatorError(400, 'InvalidBucketName', 'The specified bucket is not valid.', {
          BucketName: address.bucket,
          EC: '0015-00000001',
        });
      }
      const keyIssue = address.key === undefined ? undefined : keyProblem(address.key);
      if (keyIssue !== undefined) throw invalidObjectName(address.key!, keyIssue);

      let accessKeyId: string | undefined;
      const readers = bodyReaders(req, this.#options.maxBodySize ?? Number.POSITIVE_INFINITY);
      if (!UNSIGNED_OPERATIONS.has(operation)) {
        const now = this.env.now();
        const who = authenticate({
          request: { method, bucket: address.bucket, key: address.key, query, headers },
          secretFor: this.env.secretFor,
          now,
          region: this.#options.region,
          explicitEmpty: explicitlyEmptyKeys(rawQuery),
          checkSecurityToken: (id, token) => this.temporaryCredentials.check(id, token, now),
        });
        if ('anonymous' in who) {
          if (!isAnonymousAllowed(operation, bucket, address.key, this.#options.storage)) {
            throw new EmulatorError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.', {
              EC: '0003-00000001',
            });
          }
        } else {
          accessKeyId = who.accessKeyId;
        }
      } else if (operation === 'PostObject') {
        await this.#checkPostFormToken(headers['content-type'], readers.body);
      }

      const request: EmulatorRequest = {
        method,
        bucket: address.bucket,
        key: address.key,
        query,
        headers,
        rawUrl,
        ...readers,
        accessKeyId,
        requestId,
      };
      const response = await handlers[operation]!(request, this.env);
      // The handler may have created or deleted the bucket (PutBucket, DeleteBucket, PutBucketCors).
      if (address.bucket !== undefined) bucket = this.#options.storage.getBucket(address.bucket);
      const cors = operation === 'OptionObject' ? {} : corsHeaders(bucket, headers['origin'], method);
      this.#write(req, res, requestId, response, cors, fault.dropMidBody);
    } catch (error) {
      if (!(error instanceof EmulatorError) && clientWentAway(req, error)) {
        // Normal traffic (a cancelled upload, a client timeout): there is no one left to answer.
        // The path only: a presigned URL's query is a credential.
        if (this.#debug) this.#log(`osskit emulator: client went away during ${method} ${(req.url ?? '/').split('?')[0]} (request ${requestId})`);
        res.destroy();
        return;
      }
      const cors = corsHeaders(bucket, headers['origin'], method);
      this.#write(req, res, requestId, this.#errorResponse(error, requestId, hostId, method), cors);
    }
  }

  /**
   * PostObject is signed inside its form, which the handler checks; the STS token in the form is
   * checked here first. A form that does not parse is left for the handler to refuse in its own words.
   */
  async #checkPostFormToken(contentType: string | undefined, body: () => Promise<Uint8Array>): Promise<void> {
    const form = await body()
      .then((bytes) => parsePostForm(contentType, bytes))
      .catch(() => undefined);
    if (form) this.temporaryCredentials.checkPostForm(form, this.env.now());
  }

  #errorResponse(error: unknown, requestId: string, hostId: string, method: string): EmulatorResponse {
    const known =
      error instanceof EmulatorError
        ? error
        : new EmulatorError(500, 'InternalError', 'We encountered an internal error. Please try again.');
    if (!(error instanceof EmulatorError)) this.#log('osskit emulator: handler failed', error);
    const { EC: givenEc, ...extra } = known.extra;
    const ec = givenEc ?? DEFAULT_EC[known.code] ?? '0000-00000000';
    const xml = errorXml(known.code, known.message, requestId, hostId, {
      ...extra,
      EC: ec,
      RecommendDoc: `https://api.aliyun.com/troubleshoot?q=${ec}`,
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/xml', 'x-oss-ec': ec, ...known.headers };
    // A HEAD answer has no body, so OSS carries the error document base64-encoded in a header.
    if (method === 'HEAD') return { status: known.status, headers: { ...headers, 'x-oss-err': Buffer.from(xml).toString('base64') } };
    return { status: known.status, headers, body: xml };
  }

  #write(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    response: EmulatorResponse,
    cors: Record<string, string> = {},
    dropMidBody = false,
  ): void {
    const { status } = response;
    const raw = response.body;
    const range = isBodyRange(raw) ? raw : undefined;
    const bytes = raw === undefined || isBodyRange(raw) ? undefined : raw;
    const body =
      bytes === undefined ? undefined : typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length = range ? range.end - range.start : (body?.length ?? 0);
    const headers = mergeHeaders(
      { Server: 'AliyunOSS', Date: this.env.now().toUTCString(), Connection: 'keep-alive', 'x-oss-request-id': requestId },
      cors,
      response.headers ?? {},
    );
    const noBody = req.method === 'HEAD' || status === 204 || status === 304;
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-length' && (req.method !== 'HEAD' || status === 204 || status === 304)) delete headers[name];
    }
    if (!noBody) headers['Content-Length'] = String(length);
    // Open a stored body before the status line, so a failure still gets an error answer.
    const stream = !noBody && range && length > 0 ? range.body.stream(range.start, range.end) : undefined;
    res.writeHead(status, headers);
    if (noBody || length === 0) {
      res.end();
      return;
    }
    if (stream) {
      this.#pipe(stream, res, dropMidBody ? Math.floor(length / 2) : undefined);
      return;
    }
    if (dropMidBody) {
      // Headers promise the whole body; half of it arrives, then the connection dies.
      res.write(body!.subarray(0, Math.floor(length / 2)), () => res.destroy());
      return;
    }
    res.end(body);
  }

  /** Streams a stored body with backpressure; with `cutAt`, the connection dies after that many bytes. */
  #pipe(stream: Readable, res: ServerResponse, cutAt?: number): void {
    let sent = 0;
    const stop = () => {
      stream.destroy();
      res.destroy();
    };
    res.on('close', () => stream.destroy());
    stream.on('error', stop);
    stream.on('data', (chunk: Buffer) => {
      if (cutAt !== undefined && sent + chunk.length >= cutAt) {
        res.write(chunk.subarray(0, cutAt - sent), stop);
        stream.pause();
        return;
      }
      sent += chunk.length;
      if (!res.write(chunk)) {
        stream.pause();
        res.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => res.end());
  }
}
