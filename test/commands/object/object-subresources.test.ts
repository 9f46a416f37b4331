/**
 * The exact requests the object sub-resource commands build, compared with the OSS API reference's
 * examples (PutObjectAcl `PUT /test-object?acl` + `x-oss-object-acl: public-read`; PutObjectTagging
 * `<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag>…`; PutSymlink `PUT /link-to-oss.jpg?symlink`
 * + `x-oss-symlink-target: oss.jpg`; AppendObject `POST /oss.jpg?append&position=0`; RestoreObject
 * `POST /coldarchiveobject?restore` + `<RestoreRequest><Days>2</Days><JobParameters><Tier>Standard</Tier>…`),
 * and how their answers are read.
 */
import { describe, expect, it } from 'vitest';
import {
  appendObject,
  deleteObjectTagging,
  getObject,
  getObjectAcl,
  getObjectTagging,
  getSymlink,
  headObject,
  putObject,
  putObjectAcl,
  putObjectTagging,
  putSymlink,
  restoreObject,
} from '../../../src/commands/object/index.js';
import { copyObject } from '../../../src/commands/object/copy-object.js';
import { initiateMultipartUpload } from '../../../src/commands/multipart/initiate-multipart-upload.js';
import { md5, toBase64 } from '../../../src/integrity/hash.js';
import { codeOf, response } from '../fixtures.js';
import { send } from '../../../src/pipeline/send.js';
import { context, reply, scriptedTransport } from '../../pipeline/send-fixtures.js';

const bodyText = (body: unknown): string => new TextDecoder().decode(body as Uint8Array);

describe('object ACL', () => {
  it('PutObjectAcl: PUT /key?acl with x-oss-object-acl (reference example)', () => {
    const request = putObjectAcl.serialize({ bucket: 'oss-example', key: 'test-object', acl: 'public-read' });
    expect(request).toEqual({
      method: 'PUT',
      bucket: 'oss-example',
      key: 'test-object',
      query: { acl: '' },
      headers: { 'x-oss-object-acl': 'public-read' },
    });
    expect(putObjectAcl.serialize({ bucket: 'b', key: 'k', acl: 'default' }).headers['x-oss-object-acl']).toBe('default');
  });

  it('refuses an ACL OSS does not know, and a missing key', () => {
    expect(codeOf(() => putObjectAcl.serialize({ bucket: 'b', key: 'k', acl: 'public' as 'private' }))).toBe('InvalidArgument');
    expect(codeOf(() => getObjectAcl.serialize({ bucket: 'b', key: undefined as unknown as string }))).toBe('InvalidArgument');
  });

  it('GetObjectAcl reads the reference answer', async () => {
    const xml = `<?xml version="1.0" ?><AccessControlPolicy><Owner><ID>00220120222</ID><DisplayName>00220120222</DisplayName></Owner><AccessControlList><Grant>public-read</Grant></AccessControlList></AccessControlPolicy>`;
    expect(getObjectAcl.serialize({ bucket: 'b', key: 'k', versionId: 'v1' }).query).toEqual({ acl: '', versionId: 'v1' });
    const out = await getObjectAcl.deserialize(response(200, {}, xml), { bucket: 'b', key: 'k' });
    expect(out).toEqual({ requestId: 'RID', acl: 'public-read', owner: { id: '00220120222', displayName: '00220120222' } });
  });
});

describe('object tagging', () => {
  it('PutObjectTagging: the reference document, with Content-MD5', () => {
    const request = putObjectTagging.serialize({ bucket: 'b', key: 'objectname', tags: { a: '1', b: '2' } });
    expect(request.method).toBe('PUT');
    expect(request.query).toEqual({ tagging: '' });
    expect(bodyText(request.body)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></TagSet></Tagging>',
    );
    expect(request.headers['content-md5']).toBe(toBase64(md5(request.body as Uint8Array)));
  });

  it('escapes tag text in XML and in the x-oss-tagging header', () => {
    const request = putObjectTagging.serialize({ bucket: 'b', key: 'k', tags: { 'a&b': '<x>' } });
    expect(bodyText(request.body)).toContain('<Key>a&amp;b</Key><Value>&lt;x&gt;</Value>');
    const put = putObject.serialize({ bucket: 'b', key: 'k', body: 'x', tagging: { 'a b': 'c&d=e', k: '' } });
    expect(put.headers['x-oss-tagging']).toBe('a%20b=c%26d%3De&k=');
    expect(initiateMultipartUpload.serialize({ bucket: 'b', key: 'k', tagging: { x: 'y' } }).headers['x-oss-tagging']).toBe('x=y');
  });

  it('refuses more than 10 tags, a key over 128 or a value over 256 characters, on every path', () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    const ten = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']));
    expect(codeOf(() => putObjectTagging.serialize({ bucket: 'b', key: 'k', tags: eleven }))).toBe('InvalidArgument');
    expect(codeOf(() => putObjectTagging.serialize({ bucket: 'b', key: 'k', tags: ten }))).toBeUndefined();
    expect(codeOf(() => putObjectTagging.serialize({ bucket: 'b', key: 'k', tags: { ['k'.repeat(129)]: 'v' } }))).toBe('InvalidArgument');
    expect(codeOf(() => putObjectTagging.serialize({ bucket: 'b', key: 'k', tags: { ['k'.repeat(128)]: 'v'.repeat(256) } }))).toBeUndefined();
    expect(codeOf(() => putObjectTagging.serialize({ bucket: 'b', key: 'k', tags: { k: 'v'.repeat(257) } }))).toBe('InvalidArgument');
    expect(codeOf(() => putObjectTagging.serialize({ bucket: 'b', key: 'k', tags: { '': 'v' } }))).toBe('InvalidArgument');
    expect(codeOf(() => putObject.serialize({ bucket: 'b', key: 'k', body: '', tagging: eleven }))).toBe('InvalidArgument');
    expect(codeOf(() => copyObject.serialize({ bucket: 'bkt', key: 'k', sourceKey: 's', tagging: eleven }))).toBe('InvalidArgument');
  });

  it('copyObject: tags given replace the source tags; the directive can be set alone', () => {
    const replace = copyObject.serialize({ bucket: 'bkt', key: 'k', sourceKey: 's', tagging: { a: '1' } });
    expect(replace.headers).toMatchObject({ 'x-oss-tagging': 'a=1', 'x-oss-tagging-directive': 'Replace' });
    const plain = copyObject.serialize({ bucket: 'bkt', key: 'k', sourceKey: 's' });
    expect(plain.headers['x-oss-tagging-directive']).toBeUndefined();
    expect(copyObject.serialize({ bucket: 'bkt', key: 'k', sourceKey: 's', taggingDirective: 'Replace' }).headers['x-oss-tagging-directive']).toBe('Replace');
  });

  it('GetObjectTagging reads the reference answer; DeleteObjectTagging is DELETE ?tagging', async () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?><Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>2</Value></Tag></TagSet></Tagging>';
    const out = await getObjectTagging.deserialize(response(200, {}, xml), { bucket: 'b', key: 'k' });
    expect(out).toEqual({ requestId: 'RID', tags: { a: '1', b: '2' } });
    const empty = await getObjectTagging.deserialize(response(200, {}, '<Tagging><TagSet/></Tagging>'), { bucket: 'b', key: 'k' });
    expect(empty.tags).toEqual({});
    expect(deleteObjectTagging.serialize({ bucket: 'b', key: 'k' })).toEqual({ method: 'DELETE', bucket: 'b', key: 'k', query: { tagging: '' }, headers: {} });
  });
});

describe('symlinks', () => {
  it('PutSymlink: PUT /link?symlink with the target (reference example) and the link’s own headers', () => {
    const request = putSymlink.serialize({ bucket: 'oss-example', key: 'link-to-oss.jpg', target: 'oss.jpg', storageClass: 'Standard' });
    expect(request).toEqual({
      method: 'PUT',
      bucket: 'oss-example',
      key: 'link-to-oss.jpg',
      query: { symlink: '' },
      headers: { 'x-oss-symlink-target': 'oss.jpg', 'x-oss-storage-class': 'Standard' },
    });
    const awkward = putSymlink.serialize({ bucket: 'b', key: 'l', target: 'dir/a b+中.txt', acl: 'private', forbidOverwrite: true, metadata: { m: '1' } });
    expect(awkward.headers).toMatchObject({
      'x-oss-symlink-target': 'dir/a%20b%2B%E4%B8%AD.txt',
      'x-oss-object-acl': 'private',
      'x-oss-forbid-overwrite': 'true',
      'x-oss-meta-m': '1',
    });
    expect(codeOf(() => putSymlink.serialize({ bucket: 'b', key: 'l', target: '' }))).toBe('InvalidArgument');
  });

  it('GetSymlink decodes the target; an answer without one is a broken answer', async () => {
    const out = await getSymlink.deserialize(
      response(200, { 'x-oss-symlink-target': 'dir/a%20b%2B%E4%B8%AD.txt', etag: '"A797"', 'last-modified': 'Fri, 24 Feb 2012 06:07:48 GMT' }),
      { bucket: 'b', key: 'l' },
    );
    expect(out).toMatchObject({ target: 'dir/a b+中.txt', etag: '"A797"', lastModified: new Date('2012-02-24T06:07:48Z') });
    await expect(getSymlink.deserialize(response(200, {}), { bucket: 'b', key: 'l' })).rejects.toMatchObject({ code: 'NetworkError' });
  });
});

describe('appendObject', () => {
  it('POST /key?append&position=N with the body and creation headers', () => {
    const request = appendObject.serialize({ bucket: 'b', key: 'oss.jpg', position: 0, body: 'abc', contentType: 'image/jpeg', tagging: { a: '1' } });
    expect(request).toMatchObject({ method: 'POST', key: 'oss.jpg', query: { append: '', position: '0' }, body: 'abc' });
    expect(request.headers).toEqual({ 'content-type': 'image/jpeg', 'x-oss-tagging': 'a=1' });
  });

  it('refuses a bad position or initCrc64', () => {
    for (const position of [-1, 1.5, Number.NaN]) {
      expect(codeOf(() => appendObject.serialize({ bucket: 'b', key: 'k', position, body: 'x' }))).toBe('InvalidArgument');
    }
    expect(codeOf(() => appendObject.serialize({ bucket: 'b', key: 'k', position: 3, body: 'x', initCrc64: '-1' }))).toBe('InvalidArgument');
  });

  it('reads the next position and the whole-object CRC; a missing position is a broken answer', async () => {
    const out = await appendObject.deserialize(
      response(200, { 'x-oss-next-append-position': '1717', 'x-oss-hash-crc64ecma': '14741617095266562575', etag: '"0F7230CAA4BE94CCBDC99C5500000000"' }),
      { bucket: 'b', key: 'k', position: 0, body: '' },
    );
    expect(out).toEqual({ requestId: 'RID', nextAppendPosition: 1717, crc64: '14741617095266562575', etag: '"0F7230CAA4BE94CCBDC99C5500000000"' });
    await expect(appendObject.deserialize(response(200, {}), { bucket: 'b', key: 'k', position: 0, body: '' })).rejects.toMatchObject({ code: 'NetworkError' });
  });

  it('checks the CRC from 0 at position 0, from initCrc64 later, and not at all without it', () => {
    const seed = appendObject.options!.crcSeed!;
    expect(seed({ position: 0 })).toBe('0');
    expect(seed({ position: 10, initCrc64: '123' })).toBe('123');
    expect(seed({ position: 10 })).toBeUndefined();
  });
});

describe('restoreObject', () => {
  it('Archive: a bare POST ?restore; ColdArchive: the reference RestoreRequest', () => {
    expect(restoreObject.serialize({ bucket: 'b', key: 'oss.jpg' })).toEqual({ method: 'POST', bucket: 'b', key: 'oss.jpg', query: { restore: '' }, headers: {} });
    const request = restoreObject.serialize({ bucket: 'b', key: 'coldarchiveobject', days: 2, tier: 'Standard' });
    expect(bodyText(request.body)).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<RestoreRequest><Days>2</Days><JobParameters><Tier>Standard</Tier></JobParameters></RestoreRequest>');
    expect(request.headers['content-md5']).toBe(toBase64(md5(request.body as Uint8Array)));
    expect(codeOf(() => restoreObject.serialize({ bucket: 'b', key: 'k', days: 0 }))).toBe('InvalidArgument');
    expect(codeOf(() => restoreObject.serialize({ bucket: 'b', key: 'k', tier: 'Fast' as 'Bulk' }))).toBe('InvalidArgument');
  });

  it('reports 202 (started) and 200 (already restored)', async () => {
    expect((await restoreObject.deserialize(response(202, {}), { bucket: 'b', key: 'k' })).status).toBe(202);
    expect((await restoreObject.deserialize(response(200, {}), { bucket: 'b', key: 'k' })).status).toBe(200);
  });
});

describe('getObject / headObject outputs', () => {
  it('x-oss-process is a query parameter (a signed sub-resource)', () => {
    expect(getObject.serialize({ bucket: 'b', key: 'a.jpg', process: 'image/resize,w_100' }).query).toEqual({ 'x-oss-process': 'image/resize,w_100' });
    expect(codeOf(() => getObject.serialize({ bucket: 'b', key: 'a.jpg', process: '' }))).toBe('InvalidArgument');
  });

  it('a processed image is not checked against the stored object’s CRC-64; a plain read is', async () => {
    const transport = scriptedTransport(() => reply(200, { 'x-oss-hash-crc64ecma': '1', 'content-length': '3' }, 'img'));
    const processed = await send(context(transport), getObject, { bucket: 'bkt', key: 'a.jpg', process: 'image/resize,w_1' });
    expect(await processed.text()).toBe('img');
    expect(transport.calls[0]!.request.url).toContain('x-oss-process=image%2Fresize%2Cw_1');
    const plain = await send(context(transport), getObject, { bucket: 'bkt', key: 'a.jpg' });
    await expect(plain.text()).rejects.toMatchObject({ code: 'CrcMismatch' });
  });

  it('models every object header OSS sends', async () => {
    const out = await headObject.deserialize(
      response(200, {
        'content-length': '10',
        'content-type': 'text/plain',
        etag: '"E"',
        'last-modified': 'Fri, 24 Feb 2012 06:07:48 GMT',
        'content-md5': 'eB5eJF1ptWaXm4bijSPyxw==',
        'cache-control': 'no-cache',
        'content-disposition': 'attachment',
        'content-encoding': 'identity',
        'content-language': 'en',
        expires: 'Fri, 24 Feb 2030 06:07:48 GMT',
        'x-oss-server-side-encryption': 'KMS',
        'x-oss-server-side-encryption-key-id': 'key-1',
        'x-oss-server-side-data-encryption': 'SM4',
        'x-oss-tagging-count': '2',
        'x-oss-restore': 'ongoing-request="false", expiry-date="Sun, 16 Apr 2017 08:12:33 GMT"',
        'x-oss-object-type': 'Appendable',
        'x-oss-storage-class': 'Archive',
        'x-oss-expiration': 'expiry-date="Fri, 24 Feb 2030 00:00:00 GMT", rule-id="r1"',
        'x-oss-hash-crc64ecma': '123',
        'x-oss-version-id': 'v1',
      }),
      { bucket: 'b', key: 'k' },
    );
    expect(out).toMatchObject({
      contentMd5: 'eB5eJF1ptWaXm4bijSPyxw==',
      cacheControl: 'no-cache',
      contentDisposition: 'attachment',
      contentEncoding: 'identity',
      contentLanguage: 'en',
      expires: 'Fri, 24 Feb 2030 06:07:48 GMT',
      serverSideEncryption: 'KMS',
      serverSideEncryptionKeyId: 'key-1',
      serverSideDataEncryption: 'SM4',
      taggingCount: 2,
      restore: { ongoing: false, expiryDate: new Date('2017-04-16T08:12:33Z') },
      objectType: 'Appendable',
      storageClass: 'Archive',
      expiration: 'expiry-date="Fri, 24 Feb 2030 00:00:00 GMT", rule-id="r1"',
      crc64: '123',
      versionId: 'v1',
    });
    const ongoing = await headObject.deserialize(response(200, { 'x-oss-restore': 'ongoing-request="true"' }), { bucket: 'b', key: 'k' });
    expect(ongoing.restore).toEqual({ ongoing: true });
    expect(ongoing.taggingCount).toBeUndefined();
  });
});
