/**
 * The conveniences end to end against the emulator: objectExists, deleteObjects by prefix over more
 * than one page (1000 keys per request) and by keys, the item iterators over several pages of each
 * listing, and getObjectUrl fetched without a signature for a public-read object. The official
 * `ali-oss` client checks what deleteObjects left behind.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isOssError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';

/** The slice of the ali-oss client (CommonJS, untyped) used here. */
interface AliOss {
  listV2(query: Record<string, unknown>, options: object): Promise<{ objects?: { name: string }[] }>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

let emu: Emulator;
let client: OssClient;
const BUCKET = 'conveniences';

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET });
  await client.putBucket({});
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

/** Puts `count` small objects named `${prefix}${i}`, 64 at a time. */
async function putMany(prefix: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
  for (let i = 0; i < keys.length; i += 64) {
    await Promise.all(keys.slice(i, i + 64).map((key) => client.putObject({ key, body: key })));
  }
  return keys;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('conveniences against the emulator', () => {
  it('objectExists: true, false for a missing key, NoSuchBucket thrown', async () => {
    await client.putObject({ key: 'exists/a b.txt', body: 'x' });
    expect(await client.objectExists({ key: 'exists/a b.txt' })).toBe(true);
    expect(await client.objectExists({ key: 'exists/missing.txt' })).toBe(false);
    await expect(client.objectExists({ key: 'a.txt', bucket: 'no-such-bucket-here' })).rejects.toSatisfy(
      (e) => isOssError(e) && e.code === 'NoSuchBucket',
    );
  });

  it('deleteObjects({ prefix }) deletes 1003 objects over two pages and leaves the rest', async () => {
    const doomed = await putMany('doomed/', 1003);
    await putMany('kept/', 3);
    await putMany('doomedX', 2); // shares the first letters, not the prefix
    const out = await client.deleteObjects({ prefix: 'doomed/' });
    expect(out.deleted).toBe(doomed.length);
    expect(out.requestIds).toHaveLength(2);
    expect(out.requestId).toBe(out.requestIds[1]);
    expect(await collect(client.listObjectsV2Items({ prefix: 'doomed/' }))).toEqual([]);
    // The official client sees the same bucket.
    const oss = new OSS({ endpoint: `http://localhost:${emu.port}`, sldEnable: true, region: `oss-${emu.region}`, bucket: BUCKET, ...emu.credentials });
    const seen = await oss.listV2({ prefix: 'kept/', 'max-keys': 100 }, {});
    expect((seen.objects ?? []).map((o) => o.name)).toEqual(['kept/0000', 'kept/0001', 'kept/0002']);
    expect((await client.listObjectsV2({ prefix: 'doomedX' })).contents).toHaveLength(2);
  });

  it('deleteObjects({ keys }) deletes exactly those keys', async () => {
    const keys = await putMany('some/', 5);
    const out = await client.deleteObjects({ keys: [keys[0]!, keys[3]!, 'some/never-existed'] });
    expect(out).toMatchObject({ deleted: 3 });
    expect(out.requestIds).toHaveLength(1);
    expect((await collect(client.listObjectsV2Items({ prefix: 'some/' }))).map((o) => o.key)).toEqual([keys[1], keys[2], keys[4]]);
  });

  it('item iterators walk every page of objects, uploads, parts and buckets', async () => {
    const keys = await putMany('items/', 7);
    expect((await collect(client.listObjectsV2Items({ prefix: 'items/', maxKeys: 3 }))).map((o) => o.key)).toEqual(keys);
    expect((await collect(client.listObjectsItems({ prefix: 'items/', maxKeys: 2 }))).map((o) => [o.key, o.size])).toEqual(
      keys.map((k) => [k, k.length]),
    );

    const uploads = [];
    for (const key of ['mp/a', 'mp/b', 'mp/c']) uploads.push({ ...(await client.initiateMultipartUpload({ key })), key });
    const listed = await collect(client.listMultipartUploadsItems({ prefix: 'mp/', maxUploads: 2 }));
    expect(listed.map((u) => [u.key, u.uploadId])).toEqual(uploads.map((u) => [u.key, u.uploadId]));

    const { key, uploadId } = uploads[0]!;
    for (const partNumber of [1, 2, 3]) await client.uploadPart({ key, uploadId, partNumber, body: 'p'.repeat(partNumber) });
    const parts = await collect(client.listPartsItems({ key, uploadId, maxParts: 2 }));
    expect(parts.map((p) => [p.partNumber, p.size])).toEqual([[1, 1], [2, 2], [3, 3]]);
    for (const u of uploads) await client.abortMultipartUpload({ key: u.key, uploadId: u.uploadId });

    await client.putBucket({ bucket: 'conveniences-2' });
    await client.putBucket({ bucket: 'conveniences-3' });
    const buckets = (await collect(client.listBucketsItems({ maxKeys: 1 }))).map((b) => b.name);
    expect(buckets).toEqual(expect.arrayContaining([BUCKET, 'conveniences-2', 'conveniences-3']));
    expect(new Set(buckets).size).toBe(buckets.length);
  });

  it('getObjectUrl: a public-read object answers an unsigned GET; a private one does not', async () => {
    const key = "public/a b+c*(é)!.txt";
    await client.putObject({ key, body: 'public bytes', headers: { 'x-oss-object-acl': 'public-read' } });
    await client.putObject({ key: 'public/private.txt', body: 'secret' });
    const url = client.getObjectUrl({ key });
    expect(url).toBe(`${emu.endpoint}/${BUCKET}/public/a%20b%2Bc%2A%28%C3%A9%29%21.txt`);
    const answer = await fetch(url);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('public bytes');
    expect((await fetch(client.getObjectUrl({ key: 'public/private.txt' }))).status).toBe(403);
  });
});
