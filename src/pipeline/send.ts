/**
 * The send pipeline, in order: serialize → validate → endpoint → credentials → sign → transport →
 * retry → error mapping, with the clock-skew, credential-refresh and CRC policies composed around
 * the single attempt. Commands stay pure; everything that touches the network, the
 * clock or credentials happens here.
 */
import { bodyLength, isReplayable, normalizeBody } from './body.js';
import { SkewedClock, withClockSkew } from './clock-skew.js';
import { discardBody, hasBody } from './tapped-stream.js';
import type { BaseInput, Command, HttpRequest, HttpResponse, Progress, RequestBody } from '../commands/types.js';
import { CRC_HEADER, checkCrc, crcCheckedBody, trackRequestCrc, type CrcHeaderWatch, type RequestCrc, type StreamCrcFactory } from '../integrity/crc-check.js';
import { withCredentialRefresh, type Credentials, type CredentialsResolver } from '../credentials/credentials.js';
import { requestUrl, type ResolvedEndpoint } from './endpoint.js';
import { OssClientError, scrubSecrets, type OssClientErrorOptions } from '../errors.js';
import { encodeHeaderValues } from './header-value.js';
import { serverTimeOf, toOssError } from './response-error.js';
import { abortedError, withRetry, type RetryOptions } from './retry.js';
import { signV1 } from '../signer/v1.js';
import { signV4 } from '../signer/v4.js';
import type { Transport, TransportResponse } from '../transport/types.js';
import { validateBucketName, validateHeaders, validateKey, validateTimeout } from '../commands/validate.js';

/** Everything send() needs from the client; built once per client. */
export interface SendContext {
  endpoint: ResolvedEndpoint;
  credentials: CredentialsResolver;
  transport: Transport;
  signatureVersion: 'v4' | 'v1';
  maxAttempts: number;
  /** Idle timeout in ms; 0 for none. A call's own `timeoutMs` overrides it. */
  timeoutMs: number;
  /** Check CRC-64 of uploads and whole-object downloads. */
  crc64Check: boolean;
  /** Hashes large downloads off the event loop (Node: a worker thread); in-thread when absent. */
  createStreamCrc?: StreamCrcFactory;
  /** Warns once and stops hashing uploads when answers hide the CRC header; fails instead when strict. */
  crcWatch?: CrcHeaderWatch;
  /** Sent as `user-agent` when set (browsers would need it allowed by CORS, so they leave it unset). */
  userAgent?: string;
  /** Local clock plus the offset learned from `RequestTimeTooSkewed`; shared by all requests. */
  clock: SkewedClock;
  /** Content-Type from a key's extension, for commands with `guessContentType`. */
  contentTypeFor?: (key: string) => string | undefined;
  /** Backoff tuning and test seams. */
  retry?: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random' | 'sleep'>;
}

/** Inputs that report upload progress carry `onProgress`. */
interface ProgressInput {
  onProgress?: (progress: Progress) => void;
}

/**
 * Sends one operation: `send(context, putObject, { bucket, key, body })`.
 * Throws `OssError` for service errors and `OssClientError` for everything else.
 */
export async function send<I, O>(context: SendContext, command: Command<I, O>, input: I): Promise<O> {
  const signal = (input as BaseInput).signal;
  // Named like every other failure of this call, though nothing was serialized yet.
  if (signal?.aborted) throw annotate(abortedError(signal), inputWhere(command, input));
  const request = prepareRequest(context, command, input);
  const timeoutMs = callTimeout(context, command, input);
  const where: OssClientErrorOptions = { operation: command.name, bucket: request.bucket, key: request.key };
  const replayable = isReplayable(request.body);
  const seed = command.options?.crcSeed ? command.options.crcSeed(input) : '0';
  const crc = wantsRequestCrc(context, command) && seed !== undefined ? await trackRequestCrc(request.body, seed) : undefined;
  const url = requestUrl(context.endpoint, request);
  const onProgress = command.options?.ownProgress ? undefined : (input as ProgressInput).onProgress;
  const totalBytes = bodyLength(request.body);
  // Signed as text, sent as UTF-8 bytes (header-value.ts).
  const wireHeaders = encodeHeaderValues(request.headers);

  // The secrets this call used: no error it throws may carry them, whatever a server echoed.
  const secrets = new Set<string>();
  const attempt = async (credentials: Credentials): Promise<TransportResponse> => {
    const signed = sign(context, request, credentials);
    secrets.add(credentials.accessKeySecret).add(credentials.securityToken ?? '').add(signatureOf(signed['authorization']));
    const headers = { ...wireHeaders, ...signed };
    let response: TransportResponse;
    try {
      const pending = context.transport.send(
        { method: request.method, url, headers, body: crc ? crc.body : request.body },
        {
          signal,
          timeoutMs,
          onUploadProgress: onProgress && ((loadedBytes) => onProgress({ loadedBytes, totalBytes })),
        },
      );
      // The transport has started writing (undici writes a byte body at once): hash it meanwhile
      // rather than before sending, so the CRC costs no extra latency on uploads.
      settleCrc(crc, pending);
      response = await pending;
    } catch (error) {
      throw annotate(error, where);
    }
    if (!isSuccess(response.status, command)) throw await toOssError(response, { operation: command.name, request });
    return response;
  };

  // Clock skew outside: its second try gets the (cached) credentials again.
  const once = withClockSkew(withCredentialRefresh(attempt, context.credentials, replayable), context.clock, serverTimeOf, replayable);
  // Reading the answer is part of the attempt: a 2xx whose body is broken (truncated, a proxy's
  // HTML page) is a NetworkError and is retried like a dropped connection.
  const attemptAndRead = async (): Promise<O> => finish(context, command, input, request, await once(), crc, where);
  try {
    return await withRetry(attemptAndRead, { ...context.retry, maxAttempts: context.maxAttempts, replayable, signal });
  } catch (error) {
    // An abort during a retry's backoff, or a credentials failure, happens outside the transport call.
    throw scrubSecrets(annotate(error, where), secrets);
  }
}

/** The signature in an Authorization header: V4 `…, Signature=<hex>`, V1 `OSS <id>:<base64>`. */
function signatureOf(authorization: string | undefined): string {
  if (!authorization) return '';
  const v4 = /Signature=([^,\s]+)/.exec(authorization);
  if (v4) return v4[1]!;
  const colon = authorization.lastIndexOf(':');
  return colon < 0 ? '' : authorization.slice(colon + 1);
}

/** Runs `crc.settle()`; a failure there must not leave the transport's promise unobserved. */
function settleCrc(crc: RequestCrc | undefined, pending: Promise<TransportResponse>): void {
  try {
    crc?.settle?.();
  } catch (error) {
    pending.catch(() => undefined);
    throw error;
  }
}

/** serialize → validate → defaults every request gets (length, type, user agent). */
function prepareRequest<I, O>(context: SendContext, command: Command<I, O>, input: I): HttpRequest {
  const where = inputWhere(command, input);
  try {
    const request = command.serialize(input);
    if (request.bucket !== undefined) validateBucketName(request.bucket);
    if (request.key !== undefined) validateKey(request.key);
    const body: RequestBody | undefined = request.body === undefined ? undefined : normalizeBody(request.body);
    const headers = { ...request.headers };
    const length = bodyLength(body);
    if (headers['content-length'] === undefined && length !== undefined && (body !== undefined || hasPayload(request))) {
      headers['content-length'] = String(length);
    }
    if (command.options?.guessContentType && headers['content-type'] === undefined && request.key !== undefined) {
      headers['content-type'] = context.contentTypeFor?.(request.key) ?? 'application/octet-stream';
    }
    if (context.userAgent && headers['user-agent'] === undefined) headers['user-agent'] = context.userAgent;
    // Every header, whatever set it (metadata, `headers`, contentType, userAgent, callback): a value
    // the transport would refuse must be refused here, named, and never retried.
    validateHeaders(headers);
    return { ...request, headers, body };
  } catch (error) {
    throw annotate(error, where);
  }
}

/** The call's own `timeoutMs` (checked like the client's), else the client's. */
function callTimeout<I, O>(context: SendContext, command: Command<I, O>, input: I): number {
  const own = (input as BaseInput).timeoutMs;
  if (own === undefined) return context.timeoutMs;
  try {
    return validateTimeout(own, 'timeoutMs');
  } catch (error) {
    throw annotate(error, inputWhere(command, input));
  }
}

/** Operation, bucket and key from the input, for failures before the request is serialized. */
function inputWhere<I, O>(command: Command<I, O>, input: I): OssClientErrorOptions {
  const key = (input as { key?: unknown }).key;
  return { operation: command.name, bucket: (input as BaseInput).bucket, key: typeof key === 'string' ? key : undefined };
}

function sign(context: SendContext, request: HttpRequest, credentials: Credentials): Record<string, string> {
  const signing = { method: request.method, bucket: request.bucket, key: request.key, query: request.query, headers: request.headers };
  // A fresh date on every attempt, so a retry after a long backoff is not refused as stale.
  const now = context.clock.now();
  return context.signatureVersion === 'v1'
    ? signV1(signing, credentials, { now })
    : signV4(signing, credentials, { now, region: context.endpoint.region });
}

/** CRC checks, then deserialize; an unread body is cancelled so its connection returns to the pool. */
async function finish<I, O>(
  context: SendContext,
  command: Command<I, O>,
  input: I,
  request: HttpRequest,
  response: TransportResponse,
  crc: RequestCrc | undefined,
  where: OssClientErrorOptions,
): Promise<O> {
  let answer: HttpResponse = response;
  try {
    const reported = response.headers[CRC_HEADER] || undefined;
    if (crc && reported === undefined) context.crcWatch?.uploadAnswerLacksCrc(where);
    if (crc) checkCrc(reported, crc.digest(), where);
    if (wantsResponseCrc(context, command, request, response)) {
      if (reported === undefined) context.crcWatch?.downloadLacksCrc(where);
      else {
        const length = Number(response.headers['content-length']);
        const options = { length: Number.isSafeInteger(length) ? length : undefined, createCrc: context.createStreamCrc };
        answer = crcCheckedBody(response, reported, where, options);
      }
    }
    const output = await command.deserialize(answer, input);
    if (!command.options?.streaming) discardBody(answer);
    return output;
  } catch (error) {
    discardBody(answer);
    throw annotate(error, where);
  }
}

function wantsRequestCrc<I, O>(context: SendContext, command: Command<I, O>): boolean {
  return context.crc64Check && command.options?.crc === 'request' && !context.crcWatch?.hidden;
}

/** Whole-object reads only: a range, a processed image (or a transparently decoded body) hashes to something else. */
function wantsResponseCrc<I, O>(
  context: SendContext,
  command: Command<I, O>,
  request: HttpRequest,
  response: TransportResponse,
): boolean {
  return (
    context.crc64Check &&
    command.options?.crc === 'response' &&
    response.status === 200 &&
    hasBody(response) &&
    request.headers['range'] === undefined &&
    request.query['x-oss-process'] === undefined &&
    (response.headers['content-encoding'] ?? 'identity') === 'identity'
  );
}

/** 2xx except 203 (CallbackFailed, docs/protocol.md, "Upload callbacks"), plus what the command declares. */
function isSuccess<I, O>(status: number, command: Command<I, O>): boolean {
  if (command.options?.okStatuses?.includes(status)) return true;
  return status >= 200 && status < 300 && status !== 203;
}

function hasPayload(request: HttpRequest): boolean {
  return request.method === 'PUT' || request.method === 'POST';
}

/** Adds the operation, bucket and key to a client error that lacks them. */
function annotate(error: unknown, where: OssClientErrorOptions): unknown {
  if (!(error instanceof OssClientError) || error.operation !== undefined) return error;
  const message = error.message;
  return new OssClientError(error.code, message, { ...where, cause: error.cause ?? error });
}
