/**
 * Round trips of the object sub-resource operations through the emulator with the osskit client:
 * ACL, tagging, symlinks, append (with the chained CRC-64 check), restore of archived objects,
 * `x-oss-process` refused as not implemented, and the object facts HeadObject reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';
import { md5Base64, send } from './helpers.js';

const BUCKET = 'object-subres';
let emu: Emulator;
let client: OssClient;

/** The emulator's clock runs ahead by this much; restore tests move it instead of waiting. */
let clockOffsetMs = 0;
const RESTORE_DELAY_MS = 60_000;

beforeAll(async () => {
  emu = await startEmulator({ restoreDelayMs: RESTORE_DELAY_MS, now: () => new Date(Date.now() + clockOffsetMs) });
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET, maxAttempts: 1 });
  await client.putBucket({});
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

const failure = (promise: Promise<unknown>): Promise<{ code?: string; status?: number; headers?: unknown }> =>
  promise.then(
    () => ({}),
    (error: { code?: string; status?: number }) => error,
  );

describe('object ACL', () => {
  it('starts as default, then reads back what was put', async () => {
    await client.putObject({ key: 'acl.txt', body: 'x' });
    expect((await client.getObjectAcl({ key: 'acl.txt' })).acl).toBe('default');
    await client.putObjectAcl({ key: 'acl.txt', acl: 'public-read' });
    const out = await client.getObjectAcl({ key: 'acl.txt' });
    expect(out.acl).toBe('public-read');
    expect(out.owner.id).not.toBe('');
    expect(await failure(client.getObjectAcl({ key: 'missing.txt' }))).toMatchObject({ code: 'NoSuchKey', status: 404 });
  });
});

describe('object tagging', () => {
  it('tags set on put, read, replaced and deleted; the data never changes', async () => {
    await client.putObject({ key: 'tagged.txt', body: 'payload', tagging: { project: 'demo', 'a b': 'c&d' } });
    expect((await client.headObject({ key: 'tagged.txt' })).taggingCount).toBe(2);
    expect((await client.getObjectTagging({ key: 'tagged.txt' })).tags).toEqual({ project: 'demo', 'a b': 'c&d' });
    await client.putObjectTagging({ key: 'tagged.txt', tags: { only: '1' } });
    expect((await client.getObjectTagging({ key: 'tagged.txt' })).tags).toEqual({ only: '1' });
    const got = await client.getObject({ key: 'tagged.txt' });
    expect(got.taggingCount).toBe(1);
    expect(await got.text()).toBe('payload');
    await client.deleteObjectTagging({ key: 'tagged.txt' });
    expect((await client.getObjectTagging({ key: 'tagged.txt' })).tags).toEqual({});
    const head = await client.headObject({ key: 'tagged.txt' });
    expect(head.taggingCount).toBeUndefined();
    expect(await (await client.getObject({ key: 'tagged.txt' })).text()).toBe('payload');
  });

  it('copies follow the tagging directive; multipart uploads carry tags', async () => {
    await client.putObject({ key: 'src-tags.txt', body: 's', tagging: { from: 'source' } });
    await client.copyObject({ key: 'copy-keep.txt', sourceKey: 'src-tags.txt' });
    expect((await client.getObjectTagging({ key: 'copy-keep.txt' })).tags).toEqual({ from: 'source' });
    await client.copyObject({ key: 'copy-new.txt', sourceKey: 'src-tags.txt', tagging: { fresh: 'yes' } });
    expect((await client.getObjectTagging({ key: 'copy-new.txt' })).tags).toEqual({ fresh: 'yes' });
    const { uploadId } = await client.initiateMultipartUpload({ key: 'mp-tags.bin', tagging: { mp: '1' } });
    const part = await client.uploadPart({ key: 'mp-tags.bin', uploadId, partNumber: 1, body: 'abc' });
    await client.completeMultipartUpload({ key: 'mp-tags.bin', uploadId, parts: [{ partNumber: 1, etag: part.etag }] });
    expect((await client.getObjectTagging({ key: 'mp-tags.bin' })).tags).toEqual({ mp: '1' });
  });

  it('the emulator refuses what OSS refuses (sent raw, past the client checks)', async () => {
    await client.putObject({ key: 'limits.txt', body: 'x' });
    const tags = Array.from({ length: 11 }, (_, i) => `<Tag><Key>k${i}</Key><Value>v</Value></Tag>`).join('');
    const res = await send(emu, { method: 'PUT', bucket: BUCKET, key: 'limits.txt', query: { tagging: '' }, body: `<Tagging><TagSet>${tags}</TagSet></Tagging>` });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidTag</Code>');
    const oneTag = '<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>';
    const digest = await send(emu, { method: 'PUT', bucket: BUCKET, key: 'limits.txt', query: { tagging: '' }, body: oneTag, headers: { 'content-md5': md5Base64('other') } });
    expect(digest.status).toBe(400);
    expect(digest.text).toContain('<Code>InvalidDigest</Code>');
    expect((await client.getObjectTagging({ key: 'limits.txt' })).tags).toEqual({});
    const header = await send(emu, { method: 'PUT', bucket: BUCKET, key: 'limits2.txt', headers: { 'x-oss-tagging': 'a=%zz' }, body: 'x' });
    expect(header.status).toBe(400);
    expect((await send(emu, { method: 'HEAD', bucket: BUCKET, key: 'limits2.txt' })).status).toBe(404);
  });
});

describe('symlinks', () => {
  it('a link reads its target; GetSymlink names it; the link is typed Symlink', async () => {
    await client.putObject({ key: 'dir/target 中.txt', body: 'target body', contentType: 'text/plain' });
    await client.putSymlink({ key: 'link.txt', target: 'dir/target 中.txt', metadata: { who: 'link' } });
    const link = await client.getSymlink({ key: 'link.txt' });
    expect(link.target).toBe('dir/target 中.txt');
    expect(link.metadata).toEqual({ who: 'link' });
    const got = await client.getObject({ key: 'link.txt' });
    expect(await got.text()).toBe('target body');
    expect(got.objectType).toBe('Symlink');
    const head = await client.headObject({ key: 'link.txt' });
    expect(head).toMatchObject({ objectType: 'Symlink', contentLength: 11, contentType: 'text/plain' });
  });

  it('GetSymlink of a plain object is NotSymlink; a dangling link is SymlinkTargetNotExist; deleting a link keeps the target', async () => {
    await client.putObject({ key: 'plain.txt', body: 'p' });
    expect(await failure(client.getSymlink({ key: 'plain.txt' }))).toMatchObject({ code: 'NotSymlink', status: 400 });
    await client.putSymlink({ key: 'dangling.txt', target: 'nowhere.txt' });
    expect(await failure(client.getObject({ key: 'dangling.txt' }))).toMatchObject({ code: 'SymlinkTargetNotExist', status: 404 });
    await client.putSymlink({ key: 'to-plain.txt', target: 'plain.txt' });
    await client.deleteObject({ key: 'to-plain.txt' });
    expect(await (await client.getObject({ key: 'plain.txt' })).text()).toBe('p');
  });
});

describe('appendObject', () => {
  it('appends at the returned positions; the whole-object CRC-64 is chained and checked', async () => {
    const first = await client.appendObject({ key: 'log.txt', position: 0, body: 'line 1\n', contentType: 'text/plain' });
    expect(first.nextAppendPosition).toBe(7);
    expect(first.crc64).toBe(crc64(new TextEncoder().encode('line 1\n')));
    const second = await client.appendObject({ key: 'log.txt', position: first.nextAppendPosition, body: 'line 2\n', initCrc64: first.crc64 });
    expect(second.nextAppendPosition).toBe(14);
    expect(second.crc64).toBe(crc64(new TextEncoder().encode('line 1\nline 2\n')));
    const got = await client.getObject({ key: 'log.txt' });
    expect(await got.text()).toBe('line 1\nline 2\n');
    expect(got).toMatchObject({ objectType: 'Appendable', contentType: 'text/plain' });
  });

  it('a wrong initCrc64 is a CrcMismatch; without one past position 0 nothing is checked', async () => {
    const first = await client.appendObject({ key: 'crc.txt', position: 0, body: 'abc' });
    expect(await failure(client.appendObject({ key: 'crc.txt', position: 3, body: 'def', initCrc64: '12345' }))).toMatchObject({ code: 'CrcMismatch' });
    // The bytes did land (the check runs on the answer): the next position is 6.
    const third = await client.appendObject({ key: 'crc.txt', position: 6, body: 'g' });
    expect(third.nextAppendPosition).toBe(7);
    expect(first.nextAppendPosition).toBe(3);
  });

  it('PositionNotEqualToLength carries the right position; a plain object is ObjectNotAppendable', async () => {
    await client.appendObject({ key: 'pos.txt', position: 0, body: '12345' });
    const wrong = await failure(client.appendObject({ key: 'pos.txt', position: 2, body: 'x' }));
    expect(wrong).toMatchObject({ code: 'PositionNotEqualToLength', status: 409 });
    const raw = await send(emu, { method: 'POST', bucket: BUCKET, key: 'pos.txt', query: { append: '', position: '9' }, body: 'x' });
    expect(raw.headers['x-oss-next-append-position']).toBe('5');
    await client.putObject({ key: 'normal.txt', body: 'n' });
    expect(await failure(client.appendObject({ key: 'normal.txt', position: 1, body: 'x' }))).toMatchObject({ code: 'ObjectNotAppendable', status: 409 });
    expect(await (await client.getObject({ key: 'normal.txt' })).text()).toBe('n');
  });
});

describe('restoreObject', () => {
  /** Lets the emulator's restore delay pass (its clock moves; signatures stay within the allowed skew). */
  function restoreDelayPasses(): void {
    clockOffsetMs += RESTORE_DELAY_MS + 1000;
  }

  it('Archive: 403 before, 202 then 409 while restoring, readable once restored, then 200', async () => {
    await client.putObject({ key: 'cold.bin', body: 'frozen', headers: { 'x-oss-storage-class': 'Archive' } });
    expect(await failure(client.getObject({ key: 'cold.bin' }))).toMatchObject({ code: 'InvalidObjectState', status: 403 });
    expect(await failure(client.copyObject({ key: 'cold-copy.bin', sourceKey: 'cold.bin' }))).toMatchObject({ code: 'InvalidObjectState' });
    const { uploadId } = await client.initiateMultipartUpload({ key: 'cold-parts.bin' });
    const partCopy = { key: 'cold-parts.bin', uploadId, partNumber: 1, source: { key: 'cold.bin' } };
    expect(await failure(client.uploadPartCopy(partCopy))).toMatchObject({ code: 'InvalidObjectState', status: 403 });
    const head = await client.headObject({ key: 'cold.bin' });
    expect(head.storageClass).toBe('Archive');
    expect(head.restore).toBeUndefined();
    expect((await client.restoreObject({ key: 'cold.bin' })).status).toBe(202);
    expect((await client.headObject({ key: 'cold.bin' })).restore).toEqual({ ongoing: true });
    expect(await failure(client.restoreObject({ key: 'cold.bin' }))).toMatchObject({ code: 'RestoreAlreadyInProgress', status: 409 });
    expect(await failure(client.getObject({ key: 'cold.bin' }))).toMatchObject({ code: 'InvalidObjectState' });
    restoreDelayPasses();
    const restored = await client.headObject({ key: 'cold.bin' });
    expect(restored.restore!.ongoing).toBe(false);
    expect(restored.restore!.expiryDate!.getTime()).toBeGreaterThan(Date.now() + clockOffsetMs);
    expect(await (await client.getObject({ key: 'cold.bin' })).text()).toBe('frozen');
    expect((await client.uploadPartCopy(partCopy)).etag).toMatch(/^"[0-9A-F]{32}"$/);
    await client.abortMultipartUpload({ key: 'cold-parts.bin', uploadId });
    expect((await client.restoreObject({ key: 'cold.bin', days: 3 })).status).toBe(200);
  });

  it('ColdArchive with a tier; a Standard object cannot be restored', async () => {
    await client.putObject({ key: 'colder.bin', body: 'x', headers: { 'x-oss-storage-class': 'ColdArchive' } });
    expect((await client.restoreObject({ key: 'colder.bin', days: 2, tier: 'Expedited' })).status).toBe(202);
    await client.putObject({ key: 'warm.bin', body: 'x' });
    expect(await failure(client.restoreObject({ key: 'warm.bin' }))).toMatchObject({ status: 400 });
  });
});

describe('getObject with x-oss-process and the object facts', () => {
  it('image processing is answered 501 NotImplemented, and the emulator carries on', async () => {
    await client.putObject({ key: 'pic.jpg', body: 'not really a jpeg' });
    expect(await failure(client.getObject({ key: 'pic.jpg', process: 'image/resize,w_100' }))).toMatchObject({ code: 'NotImplemented', status: 501 });
    expect(await (await client.getObject({ key: 'pic.jpg' })).text()).toBe('not really a jpeg');
  });

  it('HeadObject reports Content-MD5, SSE, storage class and object type', async () => {
    await client.putObject({
      key: 'facts.txt',
      body: '0123456789',
      headers: { 'x-oss-server-side-encryption': 'AES256', 'x-oss-storage-class': 'IA', 'cache-control': 'no-cache' },
    });
    const head = await client.headObject({ key: 'facts.txt' });
    expect(head).toMatchObject({
      contentMd5: 'eB5eJF1ptWaXm4bijSPyxw==',
      serverSideEncryption: 'AES256',
      storageClass: 'IA',
      objectType: 'Normal',
      cacheControl: 'no-cache',
    });
  });
});

describe('deleteMultipleObjects with `%` in keys', () => {
  const KEYS = ['a%2Fb', '100%', '%zz', 'a b+c&<d>.txt', '%E4%B8%AD'];
  const DECOYS = ['a/b', '100', 'a b c&<d>.txt', '中'];

  it('deletes exactly the named keys, never a decoded look-alike, and answers them decoded', async () => {
    for (const key of [...KEYS, ...DECOYS]) await client.putObject({ key, body: key });
    const out = await client.deleteMultipleObjects({ keys: KEYS });
    expect(out.deleted.map((d) => d.key).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) expect(await failure(client.headObject({ key }))).toMatchObject({ status: 404 });
    for (const key of DECOYS) expect(await (await client.getObject({ key })).text()).toBe(key);
  });

  it('raw requests: a `%` key never gives a 500, with or without encoding-type=url', async () => {
    for (const query of [{ delete: '' }, { delete: '', 'encoding-type': 'url' }] as Record<string, string>[]) {
      await client.putObject({ key: '%zz', body: 'x' });
      const body = '<Delete><Quiet>false</Quiet><Object><Key>%zz</Key></Object><Object><Key>%</Key></Object></Delete>';
      const res = await send(emu, { method: 'POST', bucket: BUCKET, query, body, headers: { 'content-md5': md5Base64(body) } });
      expect(res.status).toBe(200);
      const keys = [...res.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
      expect(keys).toEqual(query['encoding-type'] ? ['%25zz', '%25'] : ['%zz', '%']);
      expect(await failure(client.headObject({ key: '%zz' }))).toMatchObject({ status: 404 });
    }
  });

  it('naming a version no object has deletes nothing', async () => {
    await client.putObject({ key: 'versioned.txt', body: 'keep' });
    const out = await client.deleteMultipleObjects({ keys: [{ key: 'versioned.txt', versionId: 'CAEQ' }] });
    expect(out.deleted).toEqual([{ key: 'versioned.txt', versionId: 'CAEQ' }]);
    expect(await (await client.getObject({ key: 'versioned.txt' })).text()).toBe('keep');
  });
});

describe('extra object state survives a restart with dataDir', () => {
  it('a symlink, tags, an appendable object and a restore are still there', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'osskit-objects-'));
    const open = async () => {
      const e = await startEmulator({ dataDir: dir, restoreDelayMs: 0, credentials: [emu.credentials] });
      return { e, c: new OssClient({ endpoint: e.endpoint, region: e.region, credentials: e.credentials, bucket: 'persist' }) };
    };
    try {
      const first = await open();
      await first.c.putBucket({});
      await first.c.putObject({ key: 't.txt', body: 'target', tagging: { a: '1' } });
      await first.c.putSymlink({ key: 'l.txt', target: 't.txt' });
      await first.c.appendObject({ key: 'ap.txt', position: 0, body: 'abc' });
      await first.c.putObject({ key: 'cold.bin', body: 'c', headers: { 'x-oss-storage-class': 'Archive' } });
      await first.c.restoreObject({ key: 'cold.bin' });
      await first.c.close();
      await first.e.close();

      const second = await open();
      expect((await second.c.getSymlink({ key: 'l.txt' })).target).toBe('t.txt');
      expect((await second.c.getObjectTagging({ key: 't.txt' })).tags).toEqual({ a: '1' });
      expect((await second.c.appendObject({ key: 'ap.txt', position: 3, body: 'd' })).nextAppendPosition).toBe(4);
      expect(await (await second.c.getObject({ key: 'cold.bin' })).text()).toBe('c');
      await second.c.close();
      await second.e.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
