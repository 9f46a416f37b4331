/**
 * The data that flows between the layers. A command turns an input into an {@link HttpRequest}
 * (no network, no clock, no credentials) and an {@link HttpResponse} back into an output.
 */

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'HEAD' | 'DELETE' | 'OPTIONS';

/** Bodies a request can carry. Streams and async iterables cannot be replayed, so they are sent once. */
export type RequestBody =
  | Uint8Array
  | string
  | Blob
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

export interface HttpRequest {
  method: HttpMethod;
  /** Bucket name, decoded. Absent for service-level calls (ListBuckets). */
  bucket?: string;
  /** Object key, decoded (raw UTF-8 string). Absent for bucket-level calls. */
  key?: string;
  /** Query parameters, decoded. An empty string is a bare key (`?acl`). */
  query: Record<string, string>;
  /** Header names are lower-case. */
  headers: Record<string, string>;
  body?: RequestBody;
}

export interface HttpResponse {
  status: number;
  /** Header names are lower-case; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  /** Streaming body; null for HEAD and empty answers. */
  body: ReadableStream<Uint8Array> | null;
}

/** Extra facts `send()` needs about a command beyond its two functions. */
export interface CommandOptions {
  /** Statuses (besides 2xx) that are a successful answer, e.g. 203 is *not* one: it maps to CallbackFailed. */
  okStatuses?: readonly number[];
  /**
   * CRC-64 check send() applies (unless the client turned `crc64Check` off): `'request'` compares the
   * uploaded body's CRC with `x-oss-hash-crc64ecma`; `'response'` checks a whole-object download as it is read.
   */
  crc?: 'request' | 'response';
  /**
   * With `crc: 'request'`: the CRC-64 of what precedes the body in the object the answer describes
   * (AppendObject's answer covers the whole object); undefined skips the check. Default '0'.
   */
  crcSeed?(input: unknown): string | undefined;
  /** The output keeps the response body open for the caller; send() must not cancel it. */
  streaming?: boolean;
  /** The command reports `onProgress` itself (SelectObject: scan progress), so send() leaves it out of the upload. */
  ownProgress?: boolean;
  /** Without a Content-Type header, send() derives one from the key's extension (else `application/octet-stream`). */
  guessContentType?: boolean;
}

export interface Command<I, O> {
  /** OSS API name, e.g. `PutObject`; used in error messages and for fault injection. */
  readonly name: string;
  serialize(input: I): HttpRequest;
  /** Reads the response; `send()` has already mapped error statuses to `OssError`. */
  deserialize(response: HttpResponse, input: I): Promise<O>;
  readonly options?: CommandOptions;
}

/** Every operation input may name a bucket (else the client's) and carry a signal and a timeout. */
export interface BaseInput {
  bucket?: string;
  signal?: AbortSignal;
  /** This call's idle timeout in ms, instead of the client's `timeoutMs`; `0` or `Infinity`: none. */
  timeoutMs?: number;
}

/** Every operation output carries the request id OSS assigned. */
export interface BaseOutput {
  requestId: string;
}

/** Progress as reported to `onProgress`. `totalBytes` is undefined when unknown. */
export interface Progress {
  loadedBytes: number;
  totalBytes: number | undefined;
}
