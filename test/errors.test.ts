import { describe, expect, it } from 'vitest';
import { OssClientError, OssError } from '../src/errors.js';
import { toBase64 } from '../src/integrity/hash.js';
import { codeForStatus, serverTimeOf, toOssError } from '../src/pipeline/response-error.js';
import { errorXml, reply } from './pipeline/send-fixtures.js';

const context = { operation: 'GetObject', request: { method: 'GET' as const, bucket: 'bk1', key: 'a/b.txt' } };

describe('toOssError', () => {
  it('reads code, message, request id, host id and EC from the XML body', async () => {
    const xml = errorXml('NoSuchKey', { EC: '0026-00000001', Key: 'a/b.txt' });
    const error = await toOssError(reply(404, {}, xml), context);
    expect(error).toBeInstanceOf(OssError);
    expect(error).toMatchObject({
      code: 'NoSuchKey',
      status: 404,
      requestId: 'RID123',
      hostId: 'b.oss-cn-hangzhou.aliyuncs.com',
      ec: '0026-00000001',
      operation: 'GetObject',
      bucket: 'bk1',
      key: 'a/b.txt',
    });
    expect(error.details).toEqual({ Key: 'a/b.txt' });
    expect(error.message).toBe('message for NoSuchKey (GetObject bk1/a/b.txt)');
  });

  it('never keeps signing material from the body', async () => {
    const xml = errorXml('SignatureDoesNotMatch', {
      SignatureProvided: 'c2lnbmF0dXJl',
      StringToSign: 'GET\n\n\nsecret-ish',
      StringToSignBytes: '47 45 54',
      OSSAccessKeyId: 'AKID',
    });
    const error = await toOssError(reply(403, {}, xml), context);
    expect(error.details).toEqual({ OSSAccessKeyId: 'AKID' });
    expect(JSON.stringify(error)).not.toMatch(/c2lnbmF0dXJl|secret-ish/);
    expect(error.message).not.toMatch(/c2lnbmF0dXJl|secret-ish/);
  });

  it('decodes x-oss-err for body-less answers (HEAD)', async () => {
    const header = toBase64(new TextEncoder().encode(errorXml('NoSuchBucket', { EC: '0015-00000101' })));
    const error = await toOssError(reply(404, { 'x-oss-err': header }), context);
    expect(error).toMatchObject({ code: 'NoSuchBucket', ec: '0015-00000101', requestId: 'RID123' });
  });

  it('derives the code from the status when there is nothing to read', async () => {
    const error = await toOssError(reply(404, { 'x-oss-ec': '0026-00000001', 'x-oss-request-id': 'R1' }), context);
    expect(error).toMatchObject({ code: 'NoSuchKey', status: 404, ec: '0026-00000001', requestId: 'R1', message: expect.stringContaining('HTTP 404') });
    expect(codeForStatus(404, { bucket: 'bk1' })).toBe('NoSuchBucket');
    expect(codeForStatus(404, {})).toBe('NotFound');
    expect(codeForStatus(304, { bucket: 'bk1', key: 'k' })).toBe('NotModified');
    expect(codeForStatus(412, { bucket: 'bk1', key: 'k' })).toBe('PreconditionFailed');
    expect(codeForStatus(503, {})).toBe('InternalError');
    expect(codeForStatus(403, {})).toBe('AccessDenied');
  });

  it('treats a non-XML body as no body', async () => {
    const error = await toOssError(reply(502, {}, '<html>Bad gateway</html>'), context);
    expect(error).toMatchObject({ code: 'InternalError', status: 502 });
  });

  it('203 becomes CallbackFailed', async () => {
    const error = await toOssError(reply(203, {}, errorXml('CallbackFailed', { EC: '0007-00000203' })), {
      operation: 'PutObject',
      request: { method: 'PUT', bucket: 'bk1', key: 'k' },
    });
    expect(error).toMatchObject({ code: 'CallbackFailed', status: 203, ec: '0007-00000203' });
  });

  it('remembers the server time for clock-skew correction', async () => {
    const a = await toOssError(reply(403, {}, errorXml('RequestTimeTooSkewed', { ServerTime: '2024-01-01T12:00:00.000Z' })), context);
    expect(serverTimeOf(a)?.toISOString()).toBe('2024-01-01T12:00:00.000Z');
    const b = await toOssError(reply(403, { date: 'Mon, 01 Jan 2024 12:00:00 GMT' }, errorXml('RequestTimeTooSkewed')), context);
    expect(serverTimeOf(b)?.toISOString()).toBe('2024-01-01T12:00:00.000Z');
  });
});

describe('error classes', () => {
  it('instanceof works through the Symbol.for brand', () => {
    const foreign = Object.create({ [Symbol.for('osskit.OssClientError')]: true });
    expect(foreign instanceof OssClientError).toBe(true);
    expect(new OssClientError('Timeout', 'x') instanceof OssError).toBe(false);
  });
});
