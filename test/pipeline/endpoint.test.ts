import { describe, expect, it } from 'vitest';
import { encodeQuery, keyPath, normalizeRegion, requestUrl, resolveEndpoint } from '../../src/pipeline/endpoint.js';
import { encodePath as encodeKey, rfc3986Encode as rfc3986 } from '../../src/signer/encode.js';
import { OssClientError } from '../../src/errors.js';

describe('normalizeRegion', () => {
  it('strips the oss- prefix and lower-cases', () => {
    expect(normalizeRegion('oss-cn-hangzhou')).toBe('cn-hangzhou');
    expect(normalizeRegion('CN-Shanghai')).toBe('cn-shanghai');
    expect(normalizeRegion('ap-southeast-1')).toBe('ap-southeast-1');
  });
});

describe('resolveEndpoint', () => {
  it('defaults to the public endpoint of the region, virtual-hosted', () => {
    const e = resolveEndpoint({ region: 'oss-cn-hangzhou' });
    expect(e).toEqual({ protocol: 'https:', host: 'oss-cn-hangzhou.aliyuncs.com', region: 'cn-hangzhou', style: 'virtual' });
    expect(requestUrl(e, { bucket: 'b1', key: 'k', query: {} })).toBe('https://b1.oss-cn-hangzhou.aliyuncs.com/k');
  });

  it('refuses to guess a region: none given, or none in a custom endpoint under V4', () => {
    expect(() => resolveEndpoint({})).toThrow(/region is required/);
    expect(() => resolveEndpoint({ endpoint: 'http://127.0.0.1:9000' })).toThrow(/region is required for V4/);
    expect(() => resolveEndpoint({ endpoint: 'https://files.example.com', cname: true })).toThrow(/pass region/);
    // V1 does not sign the region, so a custom endpoint alone is enough.
    expect(resolveEndpoint({ endpoint: 'http://127.0.0.1:9000', signatureVersion: 'v1' }).style).toBe('path');
  });

  it('adds https:// to a bare host and takes the region from it', () => {
    const e = resolveEndpoint({ endpoint: 'oss-cn-beijing-internal.aliyuncs.com' });
    expect(e.protocol).toBe('https:');
    expect(e.region).toBe('cn-beijing');
  });

  it('uses path style for IPs, [IPv6] and localhost', () => {
    for (const endpoint of ['http://127.0.0.1:9000', 'http://[::1]:9000', 'http://localhost:9000']) {
      const e = resolveEndpoint({ endpoint, region: 'cn-hangzhou' });
      expect(e.style).toBe('path');
      expect(requestUrl(e, { bucket: 'b1', key: 'a/b.txt', query: {} })).toBe(`${endpoint}/b1/a/b.txt`);
    }
  });

  it('uses path style when asked', () => {
    const e = resolveEndpoint({ region: 'cn-hangzhou', pathStyle: true });
    expect(requestUrl(e, { bucket: 'b1', query: { acl: '' } })).toBe('https://oss-cn-hangzhou.aliyuncs.com/b1/?acl');
  });

  it('puts no bucket in host or path for cname', () => {
    const e = resolveEndpoint({ endpoint: 'https://static.example.com', region: 'cn-hangzhou', cname: true });
    expect(requestUrl(e, { bucket: 'b1', key: 'x.png', query: {} })).toBe('https://static.example.com/x.png');
  });

  it('service-level requests go to the bare endpoint', () => {
    expect(requestUrl(resolveEndpoint({ region: 'cn-hangzhou' }), { query: {} })).toBe('https://oss-cn-hangzhou.aliyuncs.com/');
  });

  it('refuses an aliyuncs endpoint of another region under V4, naming both', () => {
    const attempt = () => resolveEndpoint({ region: 'cn-hangzhou', endpoint: 'oss-cn-shanghai.aliyuncs.com' });
    expect(attempt).toThrow(OssClientError);
    expect(attempt).toThrow(/cn-shanghai.*cn-hangzhou/);
    // V1 signatures carry no region, so the mismatch is harmless there.
    expect(resolveEndpoint({ region: 'cn-hangzhou', endpoint: 'oss-cn-shanghai.aliyuncs.com', signatureVersion: 'v1' }).host).toBe(
      'oss-cn-shanghai.aliyuncs.com',
    );
  });

  it('reads the region of dual-stack endpoints and ignores acceleration ones', () => {
    expect(resolveEndpoint({ endpoint: 'cn-hangzhou.oss.aliyuncs.com' }).region).toBe('cn-hangzhou');
    expect(() => resolveEndpoint({ region: 'cn-beijing', endpoint: 'cn-hangzhou.oss.aliyuncs.com' })).toThrow(/cn-hangzhou/);
    expect(resolveEndpoint({ region: 'cn-beijing', endpoint: 'oss-accelerate.aliyuncs.com' }).region).toBe('cn-beijing');
  });

  it('refuses malformed endpoints and regions', () => {
    expect(() => resolveEndpoint({ endpoint: 'ftp://x.example.com' })).toThrow(/http or https/);
    expect(() => resolveEndpoint({ region: 'cn hangzhou' })).toThrow(/region/);
  });
});

describe('encoding', () => {
  it('encodes keys per RFC 3986 segment, keeping /', () => {
    expect(encodeKey('dir/中文 a+b=c&d~e*f!g\'h(i).txt')).toBe(
      'dir/%E4%B8%AD%E6%96%87%20a%2Bb%3Dc%26d~e%2Af%21g%27h%28i%29.txt',
    );
    expect(encodeKey('100%/x')).toBe('100%25/x');
  });

  it('encodes the query with bare keys for empty values', () => {
    expect(encodeQuery({ acl: '', prefix: 'a b/', 'max-keys': '10' })).toBe('acl&prefix=a%20b%2F&max-keys=10');
    expect(rfc3986('~-._')).toBe('~-._');
  });

  it('writes a key path segment by segment, dot segments as %2E, whatever the dots around them', () => {
    const bySegment = (key: string) =>
      key
        .split('/')
        .map((s) => (s === '.' ? '%2E' : s === '..' ? '%2E%2E' : rfc3986(s)))
        .join('/');
    const pieces = ['.', '..', '...', '.a', 'a.', 'a b', '中', '', '+', '%2E'];
    for (const a of pieces) {
      for (const b of pieces) {
        for (const key of [`${a}/${b}`, `${a}${b}`, `x/${a}/${b}/`, `${a}/x/${b}`]) {
          if (key) expect(keyPath(key), key).toBe(bySegment(key));
        }
      }
    }
    expect(keyPath('a/../b c')).toBe('a/%2E%2E/b%20c');
    expect(keyPath('..')).toBe('%2E%2E');
  });

  it('encodes the query in insertion order, own parameters only, an empty name included', () => {
    expect(encodeQuery({ '': 'v', b: '' })).toBe('=v&b');
    expect(encodeQuery({ a: '1', '': '' })).toBe('a=1&');
    const inherited = Object.assign(Object.create({ hidden: 'x' }) as Record<string, string>, { shown: 'y' });
    expect(encodeQuery(inherited)).toBe('shown=y');
  });

  it('builds a full URL with an encoded key and query', () => {
    const e = resolveEndpoint({ region: 'cn-hangzhou' });
    expect(requestUrl(e, { bucket: 'b', key: 'a b+c.txt', query: { 'response-content-type': 'text/plain' } })).toBe(
      'https://b.oss-cn-hangzhou.aliyuncs.com/a%20b%2Bc.txt?response-content-type=text%2Fplain',
    );
  });
});
