/**
 * The script of the real-browser test page, bundled by esbuild with `platform: 'browser'` from the
 * browser entry. It exposes a few async functions on `window.osskitTest`; the Node side drives them
 * with `page.evaluate` and checks the outcome against the emulator.
 */
import { OssClient, createXhrTransport, type Credentials, type Progress } from './page-imports.js';

/** The same deterministic bytes the Node side computes (test/browser/harness.ts `patternBytes`). */
function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17 + (i >>> 8)) & 255;
  return bytes;
}

function makeFile(size: number, seed: number, name: string, type: string): File {
  return new File([pattern(size, seed) as BlobPart], name, { type });
}

async function sha256(data: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Temporary credentials issued by the emulator (the expiration as an ISO string). */
interface ClientSetup {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}

/** An STS provider: the issued temporary keys, token and expiration, asked for asynchronously. */
function stsClient(setup: ClientSetup, calls: { n: number }): OssClient {
  const credentials = async (): Promise<Credentials> => {
    calls.n++;
    return {
      accessKeyId: setup.accessKeyId,
      accessKeySecret: setup.accessKeySecret,
      securityToken: setup.securityToken,
      expiration: new Date(setup.expiration),
    };
  };
  return new OssClient({ region: setup.region, endpoint: setup.endpoint, bucket: setup.bucket, credentials });
}

function errorInfo(error: unknown): { name: string; code: string; message: string } {
  const e = error as { name?: string; code?: string; message?: string };
  return { name: String(e?.name), code: String(e?.code), message: String(e?.message) };
}

function isMonotonic(events: Progress[]): boolean {
  return events.every((e, i) => i === 0 || e.loadedBytes >= events[i - 1]!.loadedBytes);
}

const api = {
  /** PUT a File to a presigned URL with plain fetch, sending exactly the returned headers (or overrides). */
  async presignedPut(url: string, headers: Record<string, string>, size: number, seed: number) {
    const file = makeFile(size, seed, 'put.bin', headers['content-type'] ?? '');
    const response = await fetch(url, { method: 'PUT', headers, body: file });
    return { status: response.status, etag: response.headers.get('etag'), body: await response.text() };
  },

  /** GET a presigned URL with plain fetch. */
  async presignedGet(url: string) {
    const response = await fetch(url);
    const bytes = await response.arrayBuffer();
    return { status: response.status, contentType: response.headers.get('content-type'), sha256: await sha256(bytes), size: bytes.byteLength };
  },

  /** A form POST built with FormData from a post policy; the file goes last. */
  async postForm(url: string, fields: Record<string, string>, key: string | undefined, size: number, seed: number) {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (key !== undefined) form.append('key', key);
    form.append('file', makeFile(size, seed, 'form.txt', 'text/plain'));
    const response = await fetch(url, { method: 'POST', body: form });
    return { status: response.status, etag: response.headers.get('etag'), body: await response.text() };
  },

  /** The XHR transport on its own: a presigned PUT with byte-level upload progress. */
  async xhrPut(url: string, headers: Record<string, string>, size: number, seed: number) {
    const events: number[] = [];
    const response = await createXhrTransport().send(
      { method: 'PUT', url, headers, body: makeFile(size, seed, 'x.bin', '') },
      { onUploadProgress: (n) => events.push(n) },
    );
    return { status: response.status, etag: response.headers['etag'], events };
  },

  /** The XHR transport aborted through its signal once some bytes went out. */
  async xhrPutAbort(url: string, size: number, abortAtBytes: number) {
    const controller = new AbortController();
    const events: number[] = [];
    try {
      await createXhrTransport().send(
        { method: 'PUT', url, headers: {}, body: makeFile(size, 6, 'x.bin', '') },
        {
          signal: controller.signal,
          onUploadProgress: (n) => {
            events.push(n);
            if (n >= abortAtBytes) controller.abort();
          },
        },
      );
      return { completed: true, events };
    } catch (error) {
      return { completed: false, error: errorInfo(error), events };
    }
  },

  /** The XHR transport against a server that never answers: the idle timeout must end it. */
  async xhrTimeout(url: string, timeoutMs: number) {
    try {
      await createXhrTransport().send({ method: 'PUT', url, headers: {}, body: 'x' }, { timeoutMs, onUploadProgress: () => {} });
      return { completed: true };
    } catch (error) {
      return { completed: false, error: errorInfo(error) };
    }
  },

  /** client.upload() (multipart) with issued STS credentials and progress. */
  async clientUpload(setup: ClientSetup, key: string, size: number, seed: number, partSize: number) {
    const calls = { n: 0 };
    const client = stsClient(setup, calls);
    const events: Progress[] = [];
    const file = makeFile(size, seed, 'big.bin', 'application/octet-stream');
    const result = await client.upload({ key, body: file, partSize, parallel: 2, onProgress: (p) => events.push({ ...p }) });
    return { etag: result.etag, events, monotonic: isMonotonic(events), providerCalls: calls.n };
  },

  /** client.upload() cancelled mid-way through its signal. */
  async clientUploadAbort(setup: ClientSetup, key: string, size: number, partSize: number, abortAtBytes: number) {
    const client = stsClient(setup, { n: 0 });
    const controller = new AbortController();
    const events: Progress[] = [];
    try {
      await client.upload({
        key,
        body: makeFile(size, 9, 'abort.bin', ''),
        partSize,
        parallel: 2,
        signal: controller.signal,
        onProgress: (p) => {
          events.push({ ...p });
          if (p.loadedBytes >= abortAtBytes) controller.abort();
        },
      });
      return { completed: true, events: events.length };
    } catch (error) {
      return { completed: false, error: errorInfo(error), lastLoaded: events.at(-1)?.loadedBytes ?? 0 };
    }
  },

  /** getObject through the client and a digest of the bytes. */
  async clientGet(setup: ClientSetup, key: string) {
    const client = stsClient(setup, { n: 0 });
    const object = await client.getObject({ key });
    const bytes = await object.bytes();
    return { size: bytes.byteLength, sha256: await sha256(bytes), contentLength: object.contentLength };
  },
};

declare global {
  interface Window {
    osskitTest: typeof api;
  }
}

window.osskitTest = api;
document.title = 'osskit-ready';
