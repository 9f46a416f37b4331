import { describe, expect, it } from 'vitest';
import { uploadPart } from '../../../src/commands/multipart/upload-part.js';
import { md5, toBase64 } from '../../../src/integrity/hash.js';
import { codeOf, response } from '../fixtures.js';

describe('uploadPart', () => {
  const base = { bucket: 'b', key: 'k', uploadId: 'U', partNumber: 3, body: new Uint8Array([1, 2, 3]) };

  it('puts the body at ?partNumber&uploadId, with a CRC-64 check by send()', () => {
    const request = uploadPart.serialize(base);
    expect(request).toMatchObject({ method: 'PUT', bucket: 'b', key: 'k', query: { partNumber: '3', uploadId: 'U' } });
    expect(request.body).toEqual(new Uint8Array([1, 2, 3]));
    expect(request.headers['content-md5']).toBeUndefined();
    expect(uploadPart.options?.crc).toBe('request');
  });

  it('computes Content-MD5 on request, or sends the one given', () => {
    expect(uploadPart.serialize({ ...base, contentMd5: true }).headers['content-md5']).toBe(toBase64(md5(new Uint8Array([1, 2, 3]))));
    expect(uploadPart.serialize({ ...base, body: 'abc', contentMd5: true }).headers['content-md5']).toBe(toBase64(md5('abc')));
    expect(uploadPart.serialize({ ...base, contentMd5: 'AAAA' }).headers['content-md5']).toBe('AAAA');
    expect(uploadPart.serialize({ ...base, body: new Uint8Array([9]).buffer }).body).toEqual(new Uint8Array([9]));
    expect(codeOf(() => uploadPart.serialize({ ...base, body: new Blob(['x']), contentMd5: true }))).toBe('InvalidArgument');
  });

  it('refuses part numbers outside 1–10000 and a missing uploadId', () => {
    for (const partNumber of [0, 10001, 1.5, -1]) expect(codeOf(() => uploadPart.serialize({ ...base, partNumber }))).toBe('InvalidArgument');
    expect(codeOf(() => uploadPart.serialize({ ...base, partNumber: 10000 }))).toBeUndefined();
    expect(codeOf(() => uploadPart.serialize({ ...base, uploadId: '' }))).toBe('InvalidArgument');
  });

  it('returns the ETag and CRC-64 headers', async () => {
    const out = await uploadPart.deserialize(response(200, { etag: '"ABC"', 'x-oss-hash-crc64ecma': '123' }), base);
    expect(out).toEqual({ etag: '"ABC"', crc64: '123', requestId: 'RID' });
  });
});
