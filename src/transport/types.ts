import type { HttpMethod } from '../commands/types.js';

/** Bodies a transport must be able to send. `send()` never hands it anything else. */
export type TransportBody = Uint8Array | string | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface TransportRequest {
  method: HttpMethod;
  /** Absolute URL with the path and query already encoded. */
  url: string;
  /** Header names lower-case. `host` is set when it differs from the URL's host. */
  headers: Record<string, string>;
  body?: TransportBody;
}

export interface TransportOptions {
  signal?: AbortSignal;
  /** Time allowed without progress (connect, or between bytes) before the request fails with Timeout. */
  timeoutMs?: number;
  /** Called with the number of body bytes sent so far, where the transport can tell. */
  onUploadProgress?: (loadedBytes: number) => void;
}

export interface TransportResponse {
  status: number;
  /** Header names lower-case; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: ReadableStream<Uint8Array> | null;
}

/**
 * Moves one request over the network. Failures before a response are thrown as
 * `OssClientError` with code `NetworkError`, `Timeout` or `Aborted`.
 */
export interface Transport {
  send(request: TransportRequest, options: TransportOptions): Promise<TransportResponse>;
  /** Releases pooled connections. */
  close?(): Promise<void>;
}
