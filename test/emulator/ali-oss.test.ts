/**
 * The required interop proof: the official ali-oss client, signing V1 and V4, talks to the emulator
 * in path style (sldEnable) and with an IP endpoint (virtual-host Host header), with awkward keys,
 * and is refused when it signs with the wrong secret.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

/** The slice of the ali-oss client (CommonJS, untyped) these tests call. */
interface AliOss {
  putBucket(name: string): Promise<unknown>;
  deleteBucket(name: string): Promise<unknown>;
  listBuckets(): Promise<{ buckets?: { name: string }[] }>;
  put(name: string, body: Buffer, options?: Record<string, unknown>): Promise<{ res: { status: number } }>;
  get(name: string): Promise<{ content: Buffer }>;
  head(name: string): Promise<{ status: number; meta: Record<string, string>; res: { headers: Record<string, string> } }>;
  list(query: Record<string, unknown>, options: object): Promise<{ objects?: { name: string }[] }>;
  listV2(
    query: Record<string, unknown>,
    options: object,
  ): Promise<{ objects: { name: string }[]; isTruncated: boolean; nextContinuationToken: string }>;
  copy(target: string, source: string): Promise<{ res: { status: number } }>;
  delete(name: string): Promise<unknown>;
  deleteMulti(names: string[]): Promise<unknown>;
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(method: string, expires: number, request?: object, objectName?: string): Promise<string>;
  multipartUpload(name: string, body: Buffer, options?: Record<string, unknown>): Promise<{ res: { status: number } }>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

const KEYS = [
  'dir/with space.txt',
  'unicode/中文-ключ-😀.txt',
  'plus+sign.txt',
  'tilde~name.txt',
  'percent%20literal%.txt',
  "mixed a+b=c&d~e*f!g'h(i).txt",
];

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ credentials: [{ accessKeyId: 'LTAItestkey', accessKeySecret: 'test-secret-value' }] });
});
afterAll(async () => {
  await emu.close();
});

type Mode = { name: string; options: () => Record<string, unknown> };

const MODES: Mode[] = [
  { name: 'path style (sldEnable)', options: () => ({ endpoint: `http://localhost:${emu.port}`, sldEnable: true }) },
  { name: 'IP endpoint (Host: <bucket>.oss-<region>.aliyuncs.com)', options: () => ({ endpoint: emu.endpoint }) },
];

function client(mode: Mode, v4: boolean, bucket: string, secret = emu.credentials.accessKeySecret): AliOss {
  return new OSS({
    region: `oss-${emu.region}`,
    accessKeyId: emu.credentials.accessKeyId,
    accessKeySecret: secret,
    bucket,
    authorizationV4: v4,
    ...mode.options(),
  });
}

describe.each(MODES)('ali-oss, $name', (mode) => {
  describe.each([false, true])('authorizationV4=%s', (v4) => {
    const bucket = `alioss-${mode.name.startsWith('path') ? 'path' : 'ip'}-${v4 ? 'v4' : 'v1'}`;

    test('put/get/head/list/copy/delete with awkward keys', async () => {
      const oss = client(mode, v4, bucket);
      await oss.putBucket(bucket);
      const names = (await oss.listBuckets()).buckets?.map((b) => b.name) ?? [];
      expect(names).toContain(bucket);

      for (const key of KEYS) {
        const body = Buffer.from(`content of ${key}`);
        const put = await oss.put(key, body, { meta: { owner: 'tester' }, headers: { 'Content-Type': 'text/plain' } });
        expect(put.res.status).toBe(200);

        const got = await oss.get(key);
        expect(Buffer.from(got.content).toString()).toBe(body.toString());

        const head = await oss.head(key);
        expect(head.status).toBe(200);
        expect(head.meta).toEqual({ owner: 'tester' });
        expect(head.res.headers['content-type']).toBe('text/plain');
        expect(head.res.headers['content-length']).toBe(String(body.length));
      }

      const listed = await oss.list({ 'max-keys': 100 }, {});
      expect((listed.objects ?? []).map((o) => o.name).sort()).toEqual([...KEYS].sort());

      const page1 = await oss.listV2({ 'max-keys': 2 }, {});
      expect(page1.objects).toHaveLength(2);
      expect(page1.isTruncated).toBe(true);
      const page2 = await oss.listV2({ 'max-keys': 100, 'continuation-token': page1.nextContinuationToken }, {});
      expect(page2.objects).toHaveLength(KEYS.length - 2);

      // ali-oss V4 signs an empty value as `prefix=` (docs/protocol.md, "Signature V4"); the emulator accepts it.
      const emptyPrefix = await oss.list({ prefix: '', 'max-keys': 100 }, {});
      expect(emptyPrefix.objects ?? []).toHaveLength(KEYS.length);

      const withPrefix = await oss.list({ prefix: 'dir/', delimiter: '/' }, {});
      expect((withPrefix.objects ?? []).map((o) => o.name)).toEqual(['dir/with space.txt']);

      const copied = await oss.copy('copies/plus+copy.txt', KEYS[2]!);
      expect(copied.res.status).toBe(200);
      expect(Buffer.from((await oss.get('copies/plus+copy.txt')).content).toString()).toBe(`content of ${KEYS[2]}`);

      for (const key of KEYS) await oss.delete(key);
      await oss.deleteMulti(['copies/plus+copy.txt']);
      expect((await oss.list({}, {})).objects ?? []).toHaveLength(0);
      await expect(oss.get(KEYS[0]!)).rejects.toMatchObject({ status: 404, code: 'NoSuchKey' });
      await oss.deleteBucket(bucket);
    });

    test('presigned URLs (signatureUrl, signatureUrlV4) and multipartUpload', async () => {
      const oss = client(mode, v4, `${bucket}-p`);
      await oss.putBucket(`${bucket}-p`);
      const key = 'presigned/a b+c~%中.txt';
      await oss.put(key, Buffer.from('presigned body'));
      if (mode.name.startsWith('path')) {
        // Only path style URLs are reachable from here (the IP mode URL carries no bucket).
        const v1Url = oss.signatureUrl(key, { expires: 300 });
        expect(await (await fetch(v1Url)).text()).toBe('presigned body');
        const v4Url = await oss.signatureUrlV4('GET', 300, undefined, key);
        expect(await (await fetch(v4Url)).text()).toBe('presigned body');
        const tampered = v1Url.replace('presigned/', 'presigned/x');
        expect((await fetch(tampered)).status).toBe(403);
      }
      const big = Buffer.alloc(250 * 1024, 7);
      const done = await oss.multipartUpload('multi.bin', big, { partSize: 100 * 1024 });
      expect(done.res.status).toBe(200);
      expect(Buffer.from((await oss.get('multi.bin')).content).equals(big)).toBe(true);
      await oss.deleteMulti([key, 'multi.bin']);
      await oss.deleteBucket(`${bucket}-p`);
    });

    test('a wrong secret is refused with SignatureDoesNotMatch', async () => {
      const good = client(mode, v4, `${bucket}-x`);
      await good.putBucket(`${bucket}-x`);
      const bad = client(mode, v4, `${bucket}-x`, 'not-the-secret');
      await expect(bad.put('k.txt', Buffer.from('x'))).rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      await expect(bad.get('k.txt')).rejects.toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      await good.deleteBucket(`${bucket}-x`);
    });
  });
});
