import { describe, expect, it, vi } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import { toHex } from '../../src/integrity/hash.js';
import { deriveSigningKeyV4, signingKeyV4 } from '../../src/signer/signing-key.js';
import type { SigningRequest } from '../../src/signer/types.js';
import {
  canonicalHeadersV4,
  canonicalQueryV4,
  canonicalRequestV4,
  canonicalUriV4,
  computeSignatureV4,
  formatIsoDate,
  normalizeAdditionalHeaders,
  presignV4,
  scopeV4,
  signatureV4,
  signV4,
  stringToSignV4,
} from '../../src/signer/v4.js';
import vectors from '../fixtures/signer-vectors.json' with { type: 'json' };

interface Vector {
  name: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  region: string;
  product: string;
  nowUnix: number;
  expires?: number;
  additionalHeaders?: string[];
  request: SigningRequest;
  authorization?: string;
  query?: Record<string, string>;
}

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const GO_QUERY = { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': '', '|param2': '', param2: '' };

describe('V4 published vectors (Go v2 SDK signer tests)', () => {
  for (const v of vectors.v4Header as unknown as Vector[]) {
    it(`header: ${v.name}`, () => {
      const added = signV4(v.request, v.credentials, {
        now: new Date(v.nowUnix * 1000),
        region: v.region,
        product: v.product,
        additionalHeaders: v.additionalHeaders,
      });
      expect(added.authorization).toBe(v.authorization);
    });
  }
  for (const v of vectors.v4Query as unknown as Vector[]) {
    it(`url: ${v.name}`, () => {
      const added = presignV4(v.request, v.credentials, {
        now: new Date(v.nowUnix * 1000),
        region: v.region,
        product: v.product,
        additionalHeaders: v.additionalHeaders,
        expires: v.expires!,
      });
      expect(added).toEqual(v.query);
      expect(Object.keys(added).at(-1)).toBe('x-oss-signature');
    });
  }
  for (const v of vectors.signingKey) {
    it(`signing key ${v.secret}/${v.date}/${v.region}/${v.product} (§3.5)`, () => {
      expect(toHex(deriveSigningKeyV4(v.secret, v.date, v.region, v.product))).toBe(v.key);
      expect(toHex(signingKeyV4(v.secret, v.date, v.region, v.product))).toBe(v.key);
    });
  }
});

describe('formatIsoDate / scopeV4', () => {
  it('formats yyyymmddTHHMMSSZ in UTC', () => {
    expect(formatIsoDate(new Date(1702743657_000))).toBe('20231216T162057Z');
    expect(formatIsoDate(new Date('2024-01-02T03:04:05.678Z'))).toBe('20240102T030405Z');
  });
  it('reuses the stamp within a second but never across one, forward or back in time', () => {
    const reference = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const base = Date.parse('2024-03-05T06:07:08Z');
    for (const offset of [0, 1, 999, 1000, 1001, 60_000, -1, 0, 86_400_000, 5, -base, -base - 1, -base + 999]) {
      const date = new Date(base + offset);
      expect(formatIsoDate(date)).toBe(reference(date));
    }
    expect(() => formatIsoDate(new Date(Number.NaN))).toThrow(RangeError);
  });
  it('formats once per second (signing many requests in one second costs one toISOString)', () => {
    const spy = vi.spyOn(Date.prototype, 'toISOString');
    try {
      const second = Date.parse('2025-06-07T08:09:10Z');
      for (const ms of [0, 250, 999, 1]) formatIsoDate(new Date(second + ms));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(formatIsoDate(new Date(second + 1000))).toBe('20250607T080911Z');
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
  it('builds the scope', () => {
    expect(scopeV4('20231216', 'cn-hangzhou')).toBe('20231216/cn-hangzhou/oss/aliyun_v4_request');
    expect(scopeV4('20231216', 'cb-123', 'oss-cloudbox')).toBe('20231216/cb-123/oss-cloudbox/aliyun_v4_request');
  });
});

describe('canonicalUriV4', () => {
  it('encodes per RFC 3986 and keeps slashes (§3.3 examples)', () => {
    expect(canonicalUriV4({ bucket: 'bucket', key: '1234+-/123/1.txt' })).toBe('/bucket/1234%2B-/123/1.txt');
    expect(canonicalUriV4({ bucket: 'examplebucket' })).toBe('/examplebucket/');
    expect(canonicalUriV4({})).toBe('/');
    expect(canonicalUriV4({ bucket: 'examplebucket', key: 'photos/cat 01.jpg' })).toBe('/examplebucket/photos/cat%2001.jpg');
    expect(canonicalUriV4({ bucket: 'examplebucket', key: "dir/中文 a+b=c&d~e*f!g'h(i).txt" })).toBe(
      '/examplebucket/dir/%E4%B8%AD%E6%96%87%20a%2Bb%3Dc%26d~e%2Af%21g%27h%28i%29.txt',
    );
  });
});

describe('canonicalQueryV4', () => {
  it('encodes, byte-sorts encoded keys, and emits bare keys for empty values', () => {
    expect(canonicalQueryV4(GO_QUERY)).toBe(
      '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
    );
  });
  it('sorts upper case before lower case, unlike localeCompare (§3.8)', () => {
    expect(canonicalQueryV4({ Zeta: '1', alpha: '2', 'b~c': 'x y', 'a*': '!' })).toBe(
      'Zeta=1&a%2A=%21&alpha=2&b~c=x%20y',
    );
  });
  it('encodes values: space as %20, never +, and / ; , = |', () => {
    expect(canonicalQueryV4({ k: 'a b+c/d;e,f=g|h' })).toBe('k=a%20b%2Bc%2Fd%3Be%2Cf%3Dg%7Ch');
  });
  it('is empty without parameters', () => {
    expect(canonicalQueryV4({})).toBe('');
  });
});

describe('normalizeAdditionalHeaders', () => {
  it('follows the §3.3 example', () => {
    const headers = { 'x-oss-head1': 'v', abc: 'v', zabc: 'v' };
    expect(normalizeAdditionalHeaders(['x-oss-no-exist', 'ZAbc', 'x-oss-head1', 'abc'], headers)).toEqual(['abc', 'zabc']);
  });
  it('drops content-type/content-md5, missing names and duplicates', () => {
    const headers = { 'content-type': 'a', 'content-md5': 'b', Host: 'h', 'cache-control': 'no' };
    expect(normalizeAdditionalHeaders(['Host', 'host', 'content-type', 'Content-MD5', 'range', 'cache-control'], headers)).toEqual([
      'cache-control',
      'host',
    ]);
    expect(normalizeAdditionalHeaders(undefined, headers)).toEqual([]);
  });
});

describe('canonicalHeadersV4', () => {
  it('signs x-oss-*, content-type, content-md5 and additional headers; trims; byte-sorts', () => {
    const headers = {
      'x-oss-meta-abc_123': '4',
      'x-oss-meta-abc123': '3',
      'X-OSS-Meta-Abc-123': ' 2 ',
      'x-oss-meta-abc': '1',
      'Content-Type': 'text/plain',
      'content-md5': 'md5',
      host: 'h',
      range: 'bytes=0-1',
    };
    expect(canonicalHeadersV4(headers, ['host'])).toBe(
      'content-md5:md5\ncontent-type:text/plain\nhost:h\n' +
        'x-oss-meta-abc:1\nx-oss-meta-abc-123:2\nx-oss-meta-abc123:3\nx-oss-meta-abc_123:4\n',
    );
    expect(canonicalHeadersV4(headers)).not.toContain('host');
  });
});

describe('canonical request → string to sign → signature, by hand', () => {
  // The Go v2 header vector, its canonical request written out from §3.3.
  const request: SigningRequest = {
    method: 'PUT',
    bucket: 'bucket',
    key: '1234+-/123/1.txt',
    query: GO_QUERY,
    headers: {
      'x-oss-head1': 'value',
      abc: 'value',
      zabc: 'value',
      xyz: 'value',
      'content-type': 'text/plain',
      'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
      'x-oss-date': '20231216T162057Z',
    },
  };
  const canonical = [
    'PUT',
    '/bucket/1234%2B-/123/1.txt',
    '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2',
    'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n',
    '',
    'UNSIGNED-PAYLOAD',
  ].join('\n');

  it('builds the canonical request byte for byte (blank line after headers, empty additional line)', () => {
    expect(canonicalRequestV4(request, [])).toBe(canonical);
  });

  it('string to sign and signature match the published Authorization', () => {
    const scope = scopeV4('20231216', 'cn-hangzhou');
    const sts = stringToSignV4(canonical, '20231216T162057Z', scope);
    expect(sts.split('\n').slice(0, 3)).toEqual(['OSS4-HMAC-SHA256', '20231216T162057Z', scope]);
    expect(sts.split('\n')[3]).toMatch(/^[0-9a-f]{64}$/);
    const sig = signatureV4(signingKeyV4('sk', '20231216', 'cn-hangzhou'), sts);
    expect(sig).toBe('e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe');
    expect(computeSignatureV4(request, { secret: 'sk', isoDate: '20231216T162057Z', region: 'cn-hangzhou' })).toBe(sig);
  });

  it('puts the additional header list on its own line', () => {
    const withHost = { ...request, headers: { ...request.headers, host: 'bucket.oss-cn-hangzhou.aliyuncs.com' } };
    const lines = canonicalRequestV4(withHost, ['abc', 'host']).split('\n');
    expect(lines.slice(3, 10)).toEqual([
      'abc:value',
      'content-type:text/plain',
      'host:bucket.oss-cn-hangzhou.aliyuncs.com',
      'x-oss-content-sha256:UNSIGNED-PAYLOAD',
      'x-oss-date:20231216T162057Z',
      'x-oss-head1:value',
      '',
    ]);
    expect(lines.slice(10)).toEqual(['abc;host', 'UNSIGNED-PAYLOAD']);
  });
});

describe('signV4', () => {
  const now = new Date(1702743657_000);
  const base: SigningRequest = { method: 'GET', bucket: 'b', key: 'k', query: {}, headers: {} };

  it('adds x-oss-date, x-oss-content-sha256 and authorization, and signs them', () => {
    const added = signV4(base, creds, { now, region: 'cn-hangzhou' });
    expect(added['x-oss-date']).toBe('20231216T162057Z');
    expect(added['x-oss-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    const signed = { ...base, headers: { ...added } };
    delete (signed.headers as Record<string, string>).authorization;
    const sig = computeSignatureV4(signed, { secret: 'sk', isoDate: '20231216T162057Z', region: 'cn-hangzhou' });
    expect(added.authorization).toBe(
      `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=${sig}`,
    );
    expect(Object.keys(added).sort()).toEqual(['authorization', 'x-oss-content-sha256', 'x-oss-date']);
  });

  it('adds and signs x-oss-security-token for STS credentials', () => {
    const added = signV4(base, { ...creds, securityToken: 'tok' }, { now, region: 'cn-hangzhou' });
    expect(added['x-oss-security-token']).toBe('tok');
    const plain = signV4({ ...base, headers: { 'x-oss-security-token': 'tok' } }, creds, { now, region: 'cn-hangzhou' });
    expect(added.authorization).toBe(plain.authorization);
  });

  it('keeps a well-formed x-oss-date already on the request', () => {
    const added = signV4({ ...base, headers: { 'x-oss-date': '20200101T000000Z' } }, creds, { now, region: 'cn-hangzhou' });
    expect(added['x-oss-date']).toBeUndefined();
    expect(added.authorization).toContain('Credential=ak/20200101/cn-hangzhou/');
  });

  it('replaces a malformed x-oss-date instead of signing it', () => {
    const added = signV4({ ...base, headers: { 'X-OSS-Date': 'yesterday' } }, creds, { now, region: 'cn-hangzhou' });
    expect(added['x-oss-date']).toBe('20231216T162057Z');
    expect(added.authorization).toBe(signV4(base, creds, { now, region: 'cn-hangzhou' }).authorization);
  });

  it('omits AdditionalHeaders when none survive normalisation', () => {
    const added = signV4(base, creds, { now, region: 'cn-hangzhou', additionalHeaders: ['x-oss-meta-a', 'missing'] });
    expect(added.authorization).not.toContain('AdditionalHeaders');
  });

  it('signs mixed-case header names as their lower-case merge, with the headers it adds', () => {
    const headers = { 'X-OSS-Meta-A': ' 1 ', 'x-oss-meta-a': '2', 'Content-Type': 'text/plain', Host: 'h' };
    const added = signV4({ ...base, headers }, { ...creds, securityToken: 'tok' }, { now, region: 'cn-hangzhou', additionalHeaders: ['host'] });
    const { authorization, ...signedHeaders } = added;
    const lower = { 'x-oss-meta-a': '1,2', 'content-type': 'text/plain', host: 'h', ...signedHeaders };
    const sig = computeSignatureV4({ ...base, headers: lower }, { secret: 'sk', isoDate: '20231216T162057Z', region: 'cn-hangzhou', additionalHeaders: ['host'] });
    expect(authorization).toBe(
      `OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=host,Signature=${sig}`,
    );
    expect(canonicalHeadersV4(lower, ['host'])).toBe(
      'content-type:text/plain\nhost:h\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\n' +
        'x-oss-meta-a:1,2\nx-oss-security-token:tok\n',
    );
  });

  it('does not mutate the request', () => {
    const req: SigningRequest = { method: 'PUT', bucket: 'b', key: 'k', query: { a: '1' }, headers: { 'x-oss-meta-a': '1' } };
    const copy = structuredClone(req);
    signV4(req, { ...creds, securityToken: 't' }, { now, region: 'cn-hangzhou', additionalHeaders: ['x-oss-meta-a'] });
    expect(req).toEqual(copy);
  });
});

describe('presignV4', () => {
  const now = new Date(1702781677_000);
  const base: SigningRequest = { method: 'GET', bucket: 'b', key: 'dir/a b.txt', query: { 'x-oss-process': 'image/resize,w_100' }, headers: {} };

  it('signs every presign parameter except x-oss-signature, which comes last (§4)', () => {
    const q = presignV4(base, { ...creds, securityToken: 'tok' }, { now, region: 'cn-hangzhou', expires: 3600 });
    expect(Object.keys(q)).toEqual([
      'x-oss-signature-version',
      'x-oss-credential',
      'x-oss-date',
      'x-oss-expires',
      'x-oss-security-token',
      'x-oss-signature',
    ]);
    const { 'x-oss-signature': signature, ...signedParams } = q;
    const full = { ...base, query: { ...base.query, ...signedParams } };
    const canonical = canonicalRequestV4(full, []);
    expect(canonical.split('\n')[2]).toBe(
      'x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z' +
        '&x-oss-expires=3600&x-oss-process=image%2Fresize%2Cw_100&x-oss-security-token=tok' +
        '&x-oss-signature-version=OSS4-HMAC-SHA256',
    );
    // No x-oss-date/x-oss-content-sha256 header is invented: the headers block is empty.
    expect(canonical.split('\n')[3]).toBe('');
    expect(signature).toBe(computeSignatureV4(full, { secret: 'sk', isoDate: '20231217T025437Z', region: 'cn-hangzhou' }));
  });

  it('accepts the limits 1 and 604800 and refuses values outside them', () => {
    expect(presignV4(base, creds, { now, region: 'r', expires: 1 })['x-oss-expires']).toBe('1');
    expect(presignV4(base, creds, { now, region: 'r', expires: 604800 })['x-oss-expires']).toBe('604800');
    for (const expires of [0, -5, 604801, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      let caught: unknown;
      try {
        presignV4(base, { accessKeyId: 'ak', accessKeySecret: 'SECRET', securityToken: 'TOKEN' }, { now, region: 'r', expires });
      } catch (err) {
        caught = err;
      }
      expect(isOssClientError(caught, 'InvalidArgument'), `expires ${expires}`).toBe(true);
      expect((caught as Error).message).not.toMatch(/SECRET|TOKEN/);
    }
  });

  it('signs the query it is given merged with its own parameters, which win a clash of names', () => {
    // Names an Object.prototype also has, and a caller copy of a presign parameter.
    const query = { toString: 'a', constructor: '', 'x-oss-date': 'bogus', 'x-oss-expires': '1', Z: 'upper' };
    const req = { ...base, query, headers: { 'content-type': 'text/plain', host: 'h' } };
    const q = presignV4(req, creds, { now, region: 'cn-hangzhou', expires: 60, additionalHeaders: ['host'] });
    const { 'x-oss-signature': signature, ...signedParams } = q;
    const full = { ...req, query: { ...query, ...signedParams } };
    expect(full.query['x-oss-date']).toBe('20231217T025437Z');
    expect(canonicalRequestV4(full, ['host']).split('\n')[2]).toBe(
      'Z=upper&constructor&toString=a&x-oss-additional-headers=host' +
        '&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z' +
        '&x-oss-expires=60&x-oss-signature-version=OSS4-HMAC-SHA256',
    );
    expect(signature).toBe(
      computeSignatureV4(full, { secret: 'sk', isoDate: '20231217T025437Z', region: 'cn-hangzhou', additionalHeaders: ['host'] }),
    );
  });

  it('follows a credentials object whose access key id changes', () => {
    const mutable = { ...creds };
    expect(presignV4(base, mutable, { now, region: 'r', expires: 60 })['x-oss-credential']).toBe('ak/20231217/r/oss/aliyun_v4_request');
    mutable.accessKeyId = 'ak2';
    const q = presignV4(base, mutable, { now, region: 'r', expires: 60 });
    expect(q['x-oss-credential']).toBe('ak2/20231217/r/oss/aliyun_v4_request');
    expect(q['x-oss-signature']).toBe(presignV4(base, { ...mutable }, { now, region: 'r', expires: 60 })['x-oss-signature']);
  });

  it('lists normalised additional headers in x-oss-additional-headers', () => {
    const req = { ...base, headers: { host: 'b.example.com', 'x-oss-meta-a': '1' } };
    const q = presignV4(req, creds, { now, region: 'cn-hangzhou', expires: 60, additionalHeaders: ['Host', 'x-oss-meta-a'] });
    expect(q['x-oss-additional-headers']).toBe('host');
  });
});
