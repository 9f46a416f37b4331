/**
 * Versioning with the official ali-oss client against the emulator (V1 and V4 signing): it enables
 * versioning, writes versions, lists them with getBucketVersions, reads and deletes one by
 * versionId, deletes several with deleteMulti; osskit reads what ali-oss wrote and the other way
 * round.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';

interface AliVersion {
  name: string;
  versionId: string;
  isLatest: boolean;
  size: number;
}

/** The slice of the ali-oss client (CommonJS, untyped) these tests call. */
interface AliOss {
  putBucket(name: string): Promise<unknown>;
  putBucketVersioning(name: string, status: string): Promise<{ status: number }>;
  getBucketVersioning(name: string): Promise<{ versionStatus?: string }>;
  put(name: string, body: Buffer): Promise<{ res: { headers: Record<string, string> } }>;
  get(name: string, options?: Record<string, unknown>): Promise<{ content: Buffer; res: { headers: Record<string, string> } }>;
  delete(name: string, options?: Record<string, unknown>): Promise<{ res: { status: number; headers: Record<string, string> } }>;
  getBucketVersions(query?: Record<string, unknown>): Promise<{
    objects: AliVersion[];
    deleteMarker: { name: string; versionId: string }[];
    isTruncated: boolean;
    nextKeyMarker: string | null;
    nextVersionIdMarker: string | null;
  }>;
  deleteMulti(names: (string | { key: string; versionId: string })[]): Promise<{ deleted: { Key: string; VersionId?: string; DeleteMarker?: string; DeleteMarkerVersionId?: string }[] }>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

function ali(bucket: string, v4: boolean): AliOss {
  return new OSS({
    region: `oss-${emu.region}`,
    accessKeyId: emu.credentials.accessKeyId,
    accessKeySecret: emu.credentials.accessKeySecret,
    bucket,
    authorizationV4: v4,
    endpoint: `http://localhost:${emu.port}`,
    sldEnable: true,
  });
}

describe.each([false, true])('ali-oss authorizationV4=%s', (v4) => {
  const bucket = v4 ? 'ali-versions-v4' : 'ali-versions-v1';

  test('versions written by ali-oss: listed, read and deleted by id, by both clients', async () => {
    const oss = ali(bucket, v4);
    await oss.putBucket(bucket);
    await oss.putBucketVersioning(bucket, 'Enabled');
    expect((await oss.getBucketVersioning(bucket)).versionStatus).toBe('Enabled');
    const ours = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket, maxAttempts: 1 });
    try {
      expect((await ours.getBucketVersioning()).status).toBe('Enabled');
      const v1 = (await oss.put('doc.txt', Buffer.from('one'))).res.headers['x-oss-version-id']!;
      const v2 = (await oss.put('doc.txt', Buffer.from('two!'))).res.headers['x-oss-version-id']!;
      expect(v1).toMatch(/^CAEQ/);
      expect(v2).not.toBe(v1);

      const listed = await oss.getBucketVersions({ prefix: 'doc' });
      expect(listed.objects.map((o) => [o.name, o.versionId, o.isLatest, o.size])).toEqual([
        ['doc.txt', v2, true, 4],
        ['doc.txt', v1, false, 3],
      ]);
      const got = await oss.get('doc.txt', { versionId: v1 });
      expect([got.content.toString(), got.res.headers['x-oss-version-id']]).toEqual(['one', v1]);
      // osskit reads what ali-oss wrote.
      expect(await (await ours.getObject({ key: 'doc.txt', versionId: v1 })).text()).toBe('one');
      expect((await ours.listObjectVersions({ prefix: 'doc' })).versions.map((v) => v.versionId)).toEqual([v2, v1]);

      // A delete without versionId adds a marker; ali-oss lists it, osskit too.
      const marker = (await oss.delete('doc.txt')).res.headers;
      expect(marker['x-oss-delete-marker']).toBe('true');
      const withMarker = await oss.getBucketVersions({ prefix: 'doc' });
      expect(withMarker.deleteMarker.map((m) => m.versionId)).toEqual([marker['x-oss-version-id']]);
      expect((await ours.listObjectVersions({ prefix: 'doc' })).entries[0]).toMatchObject({ deleteMarker: true, isLatest: true });

      // ali-oss deletes the marker by id, then osskit writes a version ali-oss reads.
      await oss.delete('doc.txt', { versionId: marker['x-oss-version-id'] });
      expect((await oss.get('doc.txt')).content.toString()).toBe('two!');
      const v3 = await ours.putObject({ key: 'doc.txt', body: 'three' });
      expect((await oss.get('doc.txt', { versionId: v3.versionId })).content.toString()).toBe('three');
      expect((await oss.get('doc.txt', { versionId: v2 })).content.toString()).toBe('two!');

      // deleteMulti with versions: one version removed, one marker added.
      await oss.put('other.txt', Buffer.from('o'));
      const multi = await oss.deleteMulti([{ key: 'doc.txt', versionId: v1 }, 'other.txt']);
      expect(multi.deleted.map((d) => [d.Key, d.VersionId, d.DeleteMarker])).toEqual([
        ['doc.txt', v1, undefined],
        ['other.txt', undefined, 'true'],
      ]);
      expect(multi.deleted[1]!.DeleteMarkerVersionId).toMatch(/^CAEQ/);
      const after = await ours.listObjectVersions();
      expect(after.entries.map((e) => [e.key, e.deleteMarker])).toEqual([
        ['doc.txt', false],
        ['doc.txt', false],
        ['other.txt', true],
        ['other.txt', false],
      ]);

      // Pages as ali-oss asks for them (keyMarker / versionIdMarker).
      const page = await oss.getBucketVersions({ maxKeys: 1 });
      expect(page.isTruncated).toBe(true);
      const next = await oss.getBucketVersions({ maxKeys: 1, keyMarker: page.nextKeyMarker, versionIdMarker: page.nextVersionIdMarker });
      expect(next.objects.map((o) => o.versionId)).toEqual([v2]);
    } finally {
      await ours.close();
    }
  });
});
