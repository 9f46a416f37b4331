import { describe, expect, it } from 'vitest';
import { getObject, rangeHeader } from '../../../src/commands/object/get-object.js';
import { headObject } from '../../../src/commands/object/head-object.js';
import { getObjectMeta } from '../../../src/commands/object/get-object-meta.js';
import { deleteObject } from '../../../src/commands/object/delete-object.js';
import { putObject, toRequestBody } from '../../../src/commands/object/put-object.js';
import { fromBase64 } from '../../../src/integrity/hash.js';
import { response } from '../fixtures.js';

describe('putObject', () => {
  it('maps metadata, headers, content type and callback', () => {
    const request = putObject.serialize({
      bucket: 'bk1',
      key: 'a.txt',
      body: 'x',
      contentType: 'text/csv',
      metadata: { Author: 'Me' },
      headers: { 'X-OSS-Storage-Class': 'IA', 'x-oss-forbid-overwrite': 'true' },
      callback: { url: 'https://app.example/cb', body: 'k=${object}', vars: { 'x:uid': '7' } },
    });
    expect(request).toMatchObject({ method: 'PUT', bucket: 'bk1', key: 'a.txt', query: {} });
    expect(request.headers).toMatchObject({
      'content-type': 'text/csv',
      'x-oss-meta-author': 'Me',
      'x-oss-storage-class': 'IA',
      'x-oss-forbid-overwrite': 'true',
    });
    const cb = JSON.parse(new TextDecoder().decode(fromBase64(request.headers['x-oss-callback']!)));
    expect(cb).toMatchObject({ callbackUrl: 'https://app.example/cb', callbackBody: 'k=${object}' });
    expect(request.headers['x-oss-callback-var']).toBeDefined();
    expect(putObject.options).toMatchObject({ crc: 'request', guessContentType: true });
  });

  it('accepts every body kind and refuses others', () => {
    expect(toRequestBody(new ArrayBuffer(3))).toEqual(new Uint8Array(3));
    expect(toRequestBody(new Uint16Array([1]) as unknown as Uint8Array)).toEqual(new Uint8Array([1, 0]));
    const stream = new ReadableStream();
    expect(toRequestBody(stream)).toBe(stream);
    const iterable = (async function* () {})();
    expect(toRequestBody(iterable)).toBe(iterable);
    expect(() => toRequestBody(42 as unknown as string)).toThrow(/body must be/);
  });

  it('reads etag, crc64 and the callback result', async () => {
    const input = { bucket: 'bk1', key: 'k', body: 'x', callback: { url: 'https://a.example', body: 'b' } };
    const out = await putObject.deserialize(
      response(200, { etag: '"E"', 'x-oss-hash-crc64ecma': '123', 'content-type': 'application/json' }, '{"ok":true}'),
      input,
    );
    expect(out).toEqual({ requestId: 'RID', etag: '"E"', crc64: '123', callbackResult: { ok: true } });
  });
});

describe('getObject', () => {
  it('maps range, conditions, response overrides and version', () => {
    const since = new Date('2024-01-01T00:00:00Z');
    const request = getObject.serialize({
      bucket: 'bk1',
      key: 'k',
      range: { start: 10, end: 19 },
      ifNoneMatch: '"E"',
      ifModifiedSince: since,
      versionId: 'v1',
      responseHeaders: { contentType: 'text/plain', contentDisposition: 'attachment; filename="a b.txt"' },
    });
    expect(request.headers).toEqual({
      range: 'bytes=10-19',
      'if-none-match': '"E"',
      'if-modified-since': since.toUTCString(),
    });
    expect(request.query).toEqual({
      'response-content-type': 'text/plain',
      'response-content-disposition': 'attachment; filename="a b.txt"',
      versionId: 'v1',
    });
  });

  it('validates ranges', () => {
    expect(rangeHeader({ start: 5 })).toBe('bytes=5-');
    expect(rangeHeader('bytes=-100')).toBe('bytes=-100');
    expect(() => rangeHeader({ start: 5, end: 4 })).toThrow(/start <= end/);
    expect(() => rangeHeader('0-9')).toThrow(/bytes=0-9/);
    expect(() => rangeHeader({ start: -1 })).toThrow();
  });

  it('returns object facts and one-shot readers', async () => {
    const out = await getObject.deserialize(
      response(
        200,
        {
          'content-length': '5',
          'content-type': 'text/plain',
          etag: '"E"',
          'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT',
          'x-oss-meta-author': 'me',
          'x-oss-hash-crc64ecma': '99',
        },
        'hello',
      ),
      { bucket: 'bk1', key: 'k' },
    );
    expect(out).toMatchObject({
      requestId: 'RID',
      status: 200,
      contentLength: 5,
      contentType: 'text/plain',
      etag: '"E"',
      metadata: { author: 'me' },
      crc64: '99',
    });
    expect(out.lastModified.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(await out.text()).toBe('hello');
    await expect(out.bytes()).rejects.toThrow(/already used/);
  });

  it('bytes() reads the whole body whatever Content-Length announced (exact, short, long, encoded)', async () => {
    const variants: Record<string, string>[] = [
      { 'content-length': '11' },
      { 'content-length': '3' },
      { 'content-length': '4096' },
      { 'content-length': 'nonsense' },
      { 'content-length': '3', 'content-encoding': 'gzip' },
      {},
    ];
    for (const headers of variants) {
      const out = await getObject.deserialize(response(200, headers, 'hello world'), { bucket: 'bk1', key: 'k' });
      expect(await out.text()).toBe('hello world');
    }
  });

  it('refuses bytes() once the stream is in use', async () => {
    const out = await getObject.deserialize(response(200, {}, 'x'), { bucket: 'bk1', key: 'k' });
    out.body.getReader();
    await expect(out.text()).rejects.toThrow(/already used/);
  });
});

describe('headObject, getObjectMeta, deleteObject', () => {
  it('headObject is a HEAD with conditions', async () => {
    expect(headObject.serialize({ bucket: 'bk1', key: 'k', ifMatch: '"E"' })).toEqual({
      method: 'HEAD',
      bucket: 'bk1',
      key: 'k',
      query: {},
      headers: { 'if-match': '"E"' },
    });
    const out = await headObject.deserialize(response(200, { 'content-length': '3', 'x-oss-storage-class': 'IA' }), { bucket: 'bk1', key: 'k' });
    expect(out).toMatchObject({ contentLength: 3, storageClass: 'IA', metadata: {} });
  });

  it('getObjectMeta asks for ?objectMeta', async () => {
    expect(getObjectMeta.serialize({ bucket: 'bk1', key: 'k' }).query).toEqual({ objectMeta: '' });
    const out = await getObjectMeta.deserialize(
      response(200, { 'content-length': '7', etag: '"E"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT', 'x-oss-last-access-time': 'Tue, 02 Jan 2024 00:00:00 GMT' }),
      { bucket: 'bk1', key: 'k' },
    );
    expect(out).toMatchObject({ contentLength: 7, etag: '"E"' });
    expect(out.lastAccessTime?.toISOString()).toBe('2024-01-02T00:00:00.000Z');
  });

  it('deleteObject is a DELETE', async () => {
    expect(deleteObject.serialize({ bucket: 'bk1', key: 'k' }).method).toBe('DELETE');
    expect(await deleteObject.deserialize(response(204, {}), { bucket: 'bk1', key: 'k' })).toEqual({ requestId: 'RID' });
  });
});
