import { describe, expect, it } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import {
  canonicalizedOssHeadersV1,
  canonicalizedResourceV1,
  formatRfc1123,
  presignV1,
  signatureV1,
  signV1,
  stringToSignV1,
} from '../../src/signer/v1.js';
import type { SigningRequest } from '../../src/signer/types.js';
import vectors from '../fixtures/signer-vectors.json' with { type: 'json' };

interface V1HeaderVector {
  name: string;
  credentials: { accessKeyId: string; accessKeySecret: string };
  request: SigningRequest;
  stringToSign: string;
  authorization: string;
}
interface V1QueryVector {
  name: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  request: SigningRequest;
  nowUnix: number;
  expires: number;
  query: Record<string, string>;
}

const creds = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const now = new Date('2022-12-28T10:27:41Z');
const DATE = 'Wed, 28 Dec 2022 10:27:41 GMT';

describe('V1 published vectors', () => {
  for (const v of vectors.v1Header as unknown as V1HeaderVector[]) {
    it(`header: ${v.name}`, () => {
      const dateLine = v.request.headers['x-oss-date'] ?? v.request.headers['date']!;
      expect(stringToSignV1(v.request, dateLine)).toBe(v.stringToSign);
      // The clock must not matter when the request already carries its date.
      const added = signV1(v.request, v.credentials, { now: new Date(0) });
      expect(added).toEqual({ authorization: v.authorization });
    });
  }
  for (const v of vectors.v1Query as unknown as V1QueryVector[]) {
    it(`url: ${v.name}`, () => {
      const added = presignV1(v.request, v.credentials, { now: new Date(v.nowUnix * 1000), expires: v.expires });
      expect(added).toEqual(v.query);
    });
  }
});

describe('canonicalizedOssHeadersV1', () => {
  it('keeps only x-oss-*, lower-cases, trims and byte-sorts', () => {
    const out = canonicalizedOssHeadersV1({
      'X-OSS-Meta-B': ' 2 ',
      'x-oss-meta-a': '1',
      'x-oss-meta-a-1': 'x',
      'x-oss-meta-a_1': 'y',
      'content-type': 'text/plain',
      host: 'h',
      'x-ossfake': 'no',
    });
    expect(out).toBe('x-oss-meta-a:1\nx-oss-meta-a-1:x\nx-oss-meta-a_1:y\nx-oss-meta-b:2\n');
  });

  it('is empty when there are no x-oss headers', () => {
    expect(canonicalizedOssHeadersV1({ 'content-type': 'a' })).toBe('');
  });

  it('joins names that differ only in case with a comma', () => {
    expect(canonicalizedOssHeadersV1({ 'x-oss-meta-n': 'TaoBao', 'X-Oss-Meta-N': 'Alipay' })).toBe(
      'x-oss-meta-n:TaoBao,Alipay\n',
    );
  });
});

describe('canonicalizedResourceV1', () => {
  it('service, bucket and object forms (§1.5)', () => {
    expect(canonicalizedResourceV1({ query: {} })).toBe('/');
    expect(canonicalizedResourceV1({ bucket: 'b', query: {} })).toBe('/b/');
    expect(canonicalizedResourceV1({ bucket: 'b', key: 'dir/中文 a+b.txt', query: {} })).toBe('/b/dir/中文 a+b.txt');
  });

  it('keeps allow-listed keys only, byte-sorted, raw values, bare keys for empty values', () => {
    const query = {
      uploadId: 'u 1',
      partNumber: '3',
      prefix: 'p',
      'max-keys': '10',
      marker: 'm',
      'list-type': '2',
      foo: 'bar',
      'response-content-disposition': 'attachment; filename=example.txt',
      acl: '',
      'x-oss-process': 'image/resize,w_100',
      'continuation-token': 'tok==',
    };
    expect(canonicalizedResourceV1({ bucket: 'b', key: 'k', query })).toBe(
      '/b/k?acl&continuation-token=tok==&partNumber=3&response-content-disposition=attachment; filename=example.txt' +
        '&uploadId=u 1&x-oss-process=image/resize,w_100',
    );
  });

  it('sorts in byte order, upper case before lower case', () => {
    expect(canonicalizedResourceV1({ bucket: 'b', query: { resourceGroup: '', acl: '', MetaQuery: '' } })).toBe(
      '/b/?MetaQuery&acl&resourceGroup',
    );
  });
});

describe('stringToSignV1', () => {
  it('keeps empty Content-MD5/Content-Type lines', () => {
    const req: SigningRequest = { method: 'get', bucket: 'bucket', query: { acl: '' }, headers: {} };
    expect(stringToSignV1(req, DATE)).toBe(`GET\n\n\n${DATE}\n/bucket/?acl`);
  });

  it('reads Content-MD5 and Content-Type case-insensitively', () => {
    const req: SigningRequest = {
      method: 'PUT',
      bucket: 'b',
      key: 'k',
      query: {},
      headers: { 'Content-MD5': 'eB5eJF1ptWaXm4bijSPyxw==', 'Content-Type': 'text/html' },
    };
    expect(stringToSignV1(req, DATE)).toBe(`PUT\neB5eJF1ptWaXm4bijSPyxw==\ntext/html\n${DATE}\n/b/k`);
  });
});

describe('signV1', () => {
  const base: SigningRequest = { method: 'GET', bucket: 'b', key: 'k', query: {}, headers: {} };

  it('adds x-oss-date from now and uses it as the Date line and as a canonical header (§1.3)', () => {
    const added = signV1(base, creds, { now });
    expect(added['x-oss-date']).toBe(DATE);
    const expected = signatureV1('sk', `GET\n\n\n${DATE}\nx-oss-date:${DATE}\n/b/k`);
    expect(added.authorization).toBe(`OSS ak:${expected}`);
    expect(Object.keys(added).sort()).toEqual(['authorization', 'x-oss-date']);
  });

  it('formats the RFC 1123 date with a two-digit day', () => {
    expect(formatRfc1123(new Date('2023-01-05T03:04:05Z'))).toBe('Thu, 05 Jan 2023 03:04:05 GMT');
  });

  it('uses a Date header as the Date line when no x-oss-date is present', () => {
    const added = signV1({ ...base, headers: { date: DATE } }, creds, { now: new Date(0) });
    expect(added).toEqual({ authorization: `OSS ak:${signatureV1('sk', `GET\n\n\n${DATE}\n/b/k`)}` });
  });

  it('prefers x-oss-date over Date', () => {
    const other = 'Thu, 01 Jan 1970 00:00:00 GMT';
    const added = signV1({ ...base, headers: { date: other, 'x-oss-date': DATE } }, creds, { now });
    expect(added.authorization).toBe(`OSS ak:${signatureV1('sk', `GET\n\n\n${DATE}\nx-oss-date:${DATE}\n/b/k`)}`);
  });

  it('signs the STS token as x-oss-security-token (§1.7)', () => {
    const added = signV1(base, { ...creds, securityToken: 'tok' }, { now });
    expect(added['x-oss-security-token']).toBe('tok');
    const sts = `GET\n\n\n${DATE}\nx-oss-date:${DATE}\nx-oss-security-token:tok\n/b/k`;
    expect(added.authorization).toBe(`OSS ak:${signatureV1('sk', sts)}`);
  });

  it('does not mutate the request', () => {
    const req: SigningRequest = { method: 'GET', bucket: 'b', key: 'k', query: { acl: '' }, headers: { a: '1' } };
    const copy = structuredClone(req);
    signV1(req, { ...creds, securityToken: 't' }, { now });
    expect(req).toEqual(copy);
  });
});

describe('presignV1', () => {
  const base: SigningRequest = { method: 'GET', bucket: 'b', key: 'a b/c+d.txt', query: {}, headers: {} };

  it('signs the absolute Expires in the Date line', () => {
    const q = presignV1(base, creds, { now, expires: 900 });
    const expires = String(now.getTime() / 1000 + 900);
    expect(q).toEqual({
      OSSAccessKeyId: 'ak',
      Expires: expires,
      Signature: signatureV1('sk', `GET\n\n\n${expires}\n/b/a b/c+d.txt`),
    });
  });

  it('signs security-token as a sub-resource, plus allow-listed query and request headers', () => {
    const req: SigningRequest = {
      ...base,
      method: 'PUT',
      query: { 'response-content-type': 'text/plain', prefix: 'x' },
      headers: { 'content-type': 'image/png', 'x-oss-meta-a': 'b' },
    };
    const q = presignV1(req, { ...creds, securityToken: 'to ken/+=' }, { now, expires: 60 });
    const expires = String(now.getTime() / 1000 + 60);
    const sts =
      `PUT\n\nimage/png\n${expires}\nx-oss-meta-a:b\n` +
      `/b/a b/c+d.txt?response-content-type=text/plain&security-token=to ken/+=`;
    expect(q).toEqual({ OSSAccessKeyId: 'ak', Expires: expires, Signature: signatureV1('sk', sts), 'security-token': 'to ken/+=' });
  });

  it('drops the milliseconds of now', () => {
    const q = presignV1(base, creds, { now: new Date(1_700_000_000_999), expires: 1 });
    expect(q.Expires).toBe('1700000001');
  });

  it('refuses non-positive or fractional expires without leaking secrets', () => {
    for (const expires of [0, -1, 1.5, Number.NaN]) {
      let caught: unknown;
      try {
        presignV1(base, { accessKeyId: 'ak', accessKeySecret: 'SECRET', securityToken: 'TOKEN' }, { now, expires });
      } catch (err) {
        caught = err;
      }
      expect(isOssClientError(caught, 'InvalidArgument')).toBe(true);
      expect(String((caught as Error).message)).not.toMatch(/SECRET|TOKEN/);
    }
  });
});

describe('signV1 fast path agrees with the step functions', () => {
  const creds = { accessKeyId: 'AKIDEXAMPLE', accessKeySecret: 'SECRETEXAMPLE' };
  const now = new Date('2024-03-05T06:07:08.123Z');
  const cases: { name: string; request: SigningRequest; credentials?: typeof creds & { securityToken?: string } }[] = [
    { name: 'bare GET', request: { method: 'GET', bucket: 'b', key: 'k', query: {}, headers: {} } },
    {
      name: 'mixed-case headers, sub-resources and an unsigned query key',
      request: {
        method: 'put',
        bucket: 'b',
        key: 'dir/中文 k+x',
        query: { partNumber: '2', uploadId: 'U', prefix: 'p', 'x-oss-process': 'image/resize,w_1' },
        headers: { 'Content-Type': ' text/plain ', 'CONTENT-MD5': 'abc==', 'X-OSS-Meta-B': ' 2 ', 'x-oss-meta-a': '1', 'X-Oss-Meta-A': '3' },
      },
    },
    { name: 'caller date header', request: { method: 'GET', bucket: 'b', query: { acl: '' }, headers: { Date: 'Tue, 05 Mar 2024 06:07:08 GMT' } } },
    { name: 'caller x-oss-date', request: { method: 'GET', query: {}, headers: { 'X-OSS-Date': ' Tue, 05 Mar 2024 06:00:00 GMT ' } } },
    {
      name: 'STS token',
      request: { method: 'DELETE', bucket: 'b', key: 'k', query: {}, headers: { 'x-oss-meta-z': 'z' } },
      credentials: { ...creds, securityToken: 'TOKEN' },
    },
    {
      name: 'STS token already in the request',
      request: { method: 'GET', bucket: 'b', key: 'k', query: {}, headers: { 'X-Oss-Security-Token': 'OTHER' } },
      credentials: { ...creds, securityToken: 'TOKEN' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const credentials = c.credentials ?? creds;
      const added = signV1(c.request, credentials, { now });
      const { authorization, ...rest } = added;
      const headers = { ...c.request.headers, ...rest };
      const dateLine = (rest['x-oss-date'] ?? headers['X-OSS-Date'] ?? headers['Date'])!.trim();
      const expected = signatureV1(credentials.accessKeySecret, stringToSignV1({ ...c.request, headers }, dateLine));
      expect(authorization).toBe(`OSS ${credentials.accessKeyId}:${expected}`);
    });
  }
});

describe('formatRfc1123', () => {
  it('always equals toUTCString, across seconds and back in time', () => {
    const base = Date.parse('2024-03-05T06:07:08Z');
    for (const offset of [0, 1, 999, 1000, 1001, 60_000, -1, 0, 86_400_000, 5]) {
      const date = new Date(base + offset);
      expect(formatRfc1123(date)).toBe(date.toUTCString());
    }
  });
});
