import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { verifyCallback } from '../../src/handoff/verify-callback.node.js';

// docs/protocol.md, "Upload callbacks", vector CB-1: the official documentation's example callback and the published
// gosspublic key (callback_pub_key_v1.pem).
const GOSS_PUBLIC_PEM = `-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKs/JBGzwUB2aVht4crBx3oIPBLNsjGs
C0fTXv+nvlmklvkcolvpvXLTjaxUHR3W9LXxQ2EHXAJfCB+6H2YF1k8CAwEAAQ==
-----END PUBLIC KEY-----
`;
const CB1 = {
  url: '/index.php?id=1&index=2',
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    authorization: 'kKQeGTRccDKyHB3H9vF+xYMSrmhMZjzzl2/kdD1ktNVgbWEfYTQG0G2SU/RaHBovRCE8OkQDjC3uG33esH2txA==',
    'x-oss-pub-key-url': 'aHR0cDovL2dvc3NwdWJsaWMuYWxpY2RuLmNvbS9jYWxsYmFja19wdWJfa2V5X3YxLnBlbQ==',
  },
  body: 'bucket=yonghu-test',
};

function keyServer(pem: string): typeof fetch & { calls: string[] } {
  const calls: string[] = [];
  const fn = vi.fn(async (input: string | URL | Request) => {
    calls.push(String(input));
    return new Response(pem, { status: 200 });
  });
  return Object.assign(fn as unknown as typeof fetch, { calls });
}

describe('verifyCallback with the documented example (CB-1)', () => {
  it('accepts the official example with the gosspublic key given as publicKey', async () => {
    expect(await verifyCallback(CB1, { publicKey: GOSS_PUBLIC_PEM })).toBe(true);
  });

  it('fetches the key named with http:// over HTTPS from the trusted default host, and caches it', async () => {
    const fetchKey = keyServer(GOSS_PUBLIC_PEM);
    expect(await verifyCallback(CB1, { fetch: fetchKey })).toBe(true);
    expect(await verifyCallback({ ...CB1, body: new TextEncoder().encode(CB1.body) }, { fetch: fetchKey })).toBe(true);
    expect(fetchKey.calls).toEqual(['https://gosspublic.alicdn.com/callback_pub_key_v1.pem']);
  });

  it('reads Headers objects and header names in any case', async () => {
    const headers = new Headers({ Authorization: CB1.headers.authorization, 'X-OSS-Pub-Key-Url': CB1.headers['x-oss-pub-key-url'] });
    expect(await verifyCallback({ ...CB1, headers }, { publicKey: GOSS_PUBLIC_PEM })).toBe(true);
    const upper = { AUTHORIZATION: CB1.headers.authorization };
    expect(await verifyCallback({ ...CB1, headers: upper }, { publicKey: GOSS_PUBLIC_PEM })).toBe(true);
  });

  it('accepts an absolute URL', async () => {
    expect(await verifyCallback({ ...CB1, url: 'http://121.43.113.8/index.php?id=1&index=2' }, { publicKey: GOSS_PUBLIC_PEM })).toBe(true);
  });

  it('refuses a tampered body, path or query', async () => {
    const opts = { publicKey: GOSS_PUBLIC_PEM };
    expect(await verifyCallback({ ...CB1, body: 'bucket=yonghu-tesT' }, opts)).toBe(false);
    expect(await verifyCallback({ ...CB1, url: '/index.php?id=1&index=3' }, opts)).toBe(false);
    expect(await verifyCallback({ ...CB1, url: '/index.php' }, opts)).toBe(false);
  });

  it('refuses a key URL outside the trusted prefixes without fetching it', async () => {
    const fetchKey = keyServer(GOSS_PUBLIC_PEM);
    const evil = Buffer.from('http://gosspublic.alicdn.com.evil.example/key.pem').toString('base64');
    const request = { ...CB1, headers: { ...CB1.headers, 'x-oss-pub-key-url': evil } };
    expect(await verifyCallback(request, { fetch: fetchKey })).toBe(false);
    expect(fetchKey.calls).toEqual([]);
  });

  it('returns false, never throws, on malformed input', async () => {
    const opts = { publicKey: GOSS_PUBLIC_PEM };
    expect(await verifyCallback({ ...CB1, headers: {} }, opts)).toBe(false);
    expect(await verifyCallback({ ...CB1, headers: { authorization: '%%%not base64' } }, opts)).toBe(false);
    expect(await verifyCallback({ ...CB1, url: '/bad%E0%A4%A.php' }, opts)).toBe(false);
    expect(await verifyCallback(CB1, { publicKey: 'not a pem' })).toBe(false);
    expect(await verifyCallback({ ...CB1, headers: { authorization: CB1.headers.authorization } }, {})).toBe(false);
    // A key URL that answers 404 (a URL not fetched before, so nothing is cached for it).
    const failing = vi.fn(async () => new Response('nope', { status: 404 })) as unknown as typeof fetch;
    const otherKey = Buffer.from('http://gosspublic.alicdn.com/missing.pem').toString('base64');
    const request = { ...CB1, headers: { ...CB1.headers, 'x-oss-pub-key-url': otherKey } };
    expect(await verifyCallback(request, { fetch: failing })).toBe(false);
    expect(failing).toHaveBeenCalledTimes(1);
  });
});

describe('verifyCallback with a fresh key', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyUrl = 'http://127.0.0.1:1/__osskit/key.pem';

  function signed(path: string, query: string, body: string): { url: string; headers: Record<string, string>; body: string } {
    const decoded = decodeURIComponent(path);
    const signature = sign('RSA-MD5', Buffer.from(`${decoded}${query}\n${body}`), privateKey).toString('base64');
    return {
      url: path + query,
      headers: { authorization: signature, 'x-oss-pub-key-url': Buffer.from(keyUrl).toString('base64') },
      body,
    };
  }

  it('decodes the path but keeps the query raw', async () => {
    const request = signed('/cb/%E4%B8%AD%20x', '?a=%20b&c', '{"k":"v"}');
    const fetchKey = keyServer(pem);
    expect(await verifyCallback(request, { fetch: fetchKey, trustedKeyUrlPrefixes: ['http://127.0.0.1:1/'] })).toBe(true);
    // The default prefixes do not trust this key URL.
    expect(await verifyCallback(request, { fetch: fetchKey })).toBe(false);
  });
});
