import { describe, expect, it } from 'vitest';
import { copyObject } from '../../../src/commands/object/copy-object.js';
import { deleteMultipleObjects } from '../../../src/commands/object/delete-multiple-objects.js';
import { listObjects } from '../../../src/commands/object/list-objects.js';
import { listObjectsV2 } from '../../../src/commands/object/list-objects-v2.js';
import { md5, toBase64 } from '../../../src/integrity/hash.js';
import { response } from '../fixtures.js';

describe('deleteMultipleObjects', () => {
  it('sends keys XML-escaped and not url-encoded, with Content-MD5 (as the official v2 SDKs do)', () => {
    const request = deleteMultipleObjects.serialize({ bucket: 'bk1', keys: ['a b&<c>.txt', { key: '中+%', versionId: 'v1' }, 'a%2Fb'], quiet: true });
    const xml = new TextDecoder().decode(request.body as Uint8Array);
    // encoding-type=url asks OSS to encode the keys of its answer only.
    expect(request.query).toEqual({ delete: '', 'encoding-type': 'url' });
    expect(xml).toContain('<Quiet>true</Quiet>');
    expect(xml).toContain('<Object><Key>a b&amp;&lt;c&gt;.txt</Key></Object>');
    expect(xml).toContain('<Object><Key>中+%</Key><VersionId>v1</VersionId></Object>');
    expect(xml).toContain('<Object><Key>a%2Fb</Key></Object>');
    expect(request.headers['content-md5']).toBe(toBase64(md5(request.body as Uint8Array)));
  });

  it('refuses empty or oversized lists and bad keys', () => {
    expect(() => deleteMultipleObjects.serialize({ bucket: 'bk1', keys: ['bell\u0007'] })).toThrow(/control character/);
    expect(() => deleteMultipleObjects.serialize({ bucket: 'bk1', keys: [] })).toThrow(/1 to 1000/);
    expect(() => deleteMultipleObjects.serialize({ bucket: 'bk1', keys: Array(1001).fill('k') })).toThrow(/1 to 1000/);
    expect(() => deleteMultipleObjects.serialize({ bucket: 'bk1', keys: [''] })).toThrow(/non-empty/);
  });

  it('decodes the deleted keys', async () => {
    const xml = `<DeleteResult><EncodingType>url</EncodingType><Deleted><Key>a%20b</Key></Deleted><Deleted><Key>c%2Bd</Key><VersionId>v</VersionId><DeleteMarker>true</DeleteMarker></Deleted></DeleteResult>`;
    const out = await deleteMultipleObjects.deserialize(response(200, {}, xml), { bucket: 'bk1', keys: ['x'] });
    expect(out.deleted).toEqual([{ key: 'a b' }, { key: 'c+d', versionId: 'v', deleteMarker: true }]);
  });
});

describe('copyObject', () => {
  it('names the encoded source and maps the directive and source conditions', () => {
    const request = copyObject.serialize({
      bucket: 'dst',
      key: 'copy.txt',
      sourceBucket: 'src',
      sourceKey: 'dir/a b+c.txt',
      metadata: { x: '1' },
      ifMatch: '"E"',
    });
    expect(request.headers).toMatchObject({
      'x-oss-copy-source': '/src/dir/a%20b%2Bc.txt',
      'x-oss-metadata-directive': 'REPLACE',
      'x-oss-meta-x': '1',
      'x-oss-copy-source-if-match': '"E"',
    });
    expect(copyObject.serialize({ bucket: 'dst', key: 'k', sourceKey: 's' }).headers['x-oss-metadata-directive']).toBeUndefined();
    expect(() => copyObject.serialize({ bucket: 'dst', key: 'k', sourceKey: 's', sourceBucket: 'Bad!' })).toThrow(/bucket name/);
  });

  it('reads the result', async () => {
    const out = await copyObject.deserialize(
      response(200, {}, '<CopyObjectResult><ETag>"E"</ETag><LastModified>2024-01-01T00:00:00.000Z</LastModified></CopyObjectResult>'),
      { bucket: 'dst', key: 'k', sourceKey: 's' },
    );
    expect(out.etag).toBe('"E"');
    expect(out.lastModified?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
});

const listXml = (extra: string) => `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult><Name>bk1</Name><Prefix>dir%2F</Prefix><MaxKeys>2</MaxKeys><Delimiter>%2F</Delimiter><EncodingType>url</EncodingType>
<IsTruncated>true</IsTruncated>${extra}
<Contents><Key>dir%2Fa+b%2Bc.txt</Key><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"E1"</ETag><Type>Normal</Type><Size>10</Size><StorageClass>Standard</StorageClass></Contents>
<Contents><Key>dir%2F%E4%B8%AD</Key><LastModified>2024-01-02T00:00:00.000Z</LastModified><ETag>"E2"</ETag><Size>0</Size></Contents>
<CommonPrefixes><Prefix>dir%2Fsub%2F</Prefix></CommonPrefixes></ListBucketResult>`;

describe('listObjectsV2', () => {
  it('asks for list-type=2 and encoding-type=url', () => {
    const request = listObjectsV2.serialize({ bucket: 'bk1', prefix: 'dir/', delimiter: '/', maxKeys: 2, continuationToken: 'T', startAfter: 'a' });
    expect(request.query).toEqual({
      'list-type': '2',
      'continuation-token': 'T',
      'start-after': 'a',
      prefix: 'dir/',
      delimiter: '/',
      'max-keys': '2',
      'encoding-type': 'url',
    });
    expect(() => listObjectsV2.serialize({ bucket: 'bk1', maxKeys: 0 })).toThrow(/maxKeys/);
  });

  it('decodes keys, prefixes and reads the token', async () => {
    const out = await listObjectsV2.deserialize(
      response(200, {}, listXml('<KeyCount>3</KeyCount><NextContinuationToken>NEXT</NextContinuationToken>')),
      { bucket: 'bk1' },
    );
    expect(out.contents.map((c) => c.key)).toEqual(['dir/a b+c.txt', 'dir/中']);
    expect(out.contents[0]).toMatchObject({ size: 10, etag: '"E1"', storageClass: 'Standard', type: 'Normal' });
    expect(out.contents[1]!.lastModified.toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect(out).toMatchObject({ commonPrefixes: ['dir/sub/'], isTruncated: true, nextContinuationToken: 'NEXT', keyCount: 3, prefix: 'dir/', delimiter: '/' });
  });
});

describe('listObjects (v1)', () => {
  it('sends a marker and reads nextMarker (decoded), else the last key', async () => {
    expect(listObjects.serialize({ bucket: 'bk1', marker: 'm' }).query).toEqual({ marker: 'm', 'encoding-type': 'url' });
    const withNext = await listObjects.deserialize(response(200, {}, listXml('<NextMarker>dir%2Fz</NextMarker>')), { bucket: 'bk1' });
    expect(withNext.nextMarker).toBe('dir/z');
    const without = await listObjects.deserialize(response(200, {}, listXml('')), { bucket: 'bk1' });
    expect(without.nextMarker).toBe('dir/中');
  });
});
