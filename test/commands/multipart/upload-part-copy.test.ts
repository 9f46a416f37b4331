import { describe, expect, it } from 'vitest';
import { uploadPartCopy } from '../../../src/commands/multipart/upload-part-copy.js';
import { codeOf, response } from '../fixtures.js';

describe('uploadPartCopy', () => {
  const base = { bucket: 'dst', key: 'k', uploadId: 'U', partNumber: 1, source: { key: 'src dir/ä+b.bin' } };

  it('names the source (RFC 3986, `/` kept, as for CopyObject), range and conditions in headers', () => {
    const request = uploadPartCopy.serialize({
      ...base,
      source: { bucket: 'other', key: 'src dir/ä+b.bin', versionId: 'v 1' },
      range: { start: 0, end: 102399 },
      ifMatch: '"E"',
      ifNoneMatch: '"F"',
      ifModifiedSince: new Date(Date.UTC(2024, 0, 1)),
      ifUnmodifiedSince: 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
    expect(request).toMatchObject({ method: 'PUT', query: { partNumber: '1', uploadId: 'U' } });
    expect(request.body).toBeUndefined();
    expect(request.headers).toEqual({
      'x-oss-copy-source': '/other/src%20dir/%C3%A4%2Bb.bin?versionId=v%201',
      'x-oss-copy-source-range': 'bytes=0-102399',
      'x-oss-copy-source-if-match': '"E"',
      'x-oss-copy-source-if-none-match': '"F"',
      'x-oss-copy-source-if-modified-since': 'Mon, 01 Jan 2024 00:00:00 GMT',
      'x-oss-copy-source-if-unmodified-since': 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
  });

  it('defaults the source bucket to the destination and accepts a range string', () => {
    const request = uploadPartCopy.serialize({ ...base, range: 'bytes=5-9' });
    expect(request.headers['x-oss-copy-source']).toBe('/dst/src%20dir/%C3%A4%2Bb.bin');
    expect(request.headers['x-oss-copy-source-range']).toBe('bytes=5-9');
    expect(codeOf(() => uploadPartCopy.serialize({ ...base, range: { start: 9, end: 5 } }))).toBe('InvalidArgument');
    expect(codeOf(() => uploadPartCopy.serialize({ ...base, source: { key: '' } }))).toBe('InvalidArgument');
    expect(codeOf(() => uploadPartCopy.serialize({ ...base, source: { bucket: 'Bad_Bucket', key: 'k' } }))).toBe('InvalidArgument');
  });

  it('reads CopyPartResult', async () => {
    const xml = '<CopyPartResult><LastModified>2024-01-02T03:04:05.000Z</LastModified><ETag>"5B3C1A2E05"</ETag></CopyPartResult>';
    const out = await uploadPartCopy.deserialize(response(200, { 'x-oss-copy-source-version-id': 'v1' }, xml), base);
    expect(out).toEqual({ etag: '"5B3C1A2E05"', lastModified: new Date('2024-01-02T03:04:05.000Z'), sourceVersionId: 'v1', requestId: 'RID' });
  });
});
