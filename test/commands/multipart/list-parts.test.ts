import { describe, expect, it } from 'vitest';
import { listParts } from '../../../src/commands/multipart/list-parts.js';
import { codeOf, response } from '../fixtures.js';

describe('listParts', () => {
  const base = { bucket: 'b', key: 'k', uploadId: 'U' };

  it('serializes paging parameters', () => {
    expect(listParts.serialize({ ...base, maxParts: 10, partNumberMarker: 4 }).query).toEqual({
      uploadId: 'U',
      'max-parts': '10',
      'part-number-marker': '4',
      'encoding-type': 'url',
    });
    expect(codeOf(() => listParts.serialize({ ...base, maxParts: 0 }))).toBe('InvalidArgument');
    expect(codeOf(() => listParts.serialize({ ...base, maxParts: 1001 }))).toBe('InvalidArgument');
    expect(codeOf(() => listParts.serialize({ ...base, partNumberMarker: -1 }))).toBe('InvalidArgument');
  });

  it('reads parts with size, CRC-64 and the next marker', async () => {
    const xml = `<ListPartsResult><Bucket>b</Bucket><EncodingType>url</EncodingType><Key>a%2Bb</Key><UploadId>U</UploadId>
      <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>
      <Part><PartNumber>1</PartNumber><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"A"</ETag><HashCrc64ecma>11051210869376104954</HashCrc64ecma><Size>102400</Size></Part>
      <Part><PartNumber>2</PartNumber><LastModified>2024-01-01T00:00:01.000Z</LastModified><ETag>"B"</ETag><Size>5</Size></Part>
    </ListPartsResult>`;
    const out = await listParts.deserialize(response(200, {}, xml), base);
    expect(out).toEqual({
      bucket: 'b',
      key: 'a+b',
      uploadId: 'U',
      parts: [
        { partNumber: 1, etag: '"A"', size: 102400, crc64: '11051210869376104954', lastModified: new Date('2024-01-01T00:00:00.000Z') },
        { partNumber: 2, etag: '"B"', size: 5, lastModified: new Date('2024-01-01T00:00:01.000Z') },
      ],
      isTruncated: true,
      nextPartNumberMarker: 2,
      maxParts: 2,
      requestId: 'RID',
    });
  });

  it('reads an empty listing', async () => {
    const out = await listParts.deserialize(response(200, {}, '<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>'), base);
    expect(out.parts).toEqual([]);
    expect(out.isTruncated).toBe(false);
    expect(out.nextPartNumberMarker).toBeUndefined();
  });
});
