/** Every object operation end to end against the emulator, with V4 and V1 signatures. */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isOssError, OssError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});

const KEYS = [
  'plain.txt',
  'with space.txt',
  'dir/sub/中文 файл.txt',
  'a+b=c&d.txt',
  'tilde~name',
  '100%25 literal %.bin',
  "marks !'()*;,@$.txt",
  'trailing/',
];

describe.each(['v4', 'v1'] as const)('objects with %s signatures', (signatureVersion) => {
  let client: OssClient;
  const bucket = `objects-${signatureVersion}`;

  beforeAll(async () => {
    client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket, signatureVersion });
    await client.putBucket({});
  });
  afterAll(async () => {
    await client.close();
  });

  it.each(KEYS)('put, get, head, meta, copy and delete %j', async (key) => {
    const body = `content of ${key}`;
    const put = await client.putObject({ key, body, metadata: { origin: 'test' } });
    expect(put.etag).toMatch(/^"[0-9A-F]{32}"$/);
    expect(put.crc64).toBe(crc64(new TextEncoder().encode(body)));
    expect(put.requestId).not.toBe('');

    const got = await client.getObject({ key });
    expect(await got.text()).toBe(body);
    expect(got).toMatchObject({ contentLength: body.length > 0 ? new TextEncoder().encode(body).length : 0, etag: put.etag, metadata: { origin: 'test' } });
    expect(got.lastModified).toBeInstanceOf(Date);

    const head = await client.headObject({ key });
    expect(head).toMatchObject({ etag: put.etag, crc64: put.crc64, metadata: { origin: 'test' } });
    const meta = await client.getObjectMeta({ key });
    expect(meta.etag).toBe(put.etag);

    const copy = await client.copyObject({ key: `copies/${key}`, sourceKey: key });
    expect(copy.etag).toBe(put.etag);
    const listed = await client.listObjectsV2({ prefix: `copies/${key}` });
    expect(listed.contents.map((c) => c.key)).toContain(`copies/${key}`);

    await client.deleteObject({ key });
    await client.deleteObject({ key: `copies/${key}` });
    const error = await client.headObject({ key }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error).toMatchObject({ code: 'NoSuchKey', status: 404 });
  });

  it('uploads every body kind with progress and guessed content types', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 256);
    const bodies = {
      'kinds/string.txt': 'a string body',
      'kinds/bytes.bin': bytes,
      'kinds/buffer.json': bytes.buffer.slice(0, 1000),
      'kinds/blob.png': new Blob([bytes.subarray(0, 5000)]),
      'kinds/web-stream.bin': new ReadableStream<Uint8Array>({
        start: (c) => {
          c.enqueue(bytes.subarray(0, 100_000));
          c.enqueue(bytes.subarray(100_000));
          c.close();
        },
      }),
      'kinds/node-readable.bin': Readable.from([Buffer.from(bytes.subarray(0, 70_000)), Buffer.from(bytes.subarray(70_000))]),
    };
    for (const [key, body] of Object.entries(bodies)) {
      const progress: number[] = [];
      await client.putObject({ key, body, onProgress: (p) => progress.push(p.loadedBytes) });
      expect(progress.length, key).toBeGreaterThan(0);
    }
    // Buffer.equals: a deep toEqual over 300 KB is needlessly slow.
    for (const key of ['kinds/bytes.bin', 'kinds/web-stream.bin', 'kinds/node-readable.bin']) {
      const read = await client.getObject({ key }).then((o) => o.bytes());
      expect(Buffer.from(read).equals(Buffer.from(bytes)), key).toBe(true);
    }
    expect((await client.headObject({ key: 'kinds/string.txt' })).contentType).toBe('text/plain');
    expect((await client.headObject({ key: 'kinds/buffer.json' })).contentType).toBe('application/json');
    expect((await client.headObject({ key: 'kinds/blob.png' })).contentType).toBe('image/png');
    expect((await client.headObject({ key: 'kinds/bytes.bin' })).contentType).toBe('application/octet-stream');
  });

  it('reads ranges, honours conditions and response overrides', async () => {
    await client.putObject({ key: 'range.txt', body: '0123456789' });
    const part = await client.getObject({ key: 'range.txt', range: { start: 2, end: 5 } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('2345');
    expect(await (await client.getObject({ key: 'range.txt', range: 'bytes=7-' })).text()).toBe('789');
    const { etag } = await client.headObject({ key: 'range.txt' });
    const notModified = await client.getObject({ key: 'range.txt', ifNoneMatch: etag }).catch((e: unknown) => e);
    expect(notModified).toMatchObject({ status: 304, code: 'NotModified' });
    const failed = await client.getObject({ key: 'range.txt', ifMatch: '"0000"' }).catch((e: unknown) => e);
    expect(failed).toMatchObject({ status: 412, code: 'PreconditionFailed' });
    const overridden = await client.getObject({ key: 'range.txt', responseHeaders: { contentType: 'application/x-test', contentDisposition: 'attachment; filename="r.txt"' } });
    expect(overridden.contentType).toBe('application/x-test');
    expect(overridden.headers['content-disposition']).toBe('attachment; filename="r.txt"');
    await overridden.body.cancel();
  });

  it('lists with a delimiter and pages through v2 and v1 listings', async () => {
    const keys = ['list/a', 'list/b', 'list/c d', 'list/sub/x', 'list/sub/y', 'list/中'];
    for (const key of keys) await client.putObject({ key, body: key });
    const top = await client.listObjectsV2({ prefix: 'list/', delimiter: '/' });
    expect(top.contents.map((c) => c.key)).toEqual(['list/a', 'list/b', 'list/c d', 'list/中']);
    expect(top.commonPrefixes).toEqual(['list/sub/']);

    const v2: string[] = [];
    let pages = 0;
    for await (const page of client.paginateListObjectsV2({ prefix: 'list/', maxKeys: 2 })) {
      pages++;
      v2.push(...page.contents.map((c) => c.key));
    }
    expect(v2).toEqual(keys);
    expect(pages).toBe(3);

    const v1: string[] = [];
    for await (const page of client.paginateListObjects({ prefix: 'list/', maxKeys: 4 })) v1.push(...page.contents.map((c) => c.key));
    expect(v1).toEqual(keys);
  });

  it('deletes many objects, verbose and quiet', async () => {
    const keys = ['multi/a b', 'multi/c+d', 'multi/中 & <x>'];
    for (const key of keys) await client.putObject({ key, body: 'x' });
    const verbose = await client.deleteMultipleObjects({ keys: keys.slice(0, 2) });
    expect(verbose.deleted.map((d) => d.key).sort()).toEqual(keys.slice(0, 2).sort());
    const quiet = await client.deleteMultipleObjects({ keys: [keys[2]!], quiet: true });
    expect(quiet.deleted).toEqual([]);
    expect((await client.listObjectsV2({ prefix: 'multi/' })).contents).toEqual([]);
  });

  it('copies with replaced metadata and reports NoSuchKey on GET with its request id', async () => {
    await client.putObject({ key: 'meta/src', body: 'x', metadata: { a: '1' } });
    await client.copyObject({ key: 'meta/dst', sourceKey: 'meta/src', metadata: { b: '2' } });
    expect((await client.headObject({ key: 'meta/dst' })).metadata).toEqual({ b: '2' });
    const error = await client.getObject({ key: 'meta/missing' }).catch((e: unknown) => e);
    expect(isOssError(error) && error.code === 'NoSuchKey' && error.requestId !== '').toBe(true);
  });
});
