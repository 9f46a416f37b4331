/**
 * dataDir persistence (src/emulator/storage-disk.ts): buckets, configurations, objects and
 * multipart uploads survive a restart on the same directory; memory storage does not persist.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { readObjectBytes } from '../../src/emulator/storage-body.js';
import { DiskStorage } from '../../src/emulator/storage-disk.js';
import { createBucket, putObject, send, xmlText } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'osskit-emu-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const credentials = [{ accessKeyId: 'LTAIpersist', accessKeySecret: 'persist-secret' }];
const KEY = 'deep/dir/ключ with spaces+plus.bin';

test('objects, metadata, configs and uploads survive a restart with the same dataDir', async () => {
  const body = new Uint8Array(256 * 1024).map((_, i) => (i * 31) % 251);
  const first = await startEmulator({ dataDir: dir, credentials });
  await createBucket(first, 'persisted');
  const put = await putObject(first, 'persisted', KEY, body, { 'content-type': 'image/png', 'x-oss-meta-origin': 'first run' });
  await putObject(first, 'persisted', 'to-delete', 'x');
  await send(first, { method: 'DELETE', bucket: 'persisted', key: 'to-delete' });
  const cors = '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>';
  await send(first, { method: 'PUT', bucket: 'persisted', query: { cors: '' }, body: cors });
  first.storage.createUpload('persisted', {
    uploadId: 'upload/with:odd chars',
    key: 'mp.bin',
    initiated: new Date('2024-01-02T03:04:05Z'),
    contentType: 'text/plain',
    metadata: { a: 'b' },
    headers: {},
    parts: new Map(),
  });
  first.storage.putPart('persisted', 'upload/with:odd chars', {
    partNumber: 3,
    data: new Uint8Array([1, 2, 3]),
    etag: '"ABC"',
    crc64: '123',
    lastModified: new Date('2024-01-02T03:04:06Z'),
  });
  await first.close();

  const second = await startEmulator({ dataDir: dir, credentials });
  try {
    const got = await send(second, { bucket: 'persisted', key: KEY });
    expect(got.status).toBe(200);
    expect(new Uint8Array(got.body)).toEqual(body);
    expect(got.headers['etag']).toBe(put.headers['etag']);
    expect(got.headers['x-oss-hash-crc64ecma']).toBe(put.headers['x-oss-hash-crc64ecma']);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['x-oss-meta-origin']).toBe('first run');
    expect((await send(second, { bucket: 'persisted', key: 'to-delete' })).status).toBe(404);
    expect((await send(second, { bucket: 'persisted', query: { cors: '' } })).text).toBe(cors);
    const listed = await send(second, { bucket: 'persisted', query: { 'list-type': '2' } });
    expect(xmlText(listed.text, 'KeyCount')).toBe('1');

    const upload = second.storage.getUpload('persisted', 'upload/with:odd chars');
    expect(upload?.key).toBe('mp.bin');
    expect(upload?.initiated.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(upload?.parts.get(3)?.data).toEqual(new Uint8Array([1, 2, 3]));

    second.storage.deleteUpload('persisted', 'upload/with:odd chars');
    await send(second, { method: 'DELETE', bucket: 'persisted', key: KEY });
    expect((await send(second, { method: 'DELETE', bucket: 'persisted' })).status).toBe(204);
  } finally {
    await second.close();
  }
  // The deletions persisted too.
  const reread = new DiskStorage(dir);
  expect(reread.listBuckets()).toEqual([]);
});

test('without a dataDir nothing survives', async () => {
  const a = await startEmulator({ credentials });
  await createBucket(a, 'volatile');
  await a.close();
  const b = await startEmulator({ credentials });
  expect((await send(b, { bucket: 'volatile', query: { bucketInfo: '' } })).status).toBe(404);
  await b.close();
});

test('a data directory in the older two-file layout (<id>.json + <id>.bin) is converted at start', async () => {
  const { createHash } = await import('node:crypto');
  const { mkdirSync, writeFileSync, readdirSync } = await import('node:fs');
  const legacy = mkdtempSync(join(tmpdir(), 'osskit-legacy-'));
  try {
    const bucketDir = join(legacy, 'buckets', 'old');
    mkdirSync(join(bucketDir, 'objects'), { recursive: true });
    mkdirSync(join(bucketDir, 'uploads'), { recursive: true });
    writeFileSync(join(bucketDir, 'bucket.json'), JSON.stringify({ name: 'old', created: '2024-01-01T00:00:00.000Z', region: 'cn-hangzhou', storageClass: 'Standard', acl: 'private', configs: {} }));
    const id = createHash('sha256').update('a/key.txt').digest('hex');
    const fields = { key: 'a/key.txt', etag: '"5D41402ABC4B2A76B9719D911017C592"', crc64: '0', lastModified: '2024-01-02T00:00:00.000Z', contentType: 'text/plain', metadata: {}, headers: {} };
    writeFileSync(join(bucketDir, 'objects', `${id}.json`), JSON.stringify(fields));
    writeFileSync(join(bucketDir, 'objects', `${id}.bin`), 'hello');
    writeFileSync(join(bucketDir, 'objects', `${id}.bin.tmp`), 'torn');

    const storage = new DiskStorage(legacy);
    const object = storage.getObject('old', 'a/key.txt')!;
    expect(new TextDecoder().decode(object.data)).toBe('hello');
    expect(object.contentType).toBe('text/plain');
    expect(readdirSync(join(bucketDir, 'objects'))).toEqual([`${id}.obj`]);
    // And it reads back the same after another start.
    expect(new TextDecoder().decode(new DiskStorage(legacy).getObject('old', 'a/key.txt')!.data)).toBe('hello');
  } finally {
    rmSync(legacy, { recursive: true, force: true });
  }
});

test('fields a handler adds to an object are kept in memory and across a restart; { ...object } keeps the bytes', async () => {
  const extra = mkdtempSync(join(tmpdir(), 'osskit-extra-'));
  try {
    const storage = new DiskStorage(extra);
    storage.createBucket({ name: 'x', created: new Date(), region: 'cn-hangzhou', storageClass: 'Standard', acl: 'private', configs: new Map() });
    const object = { key: 'k', data: new TextEncoder().encode('bytes'), etag: '"E"', crc64: '1', lastModified: new Date(), contentType: 'text/plain', metadata: {}, headers: {}, symlinkTarget: 'target' };
    storage.putObject('x', object);
    const stored = storage.getObject('x', 'k')!;
    expect((stored as unknown as { symlinkTarget: string }).symlinkTarget).toBe('target');
    // A copy made by spreading carries the body (not `data`): readObjectBytes reads either kind.
    expect(new TextDecoder().decode(readObjectBytes({ ...stored }))).toBe('bytes');
    // A metadata change by spreading the record keeps the same bytes (without reading them first).
    storage.putObject('x', { ...stored, headers: { 'x-oss-object-acl': 'private' } });
    const reread = new DiskStorage(extra).getObject('x', 'k')!;
    expect((reread as unknown as { symlinkTarget: string }).symlinkTarget).toBe('target');
    expect(reread.headers).toEqual({ 'x-oss-object-acl': 'private' });
    expect(new TextDecoder().decode(reread.data)).toBe('bytes');
    // A new `data` replaces the bytes.
    storage.putObject('x', { ...reread, data: new TextEncoder().encode('new') });
    expect(new TextDecoder().decode(new DiskStorage(extra).getObject('x', 'k')!.data)).toBe('new');
  } finally {
    rmSync(extra, { recursive: true, force: true });
  }
});
