/**
 * The script of the dedicated Worker in test/browser/worker.test.ts, bundled by esbuild as an IIFE
 * (a classic worker). It runs the osskit browser build — no `window`, no `document` — and answers
 * `{ id, op, args }` messages from the page with `{ id, ok, value | error }`.
 */
import { OssClient } from '../../src/index.browser.js';
import type { Credentials } from '../../src/credentials/credentials.js';

/** Issued temporary credentials, as the Node side passes them (the Date as an ISO string). */
export interface WorkerSetup {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<{ id: number; op: string; args: unknown[] }>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

/** The same deterministic bytes as test/browser/harness.ts `patternBytes`. */
function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17 + (i >>> 8)) & 255;
  return bytes;
}

async function sha256(data: ArrayBuffer | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A client whose async provider hands out the issued credentials, counting its calls. */
function stsClient(setup: WorkerSetup, calls: { n: number }): OssClient {
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

const ops = {
  /** What kind of global this code runs in. */
  async environment() {
    const g = globalThis as Record<string, unknown>;
    return {
      hasWindow: typeof g['window'] !== 'undefined',
      hasDocument: typeof g['document'] !== 'undefined',
      scope: Object.prototype.toString.call(globalThis),
      hasXhr: typeof g['XMLHttpRequest'] === 'function',
    };
  },

  /** putObject then getObject through the client; the Node side checks the digest. */
  async putGet(setup: WorkerSetup, key: string, size: number, seed: number) {
    const calls = { n: 0 };
    const client = stsClient(setup, calls);
    const put = await client.putObject({ key, body: pattern(size, seed), contentType: 'application/x-worker' });
    const object = await client.getObject({ key });
    const bytes = await object.bytes();
    return {
      etag: put.etag,
      contentType: object.contentType,
      contentLength: object.contentLength,
      size: bytes.byteLength,
      sha256: await sha256(bytes),
      providerCalls: calls.n,
    };
  },

  /** Presigned PUT and GET made by the client, sent with plain fetch from the worker. */
  async presigned(setup: WorkerSetup, key: string, size: number, seed: number) {
    const client = stsClient(setup, { n: 0 });
    const put = await client.presign({ key, method: 'PUT', expires: 300, headers: { 'Content-Type': 'application/x-presigned' } });
    const putResponse = await fetch(put.url, { method: 'PUT', headers: put.headers, body: pattern(size, seed) as BodyInit });
    const get = await client.presign({ key, expires: 300 });
    const getResponse = await fetch(get.url);
    const bytes = await getResponse.arrayBuffer();
    let refused: { name: string; code: string } | undefined;
    try {
      await client.presign({ key, expires: 7 * 24 * 3600 });
    } catch (error) {
      const e = error as { name?: string; code?: string };
      refused = { name: String(e.name), code: String(e.code) };
    }
    return {
      putStatus: putResponse.status,
      urlHasToken: get.url.includes('x-oss-security-token='),
      getStatus: getResponse.status,
      contentType: getResponse.headers.get('content-type'),
      size: bytes.byteLength,
      sha256: await sha256(bytes),
      refused,
    };
  },

  /** client.upload() of a Blob bigger than one part, with progress (the XHR path inside a worker). */
  async upload(setup: WorkerSetup, key: string, size: number, seed: number, partSize: number) {
    const calls = { n: 0 };
    const client = stsClient(setup, calls);
    const loaded: number[] = [];
    const blob = new Blob([pattern(size, seed) as BlobPart], { type: 'application/octet-stream' });
    const result = await client.upload({ key, body: blob, partSize, parallel: 2, onProgress: (p) => loaded.push(p.loadedBytes) });
    return {
      etag: result.etag,
      lastLoaded: loaded.at(-1),
      monotonic: loaded.every((n, i) => i === 0 || n >= loaded[i - 1]!),
      providerCalls: calls.n,
    };
  },
};

export type WorkerOps = typeof ops;

scope.onmessage = (event) => {
  const { id, op, args } = event.data;
  const run = ops[op as keyof WorkerOps] as (...a: unknown[]) => Promise<unknown>;
  Promise.resolve()
    .then(() => run(...args))
    .then(
      (value) => scope.postMessage({ id, ok: true, value }),
      (error: unknown) => {
        const e = error as { name?: string; code?: string; message?: string };
        scope.postMessage({ id, ok: false, error: { name: String(e?.name), code: String(e?.code), message: String(e?.message) } });
      },
    );
};
scope.postMessage({ ready: true });
