/**
 * The requests and answers of object versioning, against the OSS API reference's examples where it
 * gives them: ListObjectVersions (`GET /?versions`), DeleteObject with `versionId`, CopyObject from
 * a source version, versioned DeleteMultipleObjects, PutBucketVersioning's two states, and the
 * version headers every write, read and sub-resource answer carries.
 */
import { describe, expect, it } from 'vitest';
import { bucketVersioning } from '../../../src/commands/bucket/subresources.js';
import { copyObject } from '../../../src/commands/object/copy-object.js';
import { deleteMultipleObjects } from '../../../src/commands/object/delete-multiple-objects.js';
import { deleteObject } from '../../../src/commands/object/delete-object.js';
import { getObjectAcl } from '../../../src/commands/object/get-object-acl.js';
import { getObjectTagging } from '../../../src/commands/object/get-object-tagging.js';
import { listObjectVersions, nextListObjectVersions } from '../../../src/commands/object/list-object-versions.js';
import { putObjectAcl } from '../../../src/commands/object/put-object-acl.js';
import { putObjectTagging } from '../../../src/commands/object/put-object-tagging.js';
import { deleteObjectTagging } from '../../../src/commands/object/delete-object-tagging.js';
import { completeMultipartUpload } from '../../../src/commands/multipart/complete-multipart-upload.js';
import { codeOf, response } from '../fixtures.js';

/** Version ids as the reference's examples spell them. */
const V1 = 'CAEQNRiBgICv8uaA0BYiIDliZDc3MTc1NjE5MjRkMDI4ZGU4MTZkYjY1ZDgy';
const V2 = 'CAEQNRiBgIDyz.6C0BYiIGVhZDg2NjRmMjdkNzQzNjdhNzkwZjYxMDRiYzNm';

describe('listObjectVersions request', () => {
  it('GET /?versions with the markers, prefix, delimiter, max-keys and encoding-type=url', () => {
    const request = listObjectVersions.serialize({ bucket: 'oss-example', prefix: 'demo/', delimiter: '/', keyMarker: 'demo/a b', versionIdMarker: V1, maxKeys: 20 });
    expect(request).toEqual({
      method: 'GET',
      bucket: 'oss-example',
      query: { versions: '', 'key-marker': 'demo/a b', 'version-id-marker': V1, prefix: 'demo/', delimiter: '/', 'max-keys': '20', 'encoding-type': 'url' },
      headers: {},
    });
    expect(listObjectVersions.serialize({ bucket: 'oss-example' }).query).toEqual({ versions: '', 'encoding-type': 'url' });
  });

  it('refuses a version-id-marker without a key-marker and max-keys outside 1–1000, before sending', () => {
    expect(codeOf(() => listObjectVersions.serialize({ bucket: 'b-1', versionIdMarker: V1 }))).toBe('InvalidArgument');
    expect(codeOf(() => listObjectVersions.serialize({ bucket: 'b-1', maxKeys: 0 }))).toBe('InvalidArgument');
    expect(codeOf(() => listObjectVersions.serialize({ bucket: 'b-1', maxKeys: 1001 }))).toBe('InvalidArgument');
  });
});

/** A ListVersionsResult shaped as the reference documents it: url-encoded names, markers and versions interleaved, RestoreInfo, a null version. */
const SAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<ListVersionsResult>
  <Name>oss-example</Name>
  <Prefix>demo%2F</Prefix>
  <KeyMarker></KeyMarker>
  <VersionIdMarker></VersionIdMarker>
  <MaxKeys>20</MaxKeys>
  <Delimiter>%2F</Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <NextKeyMarker>demo%2Fb%2Bc.txt</NextKeyMarker>
  <NextVersionIdMarker>null</NextVersionIdMarker>
  <DeleteMarker>
    <Key>demo%2Fa%20b.txt</Key>
    <VersionId>${V2}</VersionId>
    <IsLatest>true</IsLatest>
    <LastModified>2019-04-09T07:27:28.000Z</LastModified>
    <Owner><ID>1234512528586****</ID><DisplayName>12345125285864390</DisplayName></Owner>
  </DeleteMarker>
  <Version>
    <Key>demo%2Fa%20b.txt</Key>
    <VersionId>${V1}</VersionId>
    <IsLatest>false</IsLatest>
    <LastModified>2019-04-09T07:27:28.000Z</LastModified>
    <ETag>"250F8A0AE989679A22926A875F0A2****"</ETag>
    <Type>Normal</Type>
    <Size>93731</Size>
    <StorageClass>Archive</StorageClass>
    <Owner><ID>1234512528586****</ID><DisplayName>12345125285864390</DisplayName></Owner>
    <RestoreInfo>ongoing-request="false", expiry-date="Thu, 24 Sep 2020 12:40:33 GMT"</RestoreInfo>
  </Version>
  <Version>
    <Key>demo%2Fb%2Bc.txt</Key>
    <VersionId>null</VersionId>
    <IsLatest>true</IsLatest>
    <LastModified>2019-04-09T07:27:28.000Z</LastModified>
    <ETag>"5B3C1A2E053D763E1B002CC607C5****-2"</ETag>
    <Type>Multipart</Type>
    <Size>20</Size>
    <StorageClass>Standard</StorageClass>
    <Owner><ID>1234512528586****</ID><DisplayName>12345125285864390</DisplayName></Owner>
  </Version>
  <CommonPrefixes><Prefix>demo%2Fsub%2F</Prefix></CommonPrefixes>
</ListVersionsResult>`;

describe('listObjectVersions answer', () => {
  it('reads versions, delete markers (in document order), prefixes and markers, url-decoded', async () => {
    const out = await listObjectVersions.deserialize(response(200, {}, SAMPLE), { bucket: 'oss-example' });
    const owner = { id: '1234512528586****', displayName: '12345125285864390' };
    const marker = { deleteMarker: true, key: 'demo/a b.txt', versionId: V2, isLatest: true, lastModified: new Date('2019-04-09T07:27:28.000Z'), owner };
    const archived = {
      deleteMarker: false,
      key: 'demo/a b.txt',
      versionId: V1,
      isLatest: false,
      lastModified: new Date('2019-04-09T07:27:28.000Z'),
      etag: '"250F8A0AE989679A22926A875F0A2****"',
      type: 'Normal',
      size: 93731,
      storageClass: 'Archive',
      owner,
      restoreInfo: 'ongoing-request="false", expiry-date="Thu, 24 Sep 2020 12:40:33 GMT"',
    };
    expect(out.entries).toEqual([marker, archived, expect.objectContaining({ key: 'demo/b+c.txt', versionId: 'null', isLatest: true, size: 20, type: 'Multipart' })]);
    expect(out.versions.map((v) => v.key)).toEqual(['demo/a b.txt', 'demo/b+c.txt']);
    expect(out.deleteMarkers).toEqual([marker]);
    expect(out).toMatchObject({
      requestId: 'RID',
      name: 'oss-example',
      prefix: 'demo/',
      delimiter: '/',
      maxKeys: 20,
      isTruncated: true,
      nextKeyMarker: 'demo/b+c.txt',
      nextVersionIdMarker: 'null',
      commonPrefixes: ['demo/sub/'],
    });
    expect(out).not.toHaveProperty('keyMarker');
  });

  it('is strict: another root element, HTML or a truncated body is a NetworkError, never an empty page', async () => {
    for (const body of ['<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>', '<html><body>proxy</body></html>', SAMPLE.slice(0, 300), '']) {
      const error = await listObjectVersions.deserialize(response(200, {}, body), { bucket: 'b-1' }).then(
        () => undefined,
        (e: { code?: string }) => e.code,
      );
      expect(error, body.slice(0, 40)).toBe('NetworkError');
    }
  });

  it('the paginator follows both markers and stops when they do not move', () => {
    const page = { requestId: '', entries: [], versions: [], deleteMarkers: [], commonPrefixes: [], isTruncated: true, nextKeyMarker: 'k', nextVersionIdMarker: V1 };
    expect(nextListObjectVersions(page, { prefix: 'p' })).toEqual({ prefix: 'p', keyMarker: 'k', versionIdMarker: V1 });
    expect(nextListObjectVersions(page, { keyMarker: 'k', versionIdMarker: V1 })).toBeUndefined();
    expect(nextListObjectVersions({ ...page, isTruncated: false }, {})).toBeUndefined();
    // A page that ended on a common prefix names no version.
    expect(nextListObjectVersions({ ...page, nextKeyMarker: 'dir/', nextVersionIdMarker: undefined }, { keyMarker: 'k', versionIdMarker: V1 })).toEqual({
      keyMarker: 'dir/',
      versionIdMarker: undefined,
    });
  });
});

describe('versioned deletes', () => {
  it('DeleteObject: DELETE /example?versionId=… as in the reference; reads the marker headers', async () => {
    expect(deleteObject.serialize({ bucket: 'oss-example', key: 'example', versionId: V2 })).toEqual({
      method: 'DELETE',
      bucket: 'oss-example',
      key: 'example',
      query: { versionId: V2 },
      headers: {},
    });
    const marker = await deleteObject.deserialize(response(204, { 'x-oss-delete-marker': 'true', 'x-oss-version-id': V1 }), { key: 'example' });
    expect(marker).toEqual({ requestId: 'RID', deleteMarker: true, versionId: V1 });
    expect(await deleteObject.deserialize(response(204, {}), { key: 'example' })).toEqual({ requestId: 'RID' });
  });

  it('DeleteMultipleObjects: <VersionId> per object, DeleteMarker and DeleteMarkerVersionId read back, an empty versionId refused', async () => {
    const request = deleteMultipleObjects.serialize({ bucket: 'oss-example', keys: [{ key: 'multipart.data', versionId: V1 }, 'test.jpg'] });
    const xml = new TextDecoder().decode(request.body as Uint8Array);
    expect(xml).toContain(`<Object><Key>multipart.data</Key><VersionId>${V1}</VersionId></Object><Object><Key>test.jpg</Key></Object>`);
    expect(codeOf(() => deleteMultipleObjects.serialize({ bucket: 'oss-example', keys: [{ key: 'a', versionId: '' }] }))).toBe('InvalidArgument');
    const answer = `<DeleteResult>
      <Deleted><Key>multipart.data</Key><VersionId>${V1}</VersionId></Deleted>
      <Deleted><Key>test.jpg</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${V2}</DeleteMarkerVersionId></Deleted>
    </DeleteResult>`;
    const out = await deleteMultipleObjects.deserialize(response(200, {}, answer), { bucket: 'oss-example', keys: ['x'] });
    expect(out.deleted).toEqual([
      { key: 'multipart.data', versionId: V1 },
      { key: 'test.jpg', deleteMarker: true, deleteMarkerVersionId: V2 },
    ]);
  });
});

describe('version headers', () => {
  it('CopyObject names the source version in x-oss-copy-source and reads both version headers', async () => {
    const request = copyObject.serialize({ bucket: 'oss-example', key: 'destobject.png', sourceBucket: 'src-example', sourceKey: 'srcobject.png', sourceVersionId: V1 });
    expect(request.headers['x-oss-copy-source']).toBe(`/src-example/srcobject.png?versionId=${V1}`);
    const body = '<CopyObjectResult><ETag>"F2064A169EE92E9775EE5324D0B1****"</ETag><LastModified>2019-04-09T03:45:32.000Z</LastModified></CopyObjectResult>';
    const out = await copyObject.deserialize(response(200, { 'x-oss-version-id': V2, 'x-oss-copy-source-version-id': V1 }, body), { key: 'k', sourceKey: 's' });
    expect([out.versionId, out.copySourceVersionId]).toEqual([V2, V1]);
  });

  it('tagging, ACL and CompleteMultipartUpload answers carry the version acted on', async () => {
    const headers = { 'x-oss-version-id': V1 };
    expect(putObjectTagging.serialize({ bucket: 'b-1', key: 'k', versionId: V1, tags: { a: '1' } }).query).toEqual({ tagging: '', versionId: V1 });
    expect(putObjectAcl.serialize({ bucket: 'b-1', key: 'k', versionId: V1, acl: 'private' }).query).toEqual({ acl: '', versionId: V1 });
    expect(await putObjectTagging.deserialize(response(200, headers), { key: 'k', tags: {} })).toEqual({ requestId: 'RID', versionId: V1 });
    expect(await deleteObjectTagging.deserialize(response(204, headers), { key: 'k' })).toEqual({ requestId: 'RID', versionId: V1 });
    expect(await putObjectAcl.deserialize(response(200, headers), { key: 'k', acl: 'private' })).toEqual({ requestId: 'RID', versionId: V1 });
    const tagging = await getObjectTagging.deserialize(response(200, headers, '<Tagging><TagSet/></Tagging>'), { key: 'k' });
    expect(tagging).toEqual({ requestId: 'RID', versionId: V1, tags: {} });
    const acl = await getObjectAcl.deserialize(
      response(200, headers, '<AccessControlPolicy><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner><AccessControlList><Grant>private</Grant></AccessControlList></AccessControlPolicy>'),
      { key: 'k' },
    );
    expect(acl.versionId).toBe(V1);
    const complete = await completeMultipartUpload.deserialize(
      response(200, { ...headers, etag: '"E-1"' }, '<CompleteMultipartUploadResult><ETag>"E-1"</ETag><Key>k</Key></CompleteMultipartUploadResult>'),
      { key: 'k', uploadId: 'u', parts: [] },
    );
    expect(complete.versionId).toBe(V1);
  });
});

describe('PutBucketVersioning', () => {
  it('sends Enabled or Suspended; refuses anything else before sending', () => {
    const body = (status: string) => new TextDecoder().decode(bucketVersioning.put.serialize({ bucket: 'oss-example', status } as never).body as Uint8Array);
    expect(body('Enabled')).toContain('<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>');
    expect(body('Suspended')).toContain('<Status>Suspended</Status>');
    for (const status of ['Disabled', 'Stop', 'enabled', '', undefined]) {
      expect(codeOf(() => bucketVersioning.put.serialize({ bucket: 'oss-example', status } as never)), String(status)).toBe('InvalidArgument');
    }
  });
});
