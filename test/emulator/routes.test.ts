/**
 * The route table on its own: which operation a request is, which refusal it gets, and that a new
 * row is all it takes to route a new sub-resource.
 */
import { describe, expect, it } from 'vitest';
import { ROUTES, routeRequest, selectorsOf, type RouteInput } from '../../src/emulator/handlers/index.js';

const req = (method: string, level: 'bucket' | 'object', query: Record<string, string> = {}, headers: Record<string, string> = {}): RouteInput => ({
  method,
  bucket: 'bkt',
  key: level === 'object' ? 'k' : undefined,
  query,
  headers,
});

describe('routeRequest', () => {
  it('names operations by method, level, sub-resources and headers', () => {
    expect(routeRequest(req('PUT', 'object')).operation).toBe('PutObject');
    expect(routeRequest(req('PUT', 'object', {}, { 'x-oss-copy-source': '/b/k' })).operation).toBe('CopyObject');
    expect(routeRequest(req('PUT', 'object', { uploadId: 'u', partNumber: '1' })).operation).toBe('UploadPart');
    expect(routeRequest(req('PUT', 'object', { uploadId: 'u', partNumber: '1' }, { 'x-oss-copy-source': '/b/k' })).operation).toBe('UploadPartCopy');
    expect(routeRequest(req('POST', 'object', { append: '', position: '0' })).operation).toBe('AppendObject');
    expect(routeRequest(req('GET', 'bucket', { 'list-type': '2', 'continuation-token': 't' })).operation).toBe('ListObjectsV2');
    expect(routeRequest(req('DELETE', 'bucket', { cors: '' })).operation).toBe('DeleteBucketCors');
    expect(routeRequest({ method: 'GET', query: {}, headers: {} }).operation).toBe('ListBuckets');
    expect(routeRequest(req('OPTIONS', 'object', { tagging: '' })).operation).toBe('OptionObject');
  });

  it('signing parameters, STS tokens and response overrides select nothing', () => {
    const query = {
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      'x-oss-credential': 'c',
      'x-oss-date': 'd',
      'x-oss-expires': '60',
      'x-oss-signature': 's',
      'security-token': 't',
      'response-content-type': 'text/plain',
      prefix: 'p',
    };
    expect(selectorsOf(query)).toEqual([]);
    expect(routeRequest(req('GET', 'object', query)).operation).toBe('GetObject');
  });

  it('versionId is taken by the operations that address a version, refused by writes', () => {
    expect(routeRequest(req('GET', 'object', { versionId: 'null' })).operation).toBe('GetObject');
    expect(routeRequest(req('DELETE', 'object', { versionId: 'v1' })).operation).toBe('DeleteObject');
    expect(routeRequest(req('PUT', 'object', { tagging: '', versionId: 'v1' })).operation).toBe('PutObjectTagging');
    expect(routeRequest(req('GET', 'bucket', { versions: '' })).operation).toBe('ListObjectVersions');
    expect(routeRequest(req('PUT', 'object', { versionId: 'v1' })).refusal!.status).toBe(405);
    expect(routeRequest(req('POST', 'object', { uploads: '', versionId: 'v1' })).refusal!.status).toBe(501);
  });

  it('refuses: 405 when the sub-resource exists for another method, else 501', () => {
    const wrongVerb = routeRequest(req('POST', 'object', { tagging: '' })).refusal!;
    expect([wrongVerb.status, wrongVerb.code]).toEqual([405, 'MethodNotAllowed']);
    const unknown = routeRequest(req('PUT', 'object', { worm: '' })).refusal!;
    expect([unknown.status, unknown.code]).toEqual([501, 'NotImplemented']);
    expect(routeRequest(req('GET', 'object', { 'x-oss-process': 'image/info' })).refusal!.status).toBe(501);
    expect(routeRequest(req('PATCH', 'object')).refusal!.status).toBe(405);
    // Two sub-resources that no single operation takes together.
    expect(routeRequest(req('PUT', 'object', { tagging: '', acl: '' })).refusal!.status).toBe(501);
  });

  it('a new row routes a new sub-resource', () => {
    expect(routeRequest(req('GET', 'bucket', { udf: '' })).refusal?.status).toBe(501);
    ROUTES.push({ method: 'GET', level: 'bucket', subresource: 'udf', operation: 'GetUdfForTest' });
    try {
      expect(routeRequest(req('GET', 'bucket', { udf: '' })).operation).toBe('GetUdfForTest');
      expect(routeRequest(req('PUT', 'bucket', { udf: '' })).refusal!.status).toBe(405);
    } finally {
      ROUTES.pop();
    }
  });
});
