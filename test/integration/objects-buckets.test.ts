/** Bucket operations end to end against the emulator. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OssError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';

let emu: Emulator;
let client: OssClient;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials });
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

describe.each(['v4', 'v1'] as const)('buckets with %s signatures', (signatureVersion) => {
  const bucket = `buckets-${signatureVersion}`;
  let c: OssClient;
  beforeAll(() => {
    c = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket, signatureVersion });
  });
  afterAll(async () => {
    await c.close();
  });

  it('creates, describes, lists and deletes a bucket', async () => {
    await c.putBucket({ acl: 'public-read', storageClass: 'IA' });
    const info = await c.getBucketInfo();
    expect(info).toMatchObject({ name: bucket, location: `oss-${emu.region}`, storageClass: 'IA', acl: 'public-read' });
    expect((await c.getBucketLocation()).location).toBe(`oss-${emu.region}`);
    const { buckets } = await c.listBuckets({ prefix: 'buckets-' });
    expect(buckets.map((b) => b.name)).toContain(bucket);

    await c.putObject({ key: 'blocker', body: 'x' });
    const notEmpty = await c.deleteBucket().catch((e: unknown) => e);
    expect(notEmpty).toMatchObject({ status: 409, code: 'BucketNotEmpty' });
    await c.deleteObject({ key: 'blocker' });
    await c.deleteBucket();
    const gone = await c.getBucketInfo().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(OssError);
    expect(gone).toMatchObject({ status: 404, code: 'NoSuchBucket' });
  });

  it('stores, reads and deletes sub-resource configurations', async () => {
    await c.putBucket();
    const rules = [{ allowedOrigins: ['https://app.example'], allowedMethods: ['GET' as const, 'PUT' as const], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 300 }];
    await c.putBucketCors({ rules });
    expect((await c.getBucketCors()).rules).toEqual(rules);
    await c.deleteBucketCors();
    expect(await c.getBucketCors().catch((e: unknown) => (e as OssError).status)).toBe(404);

    await c.putBucketTagging({ tags: { team: 'storage', env: 'test' } });
    expect((await c.getBucketTagging()).tags).toEqual({ team: 'storage', env: 'test' });
    await c.deleteBucketTagging();

    await c.putBucketReferer({ allowEmptyReferer: true, refererList: ['https://*.example.com'] });
    expect(await c.getBucketReferer()).toMatchObject({ allowEmptyReferer: true, refererList: ['https://*.example.com'] });

    await c.putBucketLifecycle({ rules: [{ id: 'expire', prefix: 'tmp/', status: 'Enabled', expiration: { days: 1 } }] });
    expect((await c.getBucketLifecycle()).rules).toEqual([{ id: 'expire', prefix: 'tmp/', status: 'Enabled', expiration: { days: 1 } }]);
    await c.deleteBucketLifecycle();

    await c.putBucketWebsite({ indexDocument: { suffix: 'index.html' } });
    expect((await c.getBucketWebsite()).indexDocument).toEqual({ suffix: 'index.html' });
    await c.putBucketVersioning({ status: 'Enabled' });
    expect((await c.getBucketVersioning()).status).toBe('Enabled');
    await c.putBucketPolicy({ policy: { Version: '1', Statement: [] } });
    expect((await c.getBucketPolicy()).policy).toEqual({ Version: '1', Statement: [] });
    await c.deleteBucketPolicy();
  });
});

describe('bucket paging', () => {
  it('pages through ListBuckets', async () => {
    for (const n of [1, 2, 3, 4, 5]) await client.putBucket({ bucket: `paged-${n}` });
    const names: string[] = [];
    let pages = 0;
    for await (const page of client.paginateListBuckets({ prefix: 'paged-', maxKeys: 2 })) {
      pages++;
      names.push(...page.buckets.map((b) => b.name));
    }
    expect(names).toEqual(['paged-1', 'paged-2', 'paged-3', 'paged-4', 'paged-5']);
    expect(pages).toBe(3);
  });
});
