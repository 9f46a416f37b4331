import { describe, expect, it } from 'vitest';
import { completeMultipartUpload } from '../../../src/commands/multipart/complete-multipart-upload.js';
import { fromBase64, fromUtf8 } from '../../../src/integrity/hash.js';
import { codeOf, response } from '../fixtures.js';

describe('completeMultipartUpload', () => {
  const base = { bucket: 'b', key: 'k', uploadId: 'U' };

  it('sends the parts sorted by part number as XML', () => {
    const request = completeMultipartUpload.serialize({
      ...base,
      parts: [
        { partNumber: 3, etag: '"C"' },
        { partNumber: 1, etag: '"A&"' },
        { partNumber: 2, etag: '"B"' },
      ],
    });
    expect(request).toMatchObject({ method: 'POST', query: { uploadId: 'U', 'encoding-type': 'url' } });
    expect(request.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUpload>' +
        '<Part><PartNumber>1</PartNumber><ETag>&quot;A&amp;&quot;</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>&quot;B&quot;</ETag></Part>' +
        '<Part><PartNumber>3</PartNumber><ETag>&quot;C&quot;</ETag></Part></CompleteMultipartUpload>',
    );
    expect(completeMultipartUpload.options?.crc).toBeUndefined();
  });

  it('completeAll sends x-oss-complete-all: yes and no body', () => {
    const request = completeMultipartUpload.serialize({ ...base, completeAll: true });
    expect(request.headers['x-oss-complete-all']).toBe('yes');
    expect(request.body).toBeUndefined();
    expect(codeOf(() => completeMultipartUpload.serialize({ ...base, completeAll: true, parts: [{ partNumber: 1, etag: 'x' }] }))).toBe('InvalidArgument');
  });

  it('encodes the callback headers', () => {
    const request = completeMultipartUpload.serialize({
      ...base,
      parts: [{ partNumber: 1, etag: '"A"' }],
      callback: { url: 'https://app.example/cb', body: 'o=${object}', vars: { 'x:a': '1' } },
    });
    expect(JSON.parse(fromUtf8(fromBase64(request.headers['x-oss-callback']!)))).toMatchObject({ callbackUrl: 'https://app.example/cb', callbackBody: 'o=${object}' });
    expect(JSON.parse(fromUtf8(fromBase64(request.headers['x-oss-callback-var']!)))).toEqual({ 'x:a': '1' });
  });

  it('refuses bad part lists before sending', () => {
    expect(codeOf(() => completeMultipartUpload.serialize({ ...base, parts: [] }))).toBe('InvalidArgument');
    expect(codeOf(() => completeMultipartUpload.serialize({ ...base }))).toBe('InvalidArgument');
    expect(codeOf(() => completeMultipartUpload.serialize({ ...base, parts: [{ partNumber: 0, etag: 'x' }] }))).toBe('InvalidArgument');
    expect(codeOf(() => completeMultipartUpload.serialize({ ...base, parts: [{ partNumber: 1, etag: '' }] }))).toBe('InvalidArgument');
  });

  it('reads the result XML (decoding the key) or the callback answer', async () => {
    const xml =
      '<CompleteMultipartUploadResult><EncodingType>url</EncodingType><Location>http://b.oss/a%20b</Location><Bucket>b</Bucket><Key>a+b</Key><ETag>"X-3"</ETag></CompleteMultipartUploadResult>';
    const out = await completeMultipartUpload.deserialize(response(200, { 'x-oss-hash-crc64ecma': '99' }, xml), { ...base });
    expect(out).toEqual({ etag: '"X-3"', crc64: '99', bucket: 'b', key: 'a b', location: 'http://b.oss/a%20b', requestId: 'RID' });
    const cb = await completeMultipartUpload.deserialize(
      response(200, { etag: '"X-3"', 'content-type': 'application/json' }, '{"ok":1}'),
      { ...base, callback: { url: 'http://a/', body: 'x' } },
    );
    expect(cb).toEqual({ etag: '"X-3"', callbackResult: { ok: 1 }, requestId: 'RID' });
  });
});
