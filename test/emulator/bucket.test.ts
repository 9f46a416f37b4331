/**
 * Service and bucket operations (handlers/service.ts, bucket.ts, bucket-configs.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createBucket, putObject, send, xmlText, xmlTexts } from './helpers.js';

let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

describe('PutBucket / DeleteBucket / ListBuckets', () => {
  test('creates with a storage class and ACL, refuses a second create, lists and pages', async () => {
    const config = '<?xml version="1.0" encoding="UTF-8"?><CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>';
    const res = await send(emu, { method: 'PUT', bucket: 'lb-a', body: config, headers: { 'x-oss-acl': 'public-read' } });
    expect(res.status).toBe(200);
    expect(res.headers['location']).toBe('/lb-a');
    const again = await send(emu, { method: 'PUT', bucket: 'lb-a' });
    expect(again.status).toBe(409);
    expect(xmlText(again.text, 'Code')).toBe('BucketAlreadyExists');
    await createBucket(emu, 'lb-b');
    await createBucket(emu, 'lb-c');

    const info = await send(emu, { bucket: 'lb-a', query: { bucketInfo: '' } });
    expect(xmlText(info.text, 'StorageClass')).toBe('IA');
    expect(xmlText(info.text, 'Grant')).toBe('public-read');
    expect(xmlText(info.text, 'Location')).toBe('oss-cn-hangzhou');
    const location = await send(emu, { bucket: 'lb-a', query: { location: '' } });
    expect(xmlText(location.text, 'LocationConstraint')).toBe('oss-cn-hangzhou');

    const all = await send(emu, {});
    expect(all.status).toBe(200);
    expect(all.text).toContain('<ListAllMyBucketsResult>');
    expect(xmlTexts(all.text, 'Name')).toEqual(['lb-a', 'lb-b', 'lb-c']);
    expect(xmlText(all.text, 'ID')).toBeTruthy();

    const page = await send(emu, { query: { prefix: 'lb-', 'max-keys': '2' } });
    expect(xmlTexts(page.text, 'Name')).toEqual(['lb-a', 'lb-b']);
    expect(xmlText(page.text, 'IsTruncated')).toBe('true');
    expect(xmlText(page.text, 'NextMarker')).toBe('lb-b');
    const next = await send(emu, { query: { prefix: 'lb-', marker: 'lb-b', 'max-keys': '2' } });
    expect(xmlTexts(next.text, 'Name')).toEqual(['lb-c']);
    expect(xmlText(next.text, 'IsTruncated')).toBe('false');
  });

  test.each(['ab', 'a'.repeat(64), 'Upper', '-lead', 'trail-', 'under_score', 'dot.name'])(
    'invalid bucket name %s: 400 InvalidBucketName',
    async (name) => {
      const res = await send(emu, { method: 'PUT', bucket: name });
      expect(res.status).toBe(400);
      expect(xmlText(res.text, 'Code')).toBe('InvalidBucketName');
    },
  );

  test('invalid ACL, storage class or XML', async () => {
    expect(xmlText((await send(emu, { method: 'PUT', bucket: 'bad-acl', headers: { 'x-oss-acl': 'world' } })).text, 'Code')).toBe('InvalidArgument');
    const badClass = '<CreateBucketConfiguration><StorageClass>Hot</StorageClass></CreateBucketConfiguration>';
    expect((await send(emu, { method: 'PUT', bucket: 'bad-class', body: badClass })).status).toBe(400);
    const res = await send(emu, { method: 'PUT', bucket: 'bad-xml', body: '<Create' });
    expect(xmlText(res.text, 'Code')).toBe('MalformedXML');
    expect((await send(emu, { bucket: 'bad-xml', query: { bucketInfo: '' } })).status).toBe(404);
  });

  test('DeleteBucket: NoSuchBucket, BucketNotEmpty with objects or uploads, then 204', async () => {
    const missing = await send(emu, { method: 'DELETE', bucket: 'never-made' });
    expect(missing.status).toBe(404);
    expect(xmlText(missing.text, 'Code')).toBe('NoSuchBucket');

    await createBucket(emu, 'del-me');
    await putObject(emu, 'del-me', 'k', 'v');
    const full = await send(emu, { method: 'DELETE', bucket: 'del-me' });
    expect(full.status).toBe(409);
    expect(xmlText(full.text, 'Code')).toBe('BucketNotEmpty');
    await send(emu, { method: 'DELETE', bucket: 'del-me', key: 'k' });

    emu.storage.createUpload('del-me', {
      uploadId: 'u1',
      key: 'big',
      initiated: new Date(),
      contentType: 'application/octet-stream',
      metadata: {},
      headers: {},
      parts: new Map(),
    });
    expect((await send(emu, { method: 'DELETE', bucket: 'del-me' })).status).toBe(409);
    emu.storage.deleteUpload('del-me', 'u1');
    expect((await send(emu, { method: 'DELETE', bucket: 'del-me' })).status).toBe(204);
    expect((await send(emu, { bucket: 'del-me', query: { bucketInfo: '' } })).status).toBe(404);
  });

  test('bucket ACL round trip', async () => {
    await createBucket(emu, 'acl-bucket');
    expect(xmlText((await send(emu, { bucket: 'acl-bucket', query: { acl: '' } })).text, 'Grant')).toBe('private');
    await send(emu, { method: 'PUT', bucket: 'acl-bucket', query: { acl: '' }, headers: { 'x-oss-acl': 'public-read-write' } });
    expect(xmlText((await send(emu, { bucket: 'acl-bucket', query: { acl: '' } })).text, 'Grant')).toBe('public-read-write');
  });
});

describe('sub-resource configurations', () => {
  beforeAll(async () => {
    await createBucket(emu, 'configs');
  });

  test.each([
    ['cors', 'NoSuchCORSConfiguration', '<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>'],
    ['lifecycle', 'NoSuchLifecycle', '<LifecycleConfiguration><Rule><ID>r</ID><Prefix>tmp/</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>'],
    ['website', 'NoSuchWebsiteConfiguration', '<WebsiteConfiguration><IndexDocument><Suffix>index.html</Suffix></IndexDocument></WebsiteConfiguration>'],
    ['encryption', 'NoSuchServerSideEncryptionRule', '<ServerSideEncryptionRule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></ServerSideEncryptionRule>'],
    ['policy', 'NoSuchBucketPolicy', '{"Version":"1","Statement":[]}'],
  ])('?%s: absent → 404 %s; put, get back, delete', async (sub, absentCode, doc) => {
    const absent = await send(emu, { bucket: 'configs', query: { [sub]: '' } });
    expect(absent.status).toBe(404);
    expect(xmlText(absent.text, 'Code')).toBe(absentCode);
    expect((await send(emu, { method: 'PUT', bucket: 'configs', query: { [sub]: '' }, body: doc })).status).toBe(200);
    const got = await send(emu, { bucket: 'configs', query: { [sub]: '' } });
    expect(got.status).toBe(200);
    expect(got.text).toBe(doc);
    expect((await send(emu, { method: 'DELETE', bucket: 'configs', query: { [sub]: '' } })).status).toBe(204);
    expect((await send(emu, { bucket: 'configs', query: { [sub]: '' } })).status).toBe(404);
  });

  test('defaults for referer, tagging, logging, versioning', async () => {
    expect(xmlText((await send(emu, { bucket: 'configs', query: { referer: '' } })).text, 'AllowEmptyReferer')).toBe('true');
    expect((await send(emu, { bucket: 'configs', query: { tagging: '' } })).text).toContain('<TagSet/>');
    expect((await send(emu, { bucket: 'configs', query: { logging: '' } })).text).toContain('<BucketLoggingStatus/>');
    expect((await send(emu, { bucket: 'configs', query: { versioning: '' } })).status).toBe(200);
  });

  test('a document with the wrong root or broken XML: 400 MalformedXML', async () => {
    for (const body of ['<Wrong/>', '<CORSConfiguration>']) {
      const res = await send(emu, { method: 'PUT', bucket: 'configs', query: { cors: '' }, body });
      expect(res.status).toBe(400);
      expect(xmlText(res.text, 'Code')).toBe('MalformedXML');
    }
    expect((await send(emu, { method: 'PUT', bucket: 'configs', query: { policy: '' }, body: '{oops' })).status).toBe(400);
  });

  test('configs on a missing bucket: NoSuchBucket', async () => {
    const res = await send(emu, { bucket: 'no-such-bkt', query: { cors: '' } });
    expect(xmlText(res.text, 'Code')).toBe('NoSuchBucket');
  });
});

test('an operation OSS does not have: 405 MethodNotAllowed', async () => {
  const res = await send(emu, { method: 'PATCH', bucket: 'configs', key: 'k' });
  expect(res.status).toBe(405);
  expect(xmlText(res.text, 'Code')).toBe('MethodNotAllowed');
});
