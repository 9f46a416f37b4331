/**
 * `x-oss-copy-source` (src/emulator/handlers/copy-source.ts): the emulator decodes both spellings
 * clients send — osskit's and the Go v2 SDK's RFC 3986 form that keeps `/`, and ali-oss's
 * `encodeURIComponent` form that sends `/` as `%2F` — for CopyObject and UploadPartCopy, with keys
 * holding `/`, spaces, `+`, `%` and non-ASCII characters.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorError } from '../../src/emulator/context.js';
import { parseCopySource } from '../../src/emulator/handlers/copy-source.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { copySourceHeader } from '../../src/commands/shared.js';
import { OssClient } from '../../src/index.node.js';
import { createBucket, putObject, send, xmlText } from './helpers.js';

interface AliOss {
  copy(name: string, sourceName: string, bucketName?: string): Promise<{ res: { status: number } }>;
  get(name: string): Promise<{ content: Buffer }>;
  initMultipartUpload(name: string): Promise<{ uploadId: string }>;
  uploadPartCopy(
    name: string,
    uploadId: string,
    partNo: number,
    range: string,
    source: { sourceKey: string; sourceBucketName: string },
  ): Promise<{ etag: string }>;
  completeMultipartUpload(name: string, uploadId: string, parts: { number: number; etag: string }[]): Promise<{ res: { status: number } }>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

const SOURCE_BUCKET = 'copy-src';
const TARGET_BUCKET = 'copy-dst';
const KEYS = [
  'dir/sub dir/with space.txt',
  'plus+sign/a+b.txt',
  '100% sure/%41%2F.txt',
  'unicode/中文 ключ 😀.txt',
  "dir/mixed a+b=c&d~e*f!g'h(i).txt",
];
/** ali-oss's spelling of a source (lib/common/object/copyObject.js `_getSourceName`). */
const aliOssForm = (bucket: string, key: string) => `/${bucket}/${encodeURIComponent(key)}`;
/** Over 100 KiB, so that each source can be a whole non-last part (OSS's minimum part size). */
const PAD = '.'.repeat(100 * 1024);
const content = (key: string) => `content of ${key}${PAD}`;

let emu: Emulator;
let client: OssClient;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  await createBucket(emu, SOURCE_BUCKET);
  await createBucket(emu, TARGET_BUCKET);
  for (const key of KEYS) expect((await putObject(emu, SOURCE_BUCKET, key, content(key))).status).toBe(200);
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, bucket: TARGET_BUCKET, credentials: emu.credentials });
});

afterAll(async () => {
  await client.close();
  await emu.close();
});

function stored(bucket: string, key: string): string | undefined {
  const object = emu.storage.getObject(bucket, key);
  return object && new TextDecoder().decode(object.data);
}

describe('parseCopySource', () => {
  const error = (value: string): string => {
    try {
      parseCopySource(value);
    } catch (e) {
      expect(e).toBeInstanceOf(EmulatorError);
      return `${(e as EmulatorError).status} ${(e as EmulatorError).code} ${(e as EmulatorError).extra.EC}`;
    }
    return 'accepted';
  };

  it('decodes both spellings of every awkward key to the same key', () => {
    for (const key of KEYS) {
      expect(parseCopySource(copySourceHeader({ bucket: 'b-1', key }))).toEqual({ bucket: 'b-1', key });
      expect(parseCopySource(aliOssForm('b-1', key))).toEqual({ bucket: 'b-1', key });
    }
    // `+` is a plus sign, not a space; the leading slash is optional.
    expect(parseCopySource('b-1/a+b%2Bc')).toEqual({ bucket: 'b-1', key: 'a+b+c' });
  });

  it('reads versionId and refuses any other query, an empty versionId, or a missing bucket or key', () => {
    expect(parseCopySource('/b-1/dir%2Fk?versionId=CAEQ%2B1')).toEqual({ bucket: 'b-1', key: 'dir/k', versionId: 'CAEQ+1' });
    expect(error('/b-1/k?unknown=x')).toBe('400 InvalidArgument 0016-00000304');
    expect(error('/b-1/k?versionId=')).toBe('400 InvalidArgument 0016-00000305');
    expect(error('/b-1/k?versionId')).toBe('400 InvalidArgument 0016-00000305');
    for (const bad of ['', '/', '/b-1', '/b-1/', '//k', '/b-1/%E0%A4%A']) expect(error(bad)).toBe('400 InvalidArgument 0017-00000801');
  });
});

describe('CopyObject over HTTP', () => {
  it('accepts both spellings in a raw signed request', async () => {
    for (const [i, key] of KEYS.entries()) {
      for (const [form, header] of [
        ['osskit', copySourceHeader({ bucket: SOURCE_BUCKET, key })],
        ['ali-oss', aliOssForm(SOURCE_BUCKET, key)],
      ] as const) {
        const target = `raw/${form}/${i}`;
        const res = await send(emu, { method: 'PUT', bucket: TARGET_BUCKET, key: target, headers: { 'x-oss-copy-source': header } });
        expect(res.status, res.text).toBe(200);
        expect(stored(TARGET_BUCKET, target)).toBe(content(key));
      }
    }
  });

  it('copies with osskit copyObject', async () => {
    for (const key of KEYS) {
      await client.copyObject({ key: `osskit/${key}`, sourceBucket: SOURCE_BUCKET, sourceKey: key });
      expect(stored(TARGET_BUCKET, `osskit/${key}`)).toBe(content(key));
    }
  });

  it('names a missing source in NoSuchKey, decoded', async () => {
    const res = await send(emu, {
      method: 'PUT',
      bucket: TARGET_BUCKET,
      key: 'missing',
      headers: { 'x-oss-copy-source': aliOssForm(SOURCE_BUCKET, 'no such/key+1.txt') },
    });
    expect([res.status, xmlText(res.text, 'Code')]).toEqual([404, 'NoSuchKey']);
  });
});

describe.each([false, true])('ali-oss (authorizationV4=%s) copies and copies parts', (v4) => {
  const ali = () =>
    new OSS({
      region: `oss-${emu.region}`,
      endpoint: `http://localhost:${emu.port}`,
      sldEnable: true,
      authorizationV4: v4,
      bucket: TARGET_BUCKET,
      accessKeyId: emu.credentials.accessKeyId,
      accessKeySecret: emu.credentials.accessKeySecret,
    });

  it('copy(): every awkward key arrives intact', async () => {
    for (const key of KEYS) {
      const target = `ali-${v4}/${key}`;
      expect((await ali().copy(target, key, SOURCE_BUCKET)).res.status).toBe(200);
      expect(Buffer.from((await ali().get(target)).content).toString()).toBe(content(key));
    }
  });

  it('uploadPartCopy(): whole sources and a ranged one, from awkward keys, make the expected object', async () => {
    const oss = ali();
    const target = `ali-${v4}/parts.bin`;
    const { uploadId } = await oss.initMultipartUpload(target);
    const parts = [];
    for (const [i, key] of KEYS.entries()) {
      const size = Buffer.byteLength(content(key));
      const { etag } = await oss.uploadPartCopy(target, uploadId, i + 1, `0-${size - 1}`, { sourceKey: key, sourceBucketName: SOURCE_BUCKET });
      parts.push({ number: i + 1, etag });
    }
    const last = KEYS[0]!;
    const { etag } = await oss.uploadPartCopy(target, uploadId, KEYS.length + 1, '0-9', { sourceKey: last, sourceBucketName: SOURCE_BUCKET });
    parts.push({ number: KEYS.length + 1, etag });
    expect((await oss.completeMultipartUpload(target, uploadId, parts)).res.status).toBe(200);
    expect(stored(TARGET_BUCKET, target)).toBe(KEYS.map(content).join('') + 'content of');
  });
});

describe('osskit uploadPartCopy', () => {
  it('copies whole sources and a range from awkward keys into one object', async () => {
    const key = 'osskit/parts.bin';
    const { uploadId } = await client.initiateMultipartUpload({ key });
    const parts = [];
    for (const [i, sourceKey] of KEYS.entries()) {
      const { etag } = await client.uploadPartCopy({ key, uploadId, partNumber: i + 1, source: { bucket: SOURCE_BUCKET, key: sourceKey } });
      parts.push({ partNumber: i + 1, etag });
    }
    const ranged = await client.uploadPartCopy({
      key,
      uploadId,
      partNumber: KEYS.length + 1,
      source: { bucket: SOURCE_BUCKET, key: KEYS[3]! },
      range: { start: 11, end: 11 + Buffer.byteLength(KEYS[3]!) - 1 },
    });
    parts.push({ partNumber: KEYS.length + 1, etag: ranged.etag });
    await client.completeMultipartUpload({ key, uploadId, parts });
    // "content of " is 11 bytes, so the range is the source's own key.
    expect(stored(TARGET_BUCKET, key)).toBe(KEYS.map(content).join('') + KEYS[3]);
  });
});
