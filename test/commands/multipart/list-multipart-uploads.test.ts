import { describe, expect, it } from 'vitest';
import { listMultipartUploads } from '../../../src/commands/multipart/list-multipart-uploads.js';
import { codeOf, response } from '../fixtures.js';

describe('listMultipartUploads', () => {
  it('serializes filters and markers at the bucket level', () => {
    const request = listMultipartUploads.serialize({
      bucket: 'b',
      prefix: 'p/',
      delimiter: '/',
      keyMarker: 'k',
      uploadIdMarker: 'u',
      maxUploads: 5,
    });
    expect(request).toMatchObject({ method: 'GET', bucket: 'b' });
    expect(request.key).toBeUndefined();
    expect(request.query).toEqual({
      uploads: '',
      prefix: 'p/',
      delimiter: '/',
      'key-marker': 'k',
      'upload-id-marker': 'u',
      'max-uploads': '5',
      'encoding-type': 'url',
    });
    expect(codeOf(() => listMultipartUploads.serialize({ bucket: 'b', maxUploads: 0 }))).toBe('InvalidArgument');
  });

  it('decodes keys, prefixes and markers', async () => {
    const xml = `<ListMultipartUploadsResult><Bucket>b</Bucket><EncodingType>url</EncodingType><KeyMarker></KeyMarker>
      <NextKeyMarker>a%2Fz+1</NextKeyMarker><NextUploadIdMarker>U2</NextUploadIdMarker><IsTruncated>true</IsTruncated>
      <Upload><Key>a%2Fb+c</Key><UploadId>U1</UploadId><StorageClass>Standard</StorageClass><Initiated>2024-01-01T00:00:00.000Z</Initiated></Upload>
      <Upload><Key>a%2Fz+1</Key><UploadId>U2</UploadId><Initiated>2024-01-02T00:00:00.000Z</Initiated></Upload>
      <CommonPrefixes><Prefix>d%C3%A9j%C3%A0%2F</Prefix></CommonPrefixes>
    </ListMultipartUploadsResult>`;
    const out = await listMultipartUploads.deserialize(response(200, {}, xml), { bucket: 'b' });
    expect(out).toEqual({
      bucket: 'b',
      uploads: [
        { key: 'a/b c', uploadId: 'U1', initiated: new Date('2024-01-01T00:00:00.000Z'), storageClass: 'Standard' },
        { key: 'a/z 1', uploadId: 'U2', initiated: new Date('2024-01-02T00:00:00.000Z') },
      ],
      commonPrefixes: ['déjà/'],
      isTruncated: true,
      nextKeyMarker: 'a/z 1',
      nextUploadIdMarker: 'U2',
      requestId: 'RID',
    });
  });
});
