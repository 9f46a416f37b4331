/**
 * The browser and worker entry: the client wired to fetch (XHR for uploads that report progress)
 * and a small Content-Type table. Nothing here or below imports a `node:` module.
 */
import { OssClient as CoreClient, type OssClientOptions, type Platform } from './client/client.js';
import { contentTypeFor } from './commands/mime.js';
import { createFetchTransport } from './transport/fetch.js';
import { withXhrUploads } from './transport/xhr.js';

export * from './exports.js';

const browserPlatform: Platform = {
  // fetch cannot count uploaded bytes; XHR can, so uploads with onProgress go through it.
  createTransport: () => withXhrUploads(createFetchTransport()),
  contentTypeFor,
};

/**
 * The OSS client for browsers and workers. Pass `credentials` (typically an STS provider).
 *
 * @example
 * import { OssClient } from 'osskit';
 * const client = new OssClient({ region: 'cn-hangzhou', bucket: 'my-bucket', credentials: fetchStsToken });
 * await client.putObject({ key: file.name, body: file, onProgress: (p) => console.log(p.loadedBytes) });
 */
export class OssClient extends CoreClient {
  constructor(options: OssClientOptions = {}) {
    super(options, browserPlatform);
  }
}
