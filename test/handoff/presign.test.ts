/**
 * presign() without a server: URL shape, limits, credentials, and byte-for-byte agreement with the
 * official ali-oss client (our oracle) at a frozen clock.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import { presign, type PresignConfig } from '../../src/handoff/presign.js';

const require = createRequire(import.meta.url);
interface AliOss {
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(
    method: string,
    expires: number,
    request?: { headers?: Record<string, string>; queries?: Record<string, string> },
    objectName?: string,
  ): Promise<string>;
}
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => AliOss;

const creds = { accessKeyId: 'LTAIexample', accessKeySecret: 'secret/with+chars=' };
const NOW = new Date('2024-03-05T06:07:08Z');
const config: PresignConfig = { region: 'cn-hangzhou', bucket: 'examplebucket', credentials: creds, now: () => NOW };

function params(url: string): URLSearchParams {
  return new URL(url).searchParams;
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
  return (error as Error).message;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('presign v4', () => {
  it('builds a virtual-hosted URL with the V4 query parameters and returns what to send', async () => {
    const out = await presign(config, {
      key: 'dir/a b+c.txt',
      method: 'PUT',
      expires: 600,
      headers: { 'Content-Type': 'text/plain', 'x-oss-meta-Owner': 'me' },
    });
    const url = new URL(out.url);
    expect(url.host).toBe('examplebucket.oss-cn-hangzhou.aliyuncs.com');
    expect(url.pathname).toBe('/dir/a%20b%2Bc.txt');
    const q = url.searchParams;
    expect(q.get('x-oss-signature-version')).toBe('OSS4-HMAC-SHA256');
    expect(q.get('x-oss-credential')).toBe('LTAIexample/20240305/cn-hangzhou/oss/aliyun_v4_request');
    expect(q.get('x-oss-date')).toBe('20240305T060708Z');
    expect(q.get('x-oss-expires')).toBe('600');
    expect(q.get('x-oss-signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(out.method).toBe('PUT');
    expect(out.headers).toEqual({ 'content-type': 'text/plain', 'x-oss-meta-owner': 'me' });
    expect(out.expiration.toISOString()).toBe('2024-03-05T06:17:08.000Z');
  });

  it('defaults to GET and 900 seconds', async () => {
    const out = await presign(config, { key: 'k' });
    expect(out.method).toBe('GET');
    expect(params(out.url).get('x-oss-expires')).toBe('900');
    expect(out.expiration.getTime() - NOW.getTime()).toBe(900_000);
    expect(out.headers).toEqual({});
  });

  it('signs the same URL as ali-oss signatureUrlV4 (GET with response overrides and x-oss-process)', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const queries = { 'response-content-disposition': 'attachment; filename="a b.txt"', 'x-oss-process': 'image/resize,w_100' };
    const ours = await presign({ ...config, now: undefined }, { key: 'photos/中文.jpg', expires: 3600, query: queries });
    const ali = new OSS({ region: 'oss-cn-hangzhou', bucket: 'examplebucket', ...creds, authorizationV4: true });
    const theirs = await ali.signatureUrlV4('GET', 3600, { queries }, 'photos/中文.jpg');
    for (const name of ['x-oss-signature', 'x-oss-credential', 'x-oss-date', 'x-oss-expires']) {
      expect(params(ours.url).get(name), name).toBe(params(theirs).get(name));
    }
    expect(new URL(ours.url).pathname).toBe(new URL(theirs).pathname);
  });

  it('signs the same URL as ali-oss for a PUT with signed headers and an STS token', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const sts = { ...creds, securityToken: 'CAIS+token/==' };
    const headers = { 'content-type': 'image/png', 'x-oss-storage-class': 'IA', 'x-oss-meta-a': '1' };
    const ours = await presign({ ...config, credentials: sts, now: undefined }, { key: 'k.png', method: 'PUT', headers });
    const ali = new OSS({ region: 'oss-cn-hangzhou', bucket: 'examplebucket', ...creds, stsToken: sts.securityToken });
    const theirs = await ali.signatureUrlV4('PUT', 900, { headers }, 'k.png');
    expect(params(ours.url).get('x-oss-security-token')).toBe('CAIS+token/==');
    expect(params(ours.url).get('x-oss-signature')).toBe(params(theirs).get('x-oss-signature'));
    expect(ours.headers).toEqual(headers);
  });

  it('refuses expiry outside 1…604800 seconds', async () => {
    for (const expires of [0, -5, 1.5, 604_801, Number.NaN]) {
      await refusal(presign(config, { key: 'k', expires }));
    }
    const max = await presign(config, { key: 'k', expires: 604_800 });
    expect(params(max.url).get('x-oss-expires')).toBe('604800');
  });
});

describe('presign v1', () => {
  const v1: PresignConfig = { ...config, signatureVersion: 'v1' };

  it('puts OSSAccessKeyId, absolute Expires and Signature in the URL', async () => {
    const out = await presign(v1, { key: 'a.txt', expires: 60 });
    const q = params(out.url);
    expect(q.get('OSSAccessKeyId')).toBe('LTAIexample');
    expect(q.get('Expires')).toBe(String(NOW.getTime() / 1000 + 60));
    expect(q.get('Signature')).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect(out.expiration.getTime()).toBe(NOW.getTime() + 60_000);
  });

  it('matches ali-oss signatureUrl, including the STS security-token sub-resource and response overrides', async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    const sts = { ...creds, securityToken: 'tok en/+=' };
    const ours = await presign(
      { ...v1, credentials: sts, now: undefined },
      {
        key: 'dir/file name.txt',
        method: 'PUT',
        expires: 1800,
        headers: { 'Content-Type': 'text/plain', 'x-oss-meta-x': 'y' },
        query: { 'response-content-type': 'text/csv' },
      },
    );
    const ali = new OSS({ region: 'oss-cn-hangzhou', bucket: 'examplebucket', ...creds, stsToken: sts.securityToken });
    const theirs = ali.signatureUrl('dir/file name.txt', {
      method: 'PUT',
      expires: 1800,
      'Content-Type': 'text/plain',
      'x-oss-meta-x': 'y',
      response: { 'content-type': 'text/csv' },
    });
    for (const name of ['Signature', 'Expires', 'security-token', 'response-content-type']) {
      expect(params(ours.url).get(name), name).toBe(params(theirs).get(name));
    }
  });

  it('accepts long V1 lifetimes but refuses non-positive and absurd ones', async () => {
    const year = await presign(v1, { key: 'k', expires: 365 * 86_400 });
    expect(year.expiration.getUTCFullYear()).toBe(2025);
    for (const expires of [0, -1, 0.5, 1e13, Number.POSITIVE_INFINITY]) {
      await refusal(presign(v1, { key: 'k', expires }));
    }
  });
});

describe('presign inputs and credentials', () => {
  it('awaits a credentials provider (STS-style) and refuses to outlive the token', async () => {
    const provider = vi.fn(async () => ({ ...creds, securityToken: 'T', expiration: new Date(NOW.getTime() + 1_000_000) }));
    const out = await presign({ ...config, credentials: provider }, { key: 'k', expires: 900 });
    expect(provider).toHaveBeenCalledTimes(1);
    expect(params(out.url).get('x-oss-security-token')).toBe('T');
    const message = await refusal(presign({ ...config, credentials: provider }, { key: 'k', expires: 1001 }));
    expect(message).not.toContain('T,');
    await refusal(presign({ ...config, signatureVersion: 'v1', credentials: provider }, { key: 'k', expires: 1001 }));
  });

  it('turns a failing provider into CredentialsError', async () => {
    const error = await presign({ ...config, credentials: async () => Promise.reject(new Error('boom')) }, { key: 'k' }).catch(
      (e: unknown) => e,
    );
    expect(isOssClientError(error, 'CredentialsError')).toBe(true);
  });

  it('signs a callback in as x-oss-callback headers and returns them', async () => {
    const callback = { url: 'https://app.example/cb', body: 'object=${object}', vars: { 'x:uid': '7' } };
    const out = await presign(config, { key: 'k', method: 'PUT', callback });
    expect(JSON.parse(Buffer.from(out.headers['x-oss-callback']!, 'base64').toString())).toEqual({
      callbackUrl: 'https://app.example/cb',
      callbackBody: 'object=${object}',
    });
    expect(JSON.parse(Buffer.from(out.headers['x-oss-callback-var']!, 'base64').toString())).toEqual({ 'x:uid': '7' });
    const plain = await presign(config, { key: 'k', method: 'PUT' });
    expect(params(out.url).get('x-oss-signature')).not.toBe(params(plain.url).get('x-oss-signature'));
  });

  it('uses path style for an IP endpoint and keeps bare query keys', async () => {
    const out = await presign({ ...config, endpoint: 'http://127.0.0.1:9000' }, { key: 'a/b', query: { versionId: 'v1', acl: '' } });
    expect(out.url.startsWith('http://127.0.0.1:9000/examplebucket/a/b?versionId=v1&acl&x-oss-signature-version=')).toBe(true);
  });

  it('refuses bad input before signing, without secrets in the message', async () => {
    const messages = [
      await refusal(presign(config, { key: '' })),
      await refusal(presign({ ...config, bucket: undefined }, { key: 'k' })),
      await refusal(presign(config, { key: 'k', bucket: 'Bad_Bucket' })),
      await refusal(presign(config, { key: 'k', method: 'PATCH' as 'GET' })),
      await refusal(presign(config, { key: 'k', query: { 'x-oss-signature': 'forged' } })),
      await refusal(presign(config, { key: 'k', query: { Expires: '1' } })),
    ];
    for (const message of messages) expect(message).not.toContain(creds.accessKeySecret);
  });

  it('never touches the network', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('no network in presign'));
    try {
      await presign({ ...config, now: undefined }, { key: 'k', method: 'DELETE' });
      await presign({ ...config, signatureVersion: 'v1' }, { key: 'k', method: 'HEAD' });
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
