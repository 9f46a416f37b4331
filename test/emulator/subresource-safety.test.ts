/**
 * The emulator's safety rule: a request naming a sub-resource it does not implement is refused with
 * an OSS XML error and changes nothing. Every name any official SDK signs as a sub-resource (plus
 * the `x-oss-` query parameters they use) is sent with every verb to an object and to its bucket;
 * afterwards listing, contents, object headers, bucket configurations and uploads must be as before,
 * unless the answer is a success of the operation OSS defines for that request (listed below,
 * written out here rather than read from the router).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { makeObject } from '../../src/emulator/handlers/common.js';
import { V1_SUB_RESOURCES } from '../../src/signer/subresources.js';
import { send } from './helpers.js';

/** `x-oss-` query parameters named in the SDK allow-lists (any `x-oss-` key is signed too). */
const X_OSS_PARAMETERS = [
  'x-oss-process',
  'x-oss-async-process',
  'x-oss-traffic-limit',
  'x-oss-request-payer',
  'x-oss-ac-source-ip',
  'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id',
  'x-oss-ac-forward-allow',
  'x-oss-write-get-object-response',
  'x-oss-enable-md5',
  'x-oss-enable-sha1',
  'x-oss-enable-sha256',
  'x-oss-hash-ctx',
  'x-oss-md5-ctx',
  'x-oss-dir',
  'x-oss-rename',
  'x-oss-delete',
  'x-oss-access-point-name',
  'x-oss-target-redundancy-type',
  'x-oss-redundancy-transition-taskid',
  'x-oss-something-new',
];

/** Parameters that do not select an operation: the plain operation of the verb answers. */
const NEUTRAL = new Set([
  'security-token',
  'callback',
  'callback-var',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'x-oss-traffic-limit',
  'x-oss-request-payer',
  'x-oss-ac-source-ip',
  'x-oss-ac-subnet-mask',
  'x-oss-ac-vpc-id',
  'x-oss-ac-forward-allow',
]);

const PLAIN: Record<string, string> = {
  'GET object': 'GetObject',
  'HEAD object': 'HeadObject',
  'PUT object': 'PutObject',
  'DELETE object': 'DeleteObject',
  'GET bucket': 'ListObjects',
  'PUT bucket': 'PutBucket',
  'DELETE bucket': 'DeleteBucket',
  'HEAD bucket': 'HeadBucket',
};

const CONFIGS: [string, string, boolean][] = [
  ['cors', 'Cors', true],
  ['referer', 'Referer', false],
  ['tagging', 'Tags', true],
  ['lifecycle', 'Lifecycle', true],
  ['website', 'Website', true],
  ['logging', 'Logging', true],
  ['encryption', 'Encryption', true],
  ['policy', 'Policy', true],
  ['versioning', 'Versioning', false],
  ['requestPayment', 'RequestPayment', false],
  ['transferAcceleration', 'TransferAcceleration', false],
];

/** `<VERB> <level> <query keys>` → the OSS operation that may legitimately succeed. */
const LEGITIMATE: Record<string, string> = {
  'GET bucket acl': 'GetBucketAcl',
  'PUT bucket acl': 'PutBucketAcl',
  'GET bucket location': 'GetBucketLocation',
  'GET bucket bucketInfo': 'GetBucketInfo',
  'GET bucket uploads': 'ListMultipartUploads',
  'GET bucket versions': 'ListObjectVersions',
  // A version id no version has: 404 NoSuchVersion for reads, a 204 that removes nothing for DELETE.
  'GET object versionId': 'GetObject',
  'HEAD object versionId': 'HeadObject',
  'DELETE object versionId': 'DeleteObject',
  'POST bucket delete': 'DeleteMultipleObjects',
  ...Object.fromEntries(
    CONFIGS.flatMap(([sub, name, deletable]) => [
      [`PUT bucket ${sub}`, `PutBucket${name}`],
      [`GET bucket ${sub}`, `GetBucket${name}`],
      ...(deletable ? [[`DELETE bucket ${sub}`, `DeleteBucket${name}`]] : []),
    ]),
  ),
  'GET object acl': 'GetObjectAcl',
  'PUT object acl': 'PutObjectAcl',
  'GET object objectMeta': 'GetObjectMeta',
  'HEAD object objectMeta': 'GetObjectMeta',
  'POST object uploads': 'InitiateMultipartUpload',
  'PUT object uploadId partNumber': 'UploadPart',
  'POST object uploadId': 'CompleteMultipartUpload',
  'DELETE object uploadId': 'AbortMultipartUpload',
  'GET object uploadId': 'ListParts',
  'GET object tagging': 'GetObjectTagging',
  'PUT object tagging': 'PutObjectTagging',
  'DELETE object tagging': 'DeleteObjectTagging',
  'GET object symlink': 'GetSymlink',
  'PUT object symlink': 'PutSymlink',
  'POST object append': 'AppendObject',
  'POST object append position': 'AppendObject',
  'POST object restore': 'RestoreObject',
  'GET bucket stat': 'GetBucketStat',
  'GET bucket live': 'ListLiveChannel',
  'PUT object live': 'PutLiveChannel',
  'GET object live': 'GetLiveChannelInfo',
  'DELETE object live': 'DeleteLiveChannel',
  'GET object vod': 'GetVodPlaylist',
  'POST object vod': 'PostVodPlaylist',
};

const BUCKET = 'safety';
const KEY = 'obj.txt';
const VERBS = ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'] as const;
const TAGGING_XML = '<?xml version="1.0" encoding="UTF-8"?><Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>';

let emu: Emulator;
let uploadId = '';

/** Puts the bucket back to its known state straight through storage (fast, no HTTP). */
function seed(): void {
  const storage = emu.storage;
  storage.deleteBucket(BUCKET);
  storage.createBucket({ name: BUCKET, created: new Date(0), region: emu.region, storageClass: 'Standard', acl: 'private', configs: new Map() });
  storage.setBucketConfig(BUCKET, 'cors', '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>');
  const fields = { contentType: 'text/plain', metadata: { a: '1' }, headers: {} };
  storage.putObject(BUCKET, makeObject(KEY, new TextEncoder().encode('original contents'), fields, new Date(0)));
  storage.putObject(BUCKET, makeObject('other.txt', new TextEncoder().encode('other'), fields, new Date(0)));
  uploadId = 'SEEDEDUPLOAD';
  storage.createUpload(BUCKET, { uploadId, key: KEY, initiated: new Date(0), contentType: 'text/plain', metadata: {}, headers: {}, parts: new Map() });
}

/** Everything a request could change, as one comparable value. */
function snapshot(): string {
  const storage = emu.storage;
  const bucket = storage.getBucket(BUCKET);
  return JSON.stringify({
    bucket: bucket && { acl: bucket.acl, storageClass: bucket.storageClass, configs: [...bucket.configs.entries()] },
    objects: storage.listVersionKeys(BUCKET).flatMap((key) =>
      storage.getVersions(BUCKET, key).map((o) => ({ ...o, data: Buffer.from(o.data).toString('base64'), lastModified: o.lastModified.toISOString() })),
    ),
    uploads: storage.listUploads(BUCKET).map((u) => ({ ...u, parts: [...u.parts.keys()] })),
  });
}

function valueFor(name: string): string {
  if (name === 'partNumber') return '1';
  if (name === 'position') return '0';
  if (name === 'uploadId') return uploadId;
  if (name === 'versionId') return 'CAEQNhiBgMDJgZCA0BYiIDc4MGZjZGI2OTBjOTRmNTE5NmU5NmFkNjVkMTBiYzk3';
  return '';
}

beforeAll(async () => {
  emu = await startEmulator({ restoreDelayMs: 0 });
});
afterAll(async () => {
  await emu.close();
});

test('every signed sub-resource with every verb: an OSS error that changes nothing, or the operation OSS defines', async () => {
  const names = [...V1_SUB_RESOURCES, ...X_OSS_PARAMETERS];
  const combos: string[][] = [...names.map((n) => [n]), ['uploadId', 'partNumber'], ['append', 'position']];
  seed();
  let refused = 0;
  let legitimate = 0;
  for (const level of ['object', 'bucket'] as const) {
    for (const method of VERBS) {
      for (const combo of combos) {
        const before = snapshot();
        const counts = emu.stats.snapshot();
        const query = Object.fromEntries(combo.map((n) => [n, valueFor(n)]));
        const withBody = method === 'PUT' || method === 'POST';
        const res = await send(emu, {
          method,
          bucket: BUCKET,
          key: level === 'object' ? KEY : undefined,
          query,
          headers: withBody ? { 'content-type': 'application/xml' } : {},
          body: withBody ? TAGGING_XML : undefined,
        });
        const after = emu.stats.snapshot();
        const ran = Object.keys(after).find((op) => after[op] !== (counts[op] ?? 0));
        const label = `${method} ${level} ?${combo.join('&')} → ${res.status} ${ran}`;
        const neutral = combo.every((n) => NEUTRAL.has(n));
        const expected = neutral ? PLAIN[`${method} ${level}`] : LEGITIMATE[`${method} ${level} ${combo.join(' ')}`];
        if (res.status >= 200 && res.status < 300) {
          expect(ran, label).toBe(expected);
          legitimate++;
          seed();
          continue;
        }
        // An error answer: an OSS XML error document (in x-oss-err for HEAD), and nothing changed.
        const xml = method === 'HEAD' ? Buffer.from(res.headers['x-oss-err'] ?? '', 'base64').toString('utf8') : res.text;
        expect(xml, label).toMatch(/<Error>[\s\S]*<Code>\w+<\/Code>[\s\S]*<RequestId>/);
        expect(snapshot(), label).toBe(before);
        if (expected === undefined) {
          expect([405, 501], label).toContain(res.status);
          refused++;
        }
      }
    }
  }
  // The loop really covered both kinds of answer.
  expect(refused).toBeGreaterThan(1000);
  expect(legitimate).toBeGreaterThan(20);
});

test('the data-loss cases of old: PUT/DELETE ?tagging and PUT ?symlink never replace or delete the object', async () => {
  seed();
  const before = emu.storage.getObject(BUCKET, KEY)!;
  const put = await send(emu, { method: 'PUT', bucket: BUCKET, key: KEY, query: { tagging: '' }, body: TAGGING_XML });
  expect(put.status).toBe(200);
  const del = await send(emu, { method: 'DELETE', bucket: BUCKET, key: KEY, query: { tagging: '' } });
  expect(del.status).toBe(204);
  const after = emu.storage.getObject(BUCKET, KEY)!;
  expect(Buffer.from(after.data).toString()).toBe('original contents');
  expect(after.etag).toBe(before.etag);
  const stat = await send(emu, { bucket: BUCKET, query: { stat: '' } });
  expect(stat.text).not.toContain('ListBucketResult');
  const versions = await send(emu, { bucket: BUCKET, query: { versions: '' } });
  expect(versions.text).toContain('<ListVersionsResult>');
  // A write naming a version is refused, not applied to the object.
  const putVersion = await send(emu, { method: 'PUT', bucket: BUCKET, key: KEY, query: { versionId: 'null' }, body: 'overwritten' });
  expect(putVersion.status).toBe(405);
  expect(Buffer.from(emu.storage.getObject(BUCKET, KEY)!.data).toString()).toBe('original contents');
  const process = await send(emu, { bucket: BUCKET, key: KEY, query: { 'x-oss-process': 'image/resize,w_100' } });
  expect(process.status).toBe(501);
  const wrongVerb = await send(emu, { method: 'POST', bucket: BUCKET, key: KEY, query: { acl: '' } });
  expect(wrongVerb.status).toBe(405);
  expect(wrongVerb.text).toContain('<Code>MethodNotAllowed</Code>');
});
