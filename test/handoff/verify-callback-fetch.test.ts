/**
 * How verifyCallback fetches the public key (src/handoff/verify-callback.node.ts): a refused answer's body is
 * released, and redirects are followed only within the trusted prefixes.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PUBLIC_KEY_BYTES, callbackKeyCacheSize, verifyCallback } from '../../src/handoff/verify-callback.node.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const TRUSTED = 'https://keys.example/';

/** A callback request signed with the fresh key, naming `keyUrl` as its public key. */
function signedCallback(keyUrl: string) {
  const url = '/cb?id=1';
  const body = 'object=a.txt';
  const signature = sign('RSA-MD5', Buffer.from(`/cb?id=1\n${body}`), privateKey).toString('base64');
  return {
    url,
    body,
    headers: { authorization: signature, 'x-oss-pub-key-url': Buffer.from(keyUrl).toString('base64') },
  };
}

interface Served {
  status: number;
  body?: string;
  location?: string;
  /** Declared Content-Length (the stream itself never declares one). */
  length?: number;
}

/**
 * A fake fetch answering per URL; like real fetch it follows redirects itself unless asked for
 * `redirect: 'manual'`. It records the URLs asked for and which unread bodies were cancelled.
 */
function fakeFetch(routes: Record<string, Served>) {
  const calls: string[] = [];
  const cancelled: string[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let url = String(input);
    calls.push(url);
    let route = routes[url] ?? routes['*'] ?? { status: 404, body: 'missing' };
    while (init?.redirect !== 'manual' && route.location) {
      url = route.location;
      calls.push(url);
      route = routes[url] ?? { status: 404, body: 'missing' };
    }
    const text = route.body ?? '';
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
      cancel() {
        cancelled.push(url);
      },
    });
    const headers: Record<string, string> = route.location ? { location: route.location } : {};
    if (route.length !== undefined) headers['content-length'] = String(route.length);
    return new Response(body, { status: route.status, headers });
  };
  return { fetch: fn as typeof fetch, calls, cancelled };
}

describe('verifyCallback key fetching', () => {
  it('cancels the body of a refused key answer (the connection is released)', async () => {
    const keyUrl = `${TRUSTED}gone-${Math.random()}.pem`;
    const served = fakeFetch({ [keyUrl]: { status: 500, body: 'oops' } });
    expect(await verifyCallback(signedCallback(keyUrl), { trustedKeyUrlPrefixes: [TRUSTED], fetch: served.fetch })).toBe(false);
    expect(served.cancelled).toEqual([keyUrl]);
  });

  it('follows a redirect that stays under a trusted prefix', async () => {
    const keyUrl = `${TRUSTED}moved-${Math.random()}.pem`;
    const target = `${TRUSTED}current.pem`;
    const served = fakeFetch({ [keyUrl]: { status: 301, location: target }, [target]: { status: 200, body: PEM } });
    expect(await verifyCallback(signedCallback(keyUrl), { trustedKeyUrlPrefixes: [TRUSTED], fetch: served.fetch })).toBe(true);
    expect(served.calls).toEqual([keyUrl, target]);
  });

  it('refuses a redirect out of the trusted prefixes without fetching its target', async () => {
    const keyUrl = `${TRUSTED}open-redirect-${Math.random()}.pem`;
    const evil = 'https://attacker.example/key.pem';
    const served = fakeFetch({ [keyUrl]: { status: 302, location: evil }, [evil]: { status: 200, body: PEM } });
    expect(await verifyCallback(signedCallback(keyUrl), { trustedKeyUrlPrefixes: [TRUSTED], fetch: served.fetch })).toBe(false);
    expect(served.calls).toEqual([keyUrl]);
  });
});

describe('verifyCallback key cache (issue 10 item 10)', () => {
  it('fetches a key URL once however the query of forged requests varies (3,000 requests)', async () => {
    const keyUrl = `${TRUSTED}forged-${Math.random()}.pem`;
    const served = fakeFetch({ [keyUrl]: { status: 200, body: PEM } });
    const options = { trustedKeyUrlPrefixes: [TRUSTED], fetch: served.fetch };
    const results = await Promise.all(
      Array.from({ length: 3000 }, (_, i) => verifyCallback(signedCallback(`${keyUrl}?r=${i}#f${i}`), options)),
    );
    expect(results.every((ok) => ok)).toBe(true);
    expect(served.calls).toEqual([keyUrl]);
    expect(callbackKeyCacheSize()).toBeLessThanOrEqual(32);
  });

  it('keeps at most 32 keys however many key URLs are named', async () => {
    const served = fakeFetch({ '*': { status: 200, body: PEM } });
    const options = { trustedKeyUrlPrefixes: [TRUSTED], fetch: served.fetch };
    for (let i = 0; i < 200; i++) {
      expect(await verifyCallback(signedCallback(`${TRUSTED}many-${i}-${Math.random()}.pem`), options)).toBe(true);
    }
    expect(served.calls).toHaveLength(200);
    expect(callbackKeyCacheSize()).toBe(32);
  });

  it('keeps the key in use while other URLs come and go (least recently used is dropped)', async () => {
    const hot = `${TRUSTED}hot-${Math.random()}.pem`;
    const served = fakeFetch({ '*': { status: 200, body: PEM } });
    const options = { trustedKeyUrlPrefixes: [TRUSTED], fetch: served.fetch };
    for (let i = 0; i < 100; i++) {
      expect(await verifyCallback(signedCallback(hot), options)).toBe(true);
      expect(await verifyCallback(signedCallback(`${TRUSTED}cold-${i}-${Math.random()}.pem`), options)).toBe(true);
    }
    expect(served.calls.filter((url) => url === hot)).toHaveLength(1);
  });

  it(`refuses a key answer bigger than ${MAX_PUBLIC_KEY_BYTES} bytes, streamed or declared`, async () => {
    const padded = `${'#'.repeat(MAX_PUBLIC_KEY_BYTES)}\n${PEM}`;
    const streamed = `${TRUSTED}big-${Math.random()}.pem`;
    const declared = `${TRUSTED}declared-${Math.random()}.pem`;
    const served = fakeFetch({
      [streamed]: { status: 200, body: padded },
      [declared]: { status: 200, body: PEM, length: MAX_PUBLIC_KEY_BYTES + 1 },
    });
    const options = { trustedKeyUrlPrefixes: [TRUSTED], fetch: served.fetch };
    expect(await verifyCallback(signedCallback(streamed), options)).toBe(false);
    expect(await verifyCallback(signedCallback(declared), options)).toBe(false);
    expect(served.cancelled).toEqual([declared]);
    // Not cached: the next try fetches again.
    expect(await verifyCallback(signedCallback(streamed), options)).toBe(false);
    expect(served.calls.filter((url) => url === streamed)).toHaveLength(2);
  });
});

describe('verifyCallback trusted prefixes (issue 10 item 11)', () => {
  it('trusts only HTTPS by default: an http:// key URL of OSS is fetched over HTTPS', async () => {
    const path = `callback_pub_key_${Math.random()}.pem`;
    const served = fakeFetch({ [`https://gosspublic.alicdn.com/${path}`]: { status: 200, body: PEM } });
    expect(await verifyCallback(signedCallback(`http://gosspublic.alicdn.com/${path}`), { fetch: served.fetch })).toBe(true);
    expect(served.calls).toEqual([`https://gosspublic.alicdn.com/${path}`]);
  });

  it('refuses look-alike hosts, other ports and user info tricks with the default prefixes, without fetching', async () => {
    const served = fakeFetch({ '*': { status: 200, body: PEM } });
    for (const url of [
      'https://gosspublic.alicdn.com.evil.example/key.pem',
      'https://gosspublic.alicdn.com:444/key.pem',
      'http://gosspublic.alicdn.com:8080/key.pem',
      'https://evil.example/gosspublic.alicdn.com/key.pem',
      'https://gosspublic.alicdn.com@evil.example/key.pem',
      'ftp://gosspublic.alicdn.com/key.pem',
    ]) {
      expect(await verifyCallback(signedCallback(url), { fetch: served.fetch }), url).toBe(false);
    }
    expect(served.calls).toEqual([]);
  });

  it('compares a prefix without a trailing slash by origin and whole path segments', async () => {
    const served = fakeFetch({ '*': { status: 200, body: PEM } });
    const options = { trustedKeyUrlPrefixes: ['https://keys.example/pubkey'], fetch: served.fetch };
    const id = Math.random();
    expect(await verifyCallback(signedCallback(`https://keys.example/pubkey/k-${id}.pem`), options)).toBe(true);
    for (const url of [
      `https://keys.example/pubkeyX/k-${id}.pem`,
      `https://keys.example.evil.example/pubkey/k-${id}.pem`,
      `https://keys.example:444/pubkey/k-${id}.pem`,
      `https://keys.example/pubkey/../other/k-${id}.pem`,
    ]) {
      expect(await verifyCallback(signedCallback(url), options), url).toBe(false);
    }
    expect(served.calls).toEqual([`https://keys.example/pubkey/k-${id}.pem`]);
    // A host-only prefix without a slash does not extend to a longer host name either.
    const hostOnly = { trustedKeyUrlPrefixes: ['https://keys.example'], fetch: served.fetch };
    expect(await verifyCallback(signedCallback(`https://keys.example.evil.example/k-${id}.pem`), hostOnly)).toBe(false);
    expect(served.calls).toHaveLength(1);
  });

  it('fetches over plain HTTP only from a prefix the caller lists with http://', async () => {
    const keyUrl = `http://127.0.0.1:9/optin-${Math.random()}.pem`;
    const served = fakeFetch({ [keyUrl]: { status: 200, body: PEM } });
    expect(await verifyCallback(signedCallback(keyUrl), { fetch: served.fetch })).toBe(false);
    expect(await verifyCallback(signedCallback(keyUrl), { trustedKeyUrlPrefixes: ['http://127.0.0.1:9/'], fetch: served.fetch })).toBe(true);
    expect(served.calls).toEqual([keyUrl]);
  });
});
