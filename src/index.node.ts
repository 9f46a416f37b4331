/**
 * The Node entry: the client wired to undici, environment credentials and the full mime database,
 * plus Node-only helpers (verifyCallback, transports). Only wiring lives here.
 */
import type { OssClientOptions, Platform } from './client/client.js';
import { ExtendedOssClient } from './client/client-extras.js';
import { fromEnv } from './credentials/credentials-env.node.js';
import { contentTypeFor } from './commands/mime.node.js';
import { downloadFile, type DownloadFileInput, type DownloadFileOutput } from './download/index.node.js';
import { createFetchTransport } from './transport/fetch.js';
import { createUndiciTransport } from './transport/undici.node.js';
import { nodeCheckpointStore, uploadFile, type UploadFileInput } from './upload/index.node.js';
import type { UploadEnv, UploadOutput } from './upload/index.js';
import { createStreamCrc } from './integrity/crc-stream-worker.node.js';

export * from './exports.js';
// Server-side extras (client-extras.ts): not in the browser build.
export { ExtendedOssClient } from './client/client-extras.js';
export { crc32 } from './integrity/crc32.js';
export { decodeFrames, FRAME_TYPES, type SelectFrame } from './select/frames.js';
export { presignRtmpUrl, rtmpStringToSign, type PresignRtmpInput, type PresignRtmpOutput, type PresignRtmpConfig } from './handoff/presign-rtmp.js';
export { fromEnv } from './credentials/credentials-env.node.js';
export { createUndiciTransport, type UndiciTransportOptions } from './transport/undici.node.js';
export * from './upload/index.node.js';
export * from './download/index.node.js';
export { verifyCallback, type CallbackRequest, type VerifyCallbackOptions } from './handoff/verify-callback.node.js';

const VERSION = '0.1.0';

/**
 * Bun resolves the `node` condition but replaces `undici` with a partial built-in that has no
 * `Dispatcher.request`; its own fetch streams both ways, so the client uses that there.
 */
const isBun = (): boolean => typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';

const nodePlatform: Platform = {
  createTransport: (options) => (isBun() ? createFetchTransport() : createUndiciTransport({ proxy: options?.proxy })),
  // Bun's fetch takes its proxy from Bun itself (HTTP_PROXY / HTTPS_PROXY), not from this option.
  proxySupported: !isBun(),
  defaultCredentials: () => fromEnv(),
  contentTypeFor,
  userAgent: `osskit/${VERSION} (node ${process.versions.node}; ${process.platform})`,
  createStreamCrc,
};

/**
 * The OSS client for Node: undici transport, credentials from OSS_ACCESS_KEY_ID /
 * OSS_ACCESS_KEY_SECRET / OSS_SESSION_TOKEN unless given.
 *
 * @example
 * import { OssClient } from 'osskit';
 * const client = new OssClient({ region: 'cn-hangzhou', bucket: 'my-bucket' });
 * await client.putObject({ key: 'a.txt', body: 'hello' });
 */
export class OssClient extends ExtendedOssClient {
  constructor(options: OssClientOptions = {}) {
    super(options, nodePlatform);
  }

  // ── Node-only methods (uploadFile: src/upload/upload-file.node.ts) ──

  /** Uploads a file by path, read by range; `checkpoint: true` keeps a resumable record under the OS temp dir. */
  uploadFile(input: UploadFileInput): Promise<UploadOutput> {
    return uploadFile(this, input, this.uploadEnv());
  }
  // ── downloads (src/download) ──

  /**
   * Downloads an object into a file: parallel ranged GETs under If-Match, a temporary file renamed
   * into place once the CRC-64 matches; `checkpoint: true` makes an interrupted download resumable.
   */
  downloadFile(input: DownloadFileInput): Promise<DownloadFileOutput> {
    return downloadFile(this, input, { bucket: this.bucket, crc64Check: this.context.crc64Check });
  }

  protected override uploadEnv(): UploadEnv {
    return { ...super.uploadEnv(), checkpointStore: nodeCheckpointStore };
  }
}
