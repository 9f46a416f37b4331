/**
 * Multipart over HTTP with the official ali-oss client as the oracle: if ali-oss can drive a whole
 * multipart upload, list it, copy parts and abort against the emulator, the XML shapes and headers
 * are what real OSS clients expect.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

const require = createRequire(import.meta.url);

interface AliPart {
  PartNumber: string | number;
  ETag: string;
  Size: string | number;
}
interface AliClient {
  putBucket(name: string): Promise<unknown>;
  put(name: string, data: Buffer): Promise<{ res: { status: number } }>;
  get(name: string): Promise<{ content: Buffer; res: { headers: Record<string, string> } }>;
  head(name: string): Promise<{ res: { headers: Record<string, string> } }>;
  multipartUpload(name: string, data: Buffer, options: { partSize: number; parallel?: number }): Promise<{ res: { status: number; headers: Record<string, string> }; etag?: string }>;
  initMultipartUpload(name: string, options?: object): Promise<{ uploadId: string }>;
  uploadPart(name: string, uploadId: string, partNo: number, file: string, start: number, end: number): Promise<{ etag: string }>;
  uploadPartCopy(name: string, uploadId: string, partNo: number, range: string, source: { sourceKey: string; sourceBucketName: string }): Promise<{ etag: string; res: { status: number } }>;
  completeMultipartUpload(name: string, uploadId: string, parts: { number: number; etag: string }[]): Promise<{ res: { status: number; headers: Record<string, string> } }>;
  // ali-oss passes ListParts' IsTruncated through as the XML text.
  listParts(name: string, uploadId: string, query?: object): Promise<{ parts: AliPart[]; isTruncated: boolean | string; nextPartNumberMarker: string }>;
  listUploads(query: object): Promise<{ uploads: { name: string; uploadId: string }[]; isTruncated: boolean; nextKeyMarker: string | null; nextUploadIdMarker: string | null }>;
  abortMultipartUpload(name: string, uploadId: string): Promise<{ res: { status: number } }>;
}
const OSS = require('ali-oss') as new (options: object) => AliClient;

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

function aliClient(v4: boolean, bucket: string): AliClient {
  return new OSS({
    region: `oss-${emu.region}`,
    endpoint: emu.endpoint,
    accessKeyId: emu.credentials.accessKeyId,
    accessKeySecret: emu.credentials.accessKeySecret,
    bucket,
    authorizationV4: v4,
  });
}

function data(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 131 + 17) & 0xff;
  return out;
}

for (const v4 of [false, true]) {
  describe(`ali-oss ${v4 ? 'V4' : 'V1'} against the emulator`, () => {
    const bucket = v4 ? 'mp-v4' : 'mp-v1';
    let client: AliClient;

    beforeAll(async () => {
      client = aliClient(v4, bucket);
      await client.putBucket(bucket);
    });

    it('runs a whole multipart upload; ETag and CRC-64 are what OSS would give', async () => {
      const body = data(350 * 1024);
      const result = await client.multipartUpload('big/file.bin', body, { partSize: 100 * 1024, parallel: 2 });
      expect(result.res.status).toBe(200);
      const head = await client.head('big/file.bin');
      expect(head.res.headers.etag).toMatch(/^"[0-9A-F]{32}-4"$/);
      expect(head.res.headers['x-oss-hash-crc64ecma']).toBe(crc64(body));
      const got = await client.get('big/file.bin');
      expect(Buffer.compare(got.content, body)).toBe(0);
    });

    it('lists parts and uploads page by page, then aborts', async () => {
      const { uploadId } = await client.initMultipartUpload('list/me.bin');
      const second = await client.initMultipartUpload('list/me.bin');
      const other = await client.initMultipartUpload('list/other.bin');
      const src = data(300 * 1024);
      await client.put('copy/source.bin', src);
      for (const n of [1, 2, 3]) {
        const copied = await client.uploadPartCopy('list/me.bin', uploadId, n, `${(n - 1) * 100}-${n * 100 - 1}`, {
          sourceKey: 'copy/source.bin',
          sourceBucketName: bucket,
        });
        expect(copied.etag).toMatch(/^"[0-9A-F]{32}"$/);
      }
      const page = await client.listParts('list/me.bin', uploadId, { 'max-parts': 2 });
      expect(page.parts.map((p) => Number(p.PartNumber))).toEqual([1, 2]);
      expect(String(page.isTruncated)).toBe('true');
      const rest = await client.listParts('list/me.bin', uploadId, { 'max-parts': 2, 'part-number-marker': page.nextPartNumberMarker });
      // ali-oss's XML reader gives a lone <Part> as an object rather than a one-element list.
      const restParts = ([] as AliPart[]).concat(rest.parts);
      expect(restParts.map((p) => Number(p.PartNumber))).toEqual([3]);
      expect(Number(restParts[0]!.Size)).toBe(100);
      expect(String(rest.isTruncated)).toBe('false');

      const ids: string[] = [];
      let query: Record<string, unknown> = { prefix: 'list/', 'max-uploads': 2 };
      for (;;) {
        const uploads = await client.listUploads(query);
        ids.push(...uploads.uploads.map((u) => u.uploadId));
        if (!uploads.isTruncated) break;
        query = { ...query, 'key-marker': uploads.nextKeyMarker, 'upload-id-marker': uploads.nextUploadIdMarker };
      }
      expect(ids).toEqual([uploadId, second.uploadId, other.uploadId]);

      for (const [name, id] of [['list/me.bin', uploadId], ['list/me.bin', second.uploadId], ['list/other.bin', other.uploadId]] as const) {
        expect((await client.abortMultipartUpload(name, id)).res.status).toBe(204);
      }
      expect((await client.listUploads({ prefix: 'list/' })).uploads).toEqual([]);
      await expect(client.listParts('list/me.bin', uploadId)).rejects.toMatchObject({ status: 404, code: 'NoSuchUpload' });
    });
  });
}
