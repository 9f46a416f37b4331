/**
 * Object versioning end to end: the osskit client against the emulator. Enabled buckets keep every
 * version and answer `x-oss-version-id`; deletes add markers; a version is read, tagged, copied and
 * removed by its id; Suspended buckets overwrite the `null` version; ListObjectVersions pages with
 * key-marker / version-id-marker; versions survive a restart on the same data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';
import { send } from './helpers.js';

let emu: Emulator;
let client: OssClient;
let bucketCount = 0;

/** A client on a new bucket, with versioning in `status` (none: never versioned). */
async function bucketWith(status?: 'Enabled' | 'Suspended'): Promise<OssClient> {
  const c = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: `ver-${++bucketCount}`, maxAttempts: 1 });
  await c.putBucket({});
  if (status) await c.putBucketVersioning({ status });
  return c;
}

const failure = (promise: Promise<unknown>): Promise<{ code?: string; status?: number; ec?: string }> =>
  promise.then(
    () => ({}),
    (error: { code?: string; status?: number; ec?: string }) => error,
  );

const text = async (out: Promise<{ text(): Promise<string> }>): Promise<string> => (await out).text();

beforeAll(async () => {
  emu = await startEmulator();
  client = await bucketWith('Enabled');
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

describe('versioning status', () => {
  it('only Enabled and Suspended: the client refuses anything else before sending, the emulator answers OSS errors', async () => {
    const c = await bucketWith();
    expect((await c.getBucketVersioning()).status).toBeUndefined();
    const before = emu.stats.snapshot()['PutBucketVersioning'] ?? 0;
    expect(await failure(c.putBucketVersioning({ status: 'Disabled' as 'Enabled' }))).toMatchObject({ code: 'InvalidArgument' });
    expect(emu.stats.snapshot()['PutBucketVersioning'] ?? 0).toBe(before);
    const raw = (body: string) => send(emu, { method: 'PUT', bucket: c.bucket!, query: { versioning: '' }, body, headers: { 'content-type': 'application/xml' } });
    const stop = await raw('<VersioningConfiguration><Status>Stop</Status></VersioningConfiguration>');
    expect([stop.status, /<EC>([^<]*)<\/EC>/.exec(stop.text)?.[1]]).toEqual([400, '0012-00000004']);
    const empty = await raw('<VersioningConfiguration><Status></Status></VersioningConfiguration>');
    expect([empty.status, /<EC>([^<]*)<\/EC>/.exec(empty.text)?.[1]]).toEqual([400, '0012-00000003']);
    expect((await c.getBucketVersioning()).status).toBeUndefined();
    await c.putBucketVersioning({ status: 'Suspended' });
    expect((await c.getBucketVersioning()).status).toBe('Suspended');
  });

  it('a bucket never versioned answers no version ids and deletes for good', async () => {
    const c = await bucketWith();
    const put = await c.putObject({ key: 'plain.txt', body: 'one' });
    expect(put.versionId).toBeUndefined();
    const del = await c.deleteObject({ key: 'plain.txt' });
    expect(del).not.toHaveProperty('versionId');
    expect(del).not.toHaveProperty('deleteMarker');
    expect((await c.listObjectVersions()).entries).toEqual([]);
  });
});

describe('an Enabled bucket', () => {
  it('keeps every version: read by id byte-exact, delete marker, 404 with the marker header, list in order, restore by removing the marker', async () => {
    const v1 = await client.putObject({ key: 'doc.txt', body: 'first version' });
    const v2 = await client.putObject({ key: 'doc.txt', body: 'second, longer version' });
    expect(v1.versionId).toMatch(/^CAEQ/);
    expect(v2.versionId).toMatch(/^CAEQ/);
    expect(v2.versionId).not.toBe(v1.versionId);
    expect(await text(client.getObject({ key: 'doc.txt', versionId: v1.versionId }))).toBe('first version');
    const current = await client.getObject({ key: 'doc.txt' });
    expect([await current.text(), current.versionId]).toEqual(['second, longer version', v2.versionId]);
    expect((await client.headObject({ key: 'doc.txt', versionId: v1.versionId })).contentLength).toBe('first version'.length);

    const del = await client.deleteObject({ key: 'doc.txt' });
    expect(del.deleteMarker).toBe(true);
    expect(del.versionId).toMatch(/^CAEQ/);
    const raw = await send(emu, { bucket: client.bucket!, key: 'doc.txt' });
    expect([raw.status, raw.headers['x-oss-delete-marker'], raw.headers['x-oss-version-id']]).toEqual([404, 'true', del.versionId]);
    expect(raw.text).toContain('<Code>NoSuchKey</Code>');
    // The client's error carries what only the headers say: a delete marker, and its version id.
    expect(await failure(client.headObject({ key: 'doc.txt' }))).toMatchObject({ status: 404, details: { DeleteMarker: 'true', VersionId: del.versionId } });
    expect(await failure(client.getObject({ key: 'doc.txt' }))).toMatchObject({ code: 'NoSuchKey', details: { DeleteMarker: 'true', VersionId: del.versionId } });
    // The marker itself, named by id: 405, as OSS answers.
    const marker = await send(emu, { bucket: client.bucket!, key: 'doc.txt', query: { versionId: del.versionId! } });
    expect([marker.status, marker.headers['x-oss-delete-marker']]).toEqual([405, 'true']);
    expect(await failure(client.getObjectAcl({ key: 'doc.txt', versionId: del.versionId }))).toMatchObject({ code: 'MethodNotAllowed', ec: '0017-00000002' });
    expect((await client.listObjectsV2({ prefix: 'doc' })).contents).toEqual([]);

    const listed = await client.listObjectVersions({ prefix: 'doc.txt' });
    expect(listed.entries.map((e) => [e.key, e.versionId, e.deleteMarker, e.isLatest])).toEqual([
      ['doc.txt', del.versionId, true, true],
      ['doc.txt', v2.versionId, false, false],
      ['doc.txt', v1.versionId, false, false],
    ]);
    expect(listed.versions.map((v) => v.size)).toEqual(['second, longer version'.length, 'first version'.length]);
    expect(listed.deleteMarkers).toHaveLength(1);
    expect(listed.isTruncated).toBe(false);

    const removed = await client.deleteObject({ key: 'doc.txt', versionId: del.versionId });
    expect([removed.deleteMarker, removed.versionId]).toEqual([true, del.versionId]);
    expect(await text(client.getObject({ key: 'doc.txt' }))).toBe('second, longer version');
    const gone = await client.deleteObject({ key: 'doc.txt', versionId: v2.versionId });
    expect([gone.deleteMarker, gone.versionId]).toEqual([undefined, v2.versionId]);
    expect(await text(client.getObject({ key: 'doc.txt' }))).toBe('first version');
  });

  it('an unknown versionId is 404 NoSuchVersion; an empty one 400', async () => {
    await client.putObject({ key: 'known.txt', body: 'k' });
    const missing = 'CAEQunknownversionid';
    expect(await failure(client.getObject({ key: 'known.txt', versionId: missing }))).toMatchObject({ code: 'NoSuchVersion', status: 404, ec: '0026-00000001' });
    expect(await failure(client.getObjectTagging({ key: 'known.txt', versionId: missing }))).toMatchObject({ code: 'NoSuchVersion' });
    const empty = await send(emu, { bucket: client.bucket!, key: 'known.txt', query: { versionId: '' } });
    expect([empty.status, /<EC>([^<]*)<\/EC>/.exec(empty.text)?.[1]]).toEqual([400, '0012-00000201']);
  });

  it('tagging and ACL per version', async () => {
    const v1 = await client.putObject({ key: 'tags.txt', body: 'a', tagging: { v: '1' } });
    const v2 = await client.putObject({ key: 'tags.txt', body: 'b' });
    const put = await client.putObjectTagging({ key: 'tags.txt', versionId: v1.versionId, tags: { v: 'one' } });
    expect(put.versionId).toBe(v1.versionId);
    const old = await client.getObjectTagging({ key: 'tags.txt', versionId: v1.versionId });
    expect([old.tags, old.versionId]).toEqual([{ v: 'one' }, v1.versionId]);
    expect((await client.getObjectTagging({ key: 'tags.txt' })).tags).toEqual({});
    await client.putObjectAcl({ key: 'tags.txt', acl: 'public-read', versionId: v1.versionId });
    expect((await client.getObjectAcl({ key: 'tags.txt', versionId: v1.versionId })).acl).toBe('public-read');
    const acl = await client.getObjectAcl({ key: 'tags.txt' });
    expect([acl.acl, acl.versionId]).toEqual(['default', v2.versionId]);
    expect((await client.deleteObjectTagging({ key: 'tags.txt', versionId: v1.versionId })).versionId).toBe(v1.versionId);
    // Changing an old version's tags or ACL does not make it current.
    expect(await text(client.getObject({ key: 'tags.txt' }))).toBe('b');
    const order = (await client.listObjectVersions({ prefix: 'tags.txt' })).versions.map((v) => v.versionId);
    expect(order).toEqual([v2.versionId, v1.versionId]);
  });

  it('copies from an old version (x-oss-copy-source-version-id) and UploadPartCopy reads it too', async () => {
    const v1 = await client.putObject({ key: 'src.txt', body: 'old source' });
    await client.putObject({ key: 'src.txt', body: 'new source' });
    const copy = await client.copyObject({ key: 'copy.txt', sourceKey: 'src.txt', sourceVersionId: v1.versionId });
    expect(copy.copySourceVersionId).toBe(v1.versionId);
    expect(copy.versionId).toMatch(/^CAEQ/);
    expect(await text(client.getObject({ key: 'copy.txt' }))).toBe('old source');
    const { uploadId } = await client.initiateMultipartUpload({ key: 'mp-copy.bin' });
    const part = await client.uploadPartCopy({ key: 'mp-copy.bin', uploadId, partNumber: 1, source: { key: 'src.txt', versionId: v1.versionId } });
    expect(part.sourceVersionId).toBe(v1.versionId);
    const done = await client.completeMultipartUpload({ key: 'mp-copy.bin', uploadId, parts: [{ partNumber: 1, etag: part.etag }] });
    expect(done.versionId).toMatch(/^CAEQ/);
    expect(await text(client.getObject({ key: 'mp-copy.bin', versionId: done.versionId }))).toBe('old source');
    // A delete marker cannot be copied; a missing version is NoSuchVersion.
    const marker = await client.deleteObject({ key: 'src.txt' });
    expect(await failure(client.copyObject({ key: 'x.txt', sourceKey: 'src.txt', sourceVersionId: marker.versionId }))).toMatchObject({ status: 400, ec: '0016-00000307' });
    expect(await failure(client.copyObject({ key: 'x.txt', sourceKey: 'src.txt', sourceVersionId: 'CAEQnone' }))).toMatchObject({ code: 'NoSuchVersion', ec: '0012-00000203' });
    expect(await failure(client.copyObject({ key: 'x.txt', sourceKey: 'src.txt' }))).toMatchObject({ code: 'NoSuchKey' });
  });

  it('symlinks and appends answer versions; append in place keeps the version, and refuses a versionId', async () => {
    await client.putObject({ key: 'target.txt', body: 'target' });
    const link = await client.putSymlink({ key: 'link', target: 'target.txt' });
    expect(link.versionId).toMatch(/^CAEQ/);
    expect((await client.getSymlink({ key: 'link', versionId: link.versionId })).target).toBe('target.txt');
    const first = await client.appendObject({ key: 'log.txt', position: 0, body: 'a' });
    const second = await client.appendObject({ key: 'log.txt', position: 1, body: 'b' });
    expect(first.versionId).toMatch(/^CAEQ/);
    expect(second.versionId).toBe(first.versionId);
    expect((await client.listObjectVersions({ prefix: 'log.txt' })).versions).toHaveLength(1);
    const withVersion = await send(emu, { method: 'POST', bucket: client.bucket!, key: 'log.txt', query: { append: '', position: '2', versionId: first.versionId! }, body: 'c' });
    expect([withVersion.status, /<EC>([^<]*)<\/EC>/.exec(withVersion.text)?.[1]]).toEqual([400, '0016-00000504']);
  });

  it('a form upload (PostObject) makes a version too', async () => {
    const posted = await client.postObject({ key: 'form.txt', file: 'from a form' });
    expect(posted.versionId).toMatch(/^CAEQ/);
    expect(await text(client.getObject({ key: 'form.txt', versionId: posted.versionId }))).toBe('from a form');
  });

  it('DeleteMultipleObjects: markers without a versionId, removal with one', async () => {
    const a1 = await client.putObject({ key: 'multi/a', body: 'a1' });
    const a2 = await client.putObject({ key: 'multi/a', body: 'a2' });
    await client.putObject({ key: 'multi/b', body: 'b' });
    const out = await client.deleteMultipleObjects({ keys: [{ key: 'multi/a', versionId: a2.versionId }, 'multi/b'] });
    expect(out.deleted[0]).toEqual({ key: 'multi/a', versionId: a2.versionId });
    expect(out.deleted[1]).toMatchObject({ key: 'multi/b', deleteMarker: true });
    expect(out.deleted[1]!.deleteMarkerVersionId).toMatch(/^CAEQ/);
    expect(await text(client.getObject({ key: 'multi/a' }))).toBe('a1');
    const again = await client.deleteMultipleObjects({ keys: [{ key: 'multi/b', versionId: out.deleted[1]!.deleteMarkerVersionId }] });
    expect(again.deleted[0]).toEqual({ key: 'multi/b', versionId: out.deleted[1]!.deleteMarkerVersionId, deleteMarker: true, deleteMarkerVersionId: out.deleted[1]!.deleteMarkerVersionId });
    expect(await text(client.getObject({ key: 'multi/b' }))).toBe('b');
    expect((await client.headObject({ key: 'multi/a', versionId: a1.versionId })).versionId).toBe(a1.versionId);
  });

  it('pages across key-marker / version-id-marker with max-keys 1, and folds common prefixes', async () => {
    const c = await bucketWith('Enabled');
    const ids: string[] = [];
    for (const [key, body] of [['p/a', '1'], ['p/a', '2'], ['p/b', '3'], ['p/d/x', '4'], ['p/d/y', '5']] as const) {
      ids.push((await c.putObject({ key, body })).versionId!);
    }
    const marker = (await c.deleteObject({ key: 'p/b' })).versionId!;
    const pages = [];
    for await (const page of c.paginateListObjectVersions({ prefix: 'p/', maxKeys: 1 })) pages.push(page);
    const entries = pages.flatMap((p) => p.entries.map((e) => `${e.key}@${e.versionId}`));
    expect(entries).toEqual([`p/a@${ids[1]}`, `p/a@${ids[0]}`, `p/b@${marker}`, `p/b@${ids[2]}`, `p/d/x@${ids[3]}`, `p/d/y@${ids[4]}`]);
    expect(pages).toHaveLength(6);
    expect(pages[0]).toMatchObject({ isTruncated: true, nextKeyMarker: 'p/a', nextVersionIdMarker: ids[1], maxKeys: 1 });
    expect(pages.at(-1)!.isTruncated).toBe(false);
    const folded = [];
    for await (const page of c.paginateListObjectVersions({ prefix: 'p/', delimiter: '/', maxKeys: 1 })) folded.push(...page.commonPrefixes, ...page.entries.map((e) => e.key));
    expect(folded).toEqual(['p/a', 'p/a', 'p/b', 'p/b', 'p/d/']);
    const items = [];
    for await (const item of c.listObjectVersionsItems({ prefix: 'p/d/', maxKeys: 1 })) items.push(item.key);
    expect(items).toEqual(['p/d/x', 'p/d/y']);
    await c.close();
  });
});

describe('bucket rules on a versioned bucket', () => {
  it('x-oss-forbid-overwrite does not apply (a write destroys nothing); a bucket holding only old versions or markers is not empty', async () => {
    const c = await bucketWith('Enabled');
    const first = await c.putObject({ key: 'f.txt', body: 'one' });
    const second = await c.putObject({ key: 'f.txt', body: 'two', headers: { 'x-oss-forbid-overwrite': 'true' } });
    expect(second.versionId).not.toBe(first.versionId);
    await c.deleteObject({ key: 'f.txt' });
    expect((await c.listObjectsV2()).contents).toEqual([]);
    expect(await failure(c.deleteBucket({}))).toMatchObject({ code: 'BucketNotEmpty', status: 409 });
    for (const entry of (await c.listObjectVersions()).entries) await c.deleteObject({ key: entry.key, versionId: entry.versionId });
    await c.deleteBucket({});
    await c.close();
  });
});

describe('a Suspended bucket', () => {
  it('overwrites the null version and keeps the versions made while Enabled', async () => {
    const c = await bucketWith('Enabled');
    const kept = await c.putObject({ key: 's.txt', body: 'enabled' });
    await c.putBucketVersioning({ status: 'Suspended' });
    const n1 = await c.putObject({ key: 's.txt', body: 'null one' });
    const n2 = await c.putObject({ key: 's.txt', body: 'null two' });
    expect([n1.versionId, n2.versionId]).toEqual(['null', 'null']);
    expect(await text(c.getObject({ key: 's.txt', versionId: 'null' }))).toBe('null two');
    const listed = await c.listObjectVersions({ prefix: 's.txt' });
    expect(listed.entries.map((e) => [e.versionId, e.isLatest])).toEqual([['null', true], [kept.versionId, false]]);
    const del = await c.deleteObject({ key: 's.txt' });
    expect([del.deleteMarker, del.versionId]).toEqual([true, 'null']);
    const after = await c.listObjectVersions({ prefix: 's.txt' });
    expect(after.entries.map((e) => [e.versionId, e.deleteMarker])).toEqual([['null', true], [kept.versionId, false]]);
    await c.close();
  });
});

describe('persistence', () => {
  it('versions, markers and their order survive a restart on the same data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'osskit-versions-'));
    try {
      const first = await startEmulator({ dataDir: dir });
      const c1 = new OssClient({ endpoint: first.endpoint, region: first.region, credentials: first.credentials, bucket: 'kept', maxAttempts: 1 });
      await c1.putBucket({});
      await c1.putObject({ key: 'old.txt', body: 'before versioning' });
      await c1.putBucketVersioning({ status: 'Enabled' });
      const ids = [];
      for (const body of ['v1', 'v2', 'v3']) ids.push((await c1.putObject({ key: 'k.txt', body })).versionId!);
      const marker = (await c1.deleteObject({ key: 'k.txt' })).versionId!;
      await c1.putObjectTagging({ key: 'k.txt', versionId: ids[0], tags: { t: '1' } });
      const before = (await c1.listObjectVersions()).entries.map((e) => [e.key, e.versionId, e.isLatest, e.deleteMarker]);
      await c1.close();
      await first.close();

      const second = await startEmulator({ dataDir: dir });
      const c2 = new OssClient({ endpoint: second.endpoint, region: second.region, credentials: second.credentials, bucket: 'kept', maxAttempts: 1 });
      try {
        expect((await c2.listObjectVersions()).entries.map((e) => [e.key, e.versionId, e.isLatest, e.deleteMarker])).toEqual(before);
        expect(before[0]).toEqual(['k.txt', marker, true, true]);
        expect(before.at(-1)).toEqual(['old.txt', 'null', true, false]);
        expect(await text(c2.getObject({ key: 'k.txt', versionId: ids[1] }))).toBe('v2');
        expect((await c2.getObjectTagging({ key: 'k.txt', versionId: ids[0] })).tags).toEqual({ t: '1' });
        expect(await failure(c2.getObject({ key: 'k.txt' }))).toMatchObject({ code: 'NoSuchKey' });
        // New writes after the restart still sort as the newest.
        const v4 = await c2.putObject({ key: 'k.txt', body: 'v4' });
        const order = (await c2.listObjectVersions({ prefix: 'k.txt' })).entries.map((e) => e.versionId);
        expect(order).toEqual([v4.versionId, marker, ids[2], ids[1], ids[0]]);
        expect(await text(c2.getObject({ key: 'old.txt', versionId: 'null' }))).toBe('before versioning');
      } finally {
        await c2.close();
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
