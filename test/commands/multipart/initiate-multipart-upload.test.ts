import { describe, expect, it } from 'vitest';
import { encodeTagging, initiateMultipartUpload } from '../../../src/commands/multipart/initiate-multipart-upload.js';
import { codeOf, response } from '../fixtures.js';

describe('initiateMultipartUpload', () => {
  it('serializes every header and asks for url-encoded keys', () => {
    const request = initiateMultipartUpload.serialize({
      bucket: 'b',
      key: 'a b/c.mp4',
      contentType: 'video/mp4',
      cacheControl: 'no-cache',
      contentDisposition: 'attachment',
      contentEncoding: 'gzip',
      expires: new Date(Date.UTC(2030, 0, 1)),
      metadata: { Author: 'me' },
      storageClass: 'IA',
      tagging: { a: '1', 'b c': 'x&y' },
      forbidOverwrite: true,
      serverSideEncryption: 'KMS',
      serverSideEncryptionKeyId: 'key-1',
      headers: { 'X-Custom': 'v' },
    });
    expect(request).toMatchObject({ method: 'POST', bucket: 'b', key: 'a b/c.mp4', query: { uploads: '', 'encoding-type': 'url' } });
    expect(request.headers).toEqual({
      'content-type': 'video/mp4',
      'cache-control': 'no-cache',
      'content-disposition': 'attachment',
      'content-encoding': 'gzip',
      expires: 'Tue, 01 Jan 2030 00:00:00 GMT',
      'x-oss-meta-author': 'me',
      'x-oss-storage-class': 'IA',
      'x-oss-tagging': 'a=1&b%20c=x%26y',
      'x-oss-forbid-overwrite': 'true',
      'x-oss-server-side-encryption': 'KMS',
      'x-oss-server-side-encryption-key-id': 'key-1',
      'x-custom': 'v',
    });
    expect(initiateMultipartUpload.options?.guessContentType).toBe(true);
    expect(encodeTagging('k=v')).toBe('k=v');
  });

  it('decodes the key and returns the upload id', async () => {
    const xml = `<?xml version="1.0"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>a+b%2Bc%2F%E2%82%AC</Key><UploadId>0004B9894A22E5B1888A1E29F823****</UploadId><EncodingType>url</EncodingType></InitiateMultipartUploadResult>`;
    const out = await initiateMultipartUpload.deserialize(response(200, {}, xml), { bucket: 'b', key: 'x' });
    expect(out).toEqual({ bucket: 'b', key: 'a b+c/€', uploadId: '0004B9894A22E5B1888A1E29F823****', requestId: 'RID' });
  });

  it('refuses missing keys and buckets before sending', () => {
    expect(codeOf(() => initiateMultipartUpload.serialize({ bucket: 'b', key: '' }))).toBe('InvalidArgument');
    expect(codeOf(() => initiateMultipartUpload.serialize({ key: 'k' }))).toBe('InvalidArgument');
    expect(codeOf(() => initiateMultipartUpload.serialize({ bucket: 'b', key: 'x'.repeat(1024) }))).toBe('InvalidArgument');
  });
});
