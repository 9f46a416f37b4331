/**
 * The Node-side part of src/transport/xhr.ts: which requests withXhrUploads routes to XHR, and how
 * raw XHR response headers are read. The transport itself runs in Chromium (browser.test.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import type { Transport, TransportRequest } from '../../src/transport/types.js';
import { createXhrTransport, parseHeaders, withXhrUploads } from '../../src/transport/xhr.js';

function recording(name: string, calls: string[]): Transport {
  return {
    async send() {
      calls.push(name);
      return { status: 200, headers: {}, body: null };
    },
  };
}

const put: TransportRequest = { method: 'PUT', url: 'http://127.0.0.1/b/k', headers: {}, body: 'x' };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('withXhrUploads', () => {
  it('sends uploads that want progress through XHR and everything else through the base transport', async () => {
    vi.stubGlobal('XMLHttpRequest', function XMLHttpRequest() {});
    const calls: string[] = [];
    const transport = withXhrUploads(recording('base', calls), recording('xhr', calls));
    await transport.send(put, { onUploadProgress: () => {} });
    await transport.send(put, {});
    await transport.send({ ...put, method: 'GET', body: undefined }, { onUploadProgress: () => {} });
    expect(calls).toEqual(['xhr', 'base', 'base']);
  });

  it('falls back to the base transport where XMLHttpRequest does not exist (workers, Node)', async () => {
    vi.stubGlobal('XMLHttpRequest', undefined);
    const calls: string[] = [];
    await withXhrUploads(recording('base', calls), recording('xhr', calls)).send(put, { onUploadProgress: () => {} });
    expect(calls).toEqual(['base']);
  });

  it('createXhrTransport refuses to run without XMLHttpRequest', async () => {
    vi.stubGlobal('XMLHttpRequest', undefined);
    const error = await createXhrTransport().send(put, {}).catch((e: unknown) => e);
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
  });
});

describe('parseHeaders', () => {
  it('lower-cases names, trims values and joins repeated headers with ", "', () => {
    const raw = 'ETag: "ABC"\r\nx-oss-request-id: 123\r\nVary: Origin\r\nvary: Accept\r\nx-empty:\r\n\r\n';
    expect(parseHeaders(raw)).toEqual({ etag: '"ABC"', 'x-oss-request-id': '123', vary: 'Origin, Accept', 'x-empty': '' });
  });
});

describe('createXhrTransport dot segments', () => {
  it('refuses a key with a dot segment before opening a request (XHR would resolve it to another key)', async () => {
    let opened = 0;
    vi.stubGlobal('XMLHttpRequest', function XMLHttpRequest() {
      opened++;
    });
    const error = await createXhrTransport()
      .send({ ...put, url: 'http://127.0.0.1/b/a/%2E%2E/k' }, {})
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    expect(opened).toBe(0);
  });
});
