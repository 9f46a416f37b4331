/**
 * Object operations (src/emulator/handlers/object*.ts, delete-multiple.ts): stored headers,
 * Content-MD5, overwrite protection, error codes, copy and batch delete.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createBucket, md5Base64, putObject, send, xmlText, xmlTexts } from './helpers.js';

let emu: Emulator;
const B = 'objects';

beforeAll(async () => {
  emu = await startEmulator();
  await createBucket(emu, B);
});
afterAll(async () => {
  await emu.close();
});

describe('PutObject / GetObject / HeadObject', () => {
  test('stores content headers, metadata and answers ETag, CRC-64 and Content-MD5', async () => {
    const body = 'hello world';
    const put = await putObject(emu, B, 'doc.txt', body, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-cache',
      'content-disposition': 'attachment; filename="doc.txt"',
      'content-encoding': 'identity',
      expires: 'Wed, 21 Oct 2037 07:28:00 GMT',
      'x-oss-meta-author': 'Ann',
      'x-oss-storage-class': 'IA',
      'x-oss-server-side-encryption': 'AES256',
      'content-md5': md5Base64(body),
    });
    expect(put.status).toBe(200);
    expect(put.headers['etag']).toBe('"5EB63BBBE01EEED093CB22BB8F5ACDC3"');
    expect(put.headers['x-oss-hash-crc64ecma']).toBe(crc64(new TextEncoder().encode(body)));

    for (const method of ['GET', 'HEAD']) {
      const res = await send(emu, { method, bucket: B, key: 'doc.txt' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['content-length']).toBe(String(body.length));
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-disposition']).toBe('attachment; filename="doc.txt"');
      expect(res.headers['content-encoding']).toBe('identity');
      expect(res.headers['expires']).toBe('Wed, 21 Oct 2037 07:28:00 GMT');
      expect(res.headers['x-oss-meta-author']).toBe('Ann');
      expect(res.headers['x-oss-storage-class']).toBe('IA');
      expect(res.headers['x-oss-server-side-encryption']).toBe('AES256');
      expect(res.headers['x-oss-object-type']).toBe('Normal');
      expect(res.headers['etag']).toBe(put.headers['etag']);
      expect(res.headers['x-oss-hash-crc64ecma']).toBe(put.headers['x-oss-hash-crc64ecma']);
      expect(new Date(res.headers['last-modified']!).getTime()).not.toBeNaN();
      expect(res.headers['server']).toBe('AliyunOSS');
      expect(res.headers['date']).toBeTruthy();
      expect(res.text).toBe(method === 'GET' ? body : '');
    }
  });

  test('default content type is application/octet-stream; empty bodies work', async () => {
    await putObject(emu, B, 'empty', '');
    const res = await send(emu, { bucket: B, key: 'empty' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['x-oss-hash-crc64ecma']).toBe('0');
  });

  test('Content-MD5 that is malformed or does not match: 400 InvalidDigest, nothing stored', async () => {
    for (const md5 of ['not-base64', md5Base64('other body')]) {
      const res = await putObject(emu, B, 'md5.txt', 'body', { 'content-md5': md5 });
      expect(res.status).toBe(400);
      expect(xmlText(res.text, 'Code')).toBe('InvalidDigest');
    }
    expect((await send(emu, { bucket: B, key: 'md5.txt' })).status).toBe(404);
  });

  test('x-oss-forbid-overwrite: 409 FileAlreadyExists only when the key exists', async () => {
    expect((await putObject(emu, B, 'once.txt', 'v1', { 'x-oss-forbid-overwrite': 'true' })).status).toBe(200);
    const again = await putObject(emu, B, 'once.txt', 'v2', { 'x-oss-forbid-overwrite': 'true' });
    expect(again.status).toBe(409);
    expect(xmlText(again.text, 'Code')).toBe('FileAlreadyExists');
    expect((await send(emu, { bucket: B, key: 'once.txt' })).text).toBe('v1');
    expect((await putObject(emu, B, 'once.txt', 'v3', { 'x-oss-forbid-overwrite': 'false' })).status).toBe(200);
  });

  test('NoSuchKey (GET with Key element), HEAD 404 without a body, NoSuchBucket', async () => {
    const get = await send(emu, { bucket: B, key: 'missing/key.txt' });
    expect(get.status).toBe(404);
    expect(xmlText(get.text, 'Code')).toBe('NoSuchKey');
    expect(xmlText(get.text, 'Key')).toBe('missing/key.txt');
    expect(xmlText(get.text, 'EC')).toBe('0026-00000001');

    const head = await send(emu, { method: 'HEAD', bucket: B, key: 'missing/key.txt' });
    expect(head.status).toBe(404);
    expect(head.body.length).toBe(0);
    expect(head.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(Buffer.from(head.headers['x-oss-err']!, 'base64').toString()).toContain('<Code>NoSuchKey</Code>');

    const noBucket = await send(emu, { bucket: 'no-such-bucket', key: 'k' });
    expect(noBucket.status).toBe(404);
    expect(xmlText(noBucket.text, 'Code')).toBe('NoSuchBucket');
    expect(xmlText(noBucket.text, 'BucketName')).toBe('no-such-bucket');
  });

  test('a key over 1023 bytes: 400 InvalidObjectName; 1023 bytes is fine', async () => {
    const long = await putObject(emu, B, 'é'.repeat(512), 'x');
    expect(long.status).toBe(400);
    expect(xmlText(long.text, 'Code')).toBe('InvalidObjectName');
    expect((await putObject(emu, B, `${'é'.repeat(511)}a`, 'x')).status).toBe(200);
    const slash = await send(emu, { method: 'PUT', rawPath: `/${B}//lead`, body: 'x', sign: 'none' });
    expect(slash.status).toBe(400);
    expect(xmlText(slash.text, 'Code')).toBe('InvalidObjectName');
  });

  test('invalid ACL and storage class: 400 InvalidArgument', async () => {
    expect(xmlText((await putObject(emu, B, 'a', 'x', { 'x-oss-object-acl': 'open' })).text, 'Code')).toBe('InvalidArgument');
    expect(xmlText((await putObject(emu, B, 'a', 'x', { 'x-oss-storage-class': 'Cold' })).text, 'Code')).toBe('InvalidArgument');
  });

  test('GetObjectMeta answers size, ETag and Last-Modified without user metadata', async () => {
    await putObject(emu, B, 'meta.txt', '12345', { 'x-oss-meta-a': 'b' });
    const res = await send(emu, { method: 'HEAD', bucket: B, key: 'meta.txt', query: { objectMeta: '' }, sign: 'v1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe('5');
    expect(res.headers['etag']).toMatch(/^"[0-9A-F]{32}"$/);
    expect(res.headers['x-oss-meta-a']).toBeUndefined();
  });

  test('object ACL round trip', async () => {
    await putObject(emu, B, 'acl.txt', 'x');
    const get = await send(emu, { bucket: B, key: 'acl.txt', query: { acl: '' } });
    expect(xmlText(get.text, 'Grant')).toBe('default');
    await send(emu, { method: 'PUT', bucket: B, key: 'acl.txt', query: { acl: '' }, headers: { 'x-oss-object-acl': 'public-read' } });
    expect(xmlText((await send(emu, { bucket: B, key: 'acl.txt', query: { acl: '' } })).text, 'Grant')).toBe('public-read');
  });
});

describe('DeleteObject / DeleteMultipleObjects', () => {
  test('DeleteObject is 204 whether or not the key existed', async () => {
    await putObject(emu, B, 'gone.txt', 'x');
    expect((await send(emu, { method: 'DELETE', bucket: B, key: 'gone.txt' })).status).toBe(204);
    expect((await send(emu, { method: 'DELETE', bucket: B, key: 'gone.txt' })).status).toBe(204);
    expect((await send(emu, { bucket: B, key: 'gone.txt' })).status).toBe(404);
  });

  const deleteXml = (keys: string[], quiet: boolean) =>
    `<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>${quiet}</Quiet>${keys
      .map((k) => `<Object><Key>${k.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Key></Object>`)
      .join('')}</Delete>`;

  test('deletes listed keys (missing ones count as deleted) and lists them unless Quiet', async () => {
    await putObject(emu, B, 'm/1', 'x');
    await putObject(emu, B, 'm/2 & <3>', 'x');
    const body = deleteXml(['m/1', 'm/2 & <3>', 'm/never'], false);
    const res = await send(emu, { method: 'POST', bucket: B, query: { delete: '' }, body, headers: { 'content-md5': md5Base64(body) } });
    expect(res.status).toBe(200);
    expect(xmlTexts(res.text, 'Key')).toEqual(['m/1', 'm/2 &amp; &lt;3&gt;', 'm/never']);
    expect((await send(emu, { bucket: B, key: 'm/1' })).status).toBe(404);
    expect((await send(emu, { bucket: B, key: 'm/2 & <3>' })).status).toBe(404);

    await putObject(emu, B, 'm/q', 'x');
    const quietBody = deleteXml(['m/q'], true);
    const quiet = await send(emu, { method: 'POST', bucket: B, query: { delete: '' }, body: quietBody, headers: { 'content-md5': md5Base64(quietBody) } });
    expect(quiet.status).toBe(200);
    expect(xmlTexts(quiet.text, 'Key')).toEqual([]);
    expect((await send(emu, { bucket: B, key: 'm/q' })).status).toBe(404);
  });

  test('without Content-MD5: 400 MissingArgument; wrong MD5: InvalidDigest; bad XML: MalformedXML', async () => {
    const body = deleteXml(['x'], false);
    const missing = await send(emu, { method: 'POST', bucket: B, query: { delete: '' }, body });
    expect(missing.status).toBe(400);
    expect(xmlText(missing.text, 'Code')).toBe('MissingArgument');
    const wrong = await send(emu, { method: 'POST', bucket: B, query: { delete: '' }, body, headers: { 'content-md5': md5Base64('nope') } });
    expect(xmlText(wrong.text, 'Code')).toBe('InvalidDigest');
    const bad = '<Delete><Object>';
    const malformed = await send(emu, { method: 'POST', bucket: B, query: { delete: '' }, body: bad, headers: { 'content-md5': md5Base64(bad) } });
    expect(malformed.status).toBe(400);
    expect(xmlText(malformed.text, 'Code')).toBe('MalformedXML');
  });
});

describe('CopyObject', () => {
  const source = (key: string, bucket = B) => `/${bucket}/${encodeURIComponent(key)}`;

  test('COPY keeps the source metadata; the result XML has ETag and LastModified', async () => {
    await putObject(emu, B, 'src/a+b 中.txt', 'copy me', { 'content-type': 'text/plain', 'x-oss-meta-k': 'v' });
    const res = await send(emu, { method: 'PUT', bucket: B, key: 'dst/copy.txt', headers: { 'x-oss-copy-source': source('src/a+b 中.txt') } });
    expect(res.status).toBe(200);
    const md5Hex = createHash('md5').update('copy me').digest('hex').toUpperCase();
    expect(xmlText(res.text, 'ETag')).toBe(`"${md5Hex}"`);
    expect(res.headers['x-oss-hash-crc64ecma']).toBe(crc64(new TextEncoder().encode('copy me')));
    expect(xmlText(res.text, 'LastModified')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const got = await send(emu, { bucket: B, key: 'dst/copy.txt' });
    expect(got.text).toBe('copy me');
    expect(got.headers['content-type']).toBe('text/plain');
    expect(got.headers['x-oss-meta-k']).toBe('v');
    expect(got.headers['etag']).toBe(xmlText(res.text, 'ETag'));
  });

  test('REPLACE takes metadata from the request; across buckets', async () => {
    await createBucket(emu, 'copy-target');
    await putObject(emu, B, 'src/r.txt', 'replace me', { 'content-type': 'text/plain', 'x-oss-meta-old': '1' });
    const res = await send(emu, {
      method: 'PUT',
      bucket: 'copy-target',
      key: 'r.txt',
      headers: {
        'x-oss-copy-source': source('src/r.txt'),
        'x-oss-metadata-directive': 'REPLACE',
        'content-type': 'application/json',
        'x-oss-meta-new': '2',
      },
    });
    expect(res.status).toBe(200);
    const got = await send(emu, { bucket: 'copy-target', key: 'r.txt' });
    expect(got.text).toBe('replace me');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-oss-meta-new']).toBe('2');
    expect(got.headers['x-oss-meta-old']).toBeUndefined();
  });

  test('the four copy-source conditions: 412 for if-match/if-unmodified-since, 304 for the others', async () => {
    const put = await putObject(emu, B, 'src/cond.txt', 'cond');
    const etag = put.headers['etag']!;
    const past = 'Mon, 01 Jan 2001 00:00:00 GMT';
    const future = 'Fri, 01 Jan 2100 00:00:00 GMT';
    const copy = (headers: Record<string, string>) =>
      send(emu, { method: 'PUT', bucket: B, key: 'dst/cond.txt', headers: { 'x-oss-copy-source': source('src/cond.txt'), ...headers } });
    expect((await copy({ 'x-oss-copy-source-if-match': etag })).status).toBe(200);
    const mismatch = await copy({ 'x-oss-copy-source-if-match': '"0000"' });
    expect(mismatch.status).toBe(412);
    expect(xmlText(mismatch.text, 'Code')).toBe('PreconditionFailed');
    expect((await copy({ 'x-oss-copy-source-if-none-match': etag })).status).toBe(304);
    expect((await copy({ 'x-oss-copy-source-if-none-match': '"0000"' })).status).toBe(200);
    expect((await copy({ 'x-oss-copy-source-if-unmodified-since': past })).status).toBe(412);
    expect((await copy({ 'x-oss-copy-source-if-unmodified-since': future })).status).toBe(200);
    expect((await copy({ 'x-oss-copy-source-if-modified-since': future })).status).toBe(304);
    expect((await copy({ 'x-oss-copy-source-if-modified-since': past })).status).toBe(200);
  });

  test('missing source: NoSuchKey / NoSuchBucket; bad directive or source: InvalidArgument', async () => {
    const noKey = await send(emu, { method: 'PUT', bucket: B, key: 'd', headers: { 'x-oss-copy-source': source('nope') } });
    expect(noKey.status).toBe(404);
    expect(xmlText(noKey.text, 'Code')).toBe('NoSuchKey');
    const noBucket = await send(emu, { method: 'PUT', bucket: B, key: 'd', headers: { 'x-oss-copy-source': source('k', 'nobucket') } });
    expect(xmlText(noBucket.text, 'Code')).toBe('NoSuchBucket');
    await putObject(emu, B, 'src/x', 'x');
    const directive = await send(emu, {
      method: 'PUT',
      bucket: B,
      key: 'd',
      headers: { 'x-oss-copy-source': source('src/x'), 'x-oss-metadata-directive': 'MOVE' },
    });
    expect(directive.status).toBe(400);
    const badSource = await send(emu, { method: 'PUT', bucket: B, key: 'd', headers: { 'x-oss-copy-source': 'nobucketnokey' } });
    expect(xmlText(badSource.text, 'Code')).toBe('InvalidArgument');
  });
});
