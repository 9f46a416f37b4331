import { describe, expect, it } from 'vitest';
import { isV1SubResource, V1_SUB_RESOURCES } from '../../src/signer/subresources.js';

describe('isV1SubResource', () => {
  it('signs the common sub-resources and response overrides', () => {
    for (const name of [
      'acl', 'uploads', 'uploadId', 'partNumber', 'versionId', 'versions', 'security-token', 'continuation-token',
      'tagging', 'cors', 'lifecycle', 'website', 'referer', 'restore', 'symlink', 'objectMeta', 'append', 'position',
      'callback', 'callback-var', 'resourceGroup', 'cleanRestoredObject', 'regions', 'comp', 'live', 'vod',
      'response-content-type', 'response-content-disposition', 'response-cache-control', 'response-expires',
      'response-content-language', 'response-content-encoding',
    ]) {
      expect(isV1SubResource(name), name).toBe(true);
    }
  });

  it('signs any x-oss-* query key', () => {
    expect(isV1SubResource('x-oss-process')).toBe(true);
    expect(isV1SubResource('x-oss-traffic-limit')).toBe(true);
    expect(isV1SubResource('x-oss-anything-new')).toBe(true);
  });

  it('never signs pagination or filter keys, and is case-sensitive', () => {
    for (const name of ['prefix', 'marker', 'max-keys', 'delimiter', 'list-type', 'start-after', 'encoding-type',
      'key-marker', 'upload-id-marker', 'max-uploads', 'part-number-marker', 'max-parts', 'fetch-owner', 'foo',
      'ACL', 'uploadid', 'X-OSS-PROCESS', 'OSSAccessKeyId', 'Expires', 'Signature']) {
      expect(isV1SubResource(name), name).toBe(false);
    }
  });

  it('is a table without blanks', () => {
    expect(V1_SUB_RESOURCES.size).toBeGreaterThan(100);
    expect(V1_SUB_RESOURCES.has('')).toBe(false);
  });
});
