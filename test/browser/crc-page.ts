/**
 * Test page for the CRC header behind CORS (crc-cors.test.ts): a client whose bucket CORS rule may
 * hide `x-oss-hash-crc64ecma`. Blob bodies count how often script reads them: the client reads a
 * Blob only to hash it (fetch sends it natively), so the count shows whether hashing happened.
 */
import { OssClient } from './page-imports.js';

interface Setup {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}

/** A Blob that counts the reads made by script (`stream`, `arrayBuffer`, `slice`). */
class CountingBlob extends Blob {
  reads = 0;
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    this.reads++;
    return super.stream();
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    this.reads++;
    return super.arrayBuffer();
  }
  override slice(start?: number, end?: number, type?: string): Blob {
    this.reads++;
    return super.slice(start, end, type);
  }
}

function client(setup: Setup, crc64Check: boolean | 'strict'): OssClient {
  const { accessKeyId, accessKeySecret, securityToken } = setup;
  return new OssClient({ region: setup.region, endpoint: setup.endpoint, bucket: setup.bucket, credentials: { accessKeyId, accessKeySecret, securityToken }, crc64Check });
}

function errorInfo(error: unknown): { code: string; message: string } {
  const e = error as { code?: string; message?: string };
  return { code: String(e?.code), message: String(e?.message) };
}

const api = {
  /** Three Blob uploads and a download with one client; the reads of each Blob and what came back. */
  async uploads(setup: Setup, prefix: string) {
    const c = client(setup, true);
    const results = [];
    for (let i = 0; i < 3; i++) {
      const blob = new CountingBlob([`body ${i} `.repeat(1000)]);
      const out = await c.putObject({ key: `${prefix}${i}.txt`, body: blob });
      results.push({ reads: blob.reads, crc64: out.crc64 ?? null });
    }
    const text = await (await c.getObject({ key: `${prefix}0.txt` })).text();
    return { results, downloaded: text === 'body 0 '.repeat(1000) };
  },
  /** crc64Check: 'strict' — an upload and a download whose CRC header is hidden both fail. */
  async strict(setup: Setup, key: string) {
    const c = client(setup, 'strict');
    const put = await c.putObject({ key, body: new Blob(['strict body']) }).then(
      () => null,
      (error: unknown) => errorInfo(error),
    );
    const get = await c.getObject({ key }).then(
      () => null,
      (error: unknown) => errorInfo(error),
    );
    return { put, get };
  },
};

declare global {
  interface Window {
    osskitCrc: typeof api;
  }
}

window.osskitCrc = api;
document.title = 'osskit-ready';
