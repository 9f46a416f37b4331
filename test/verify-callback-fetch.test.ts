/**
 * How verifyCallback fetches the public key (src/verify-callback.node.ts): a refused answer's body is
 * released, and redirects are followed only within the trusted prefixes.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyCallback } from '../src/verify-callback.node.js';

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
    let route = routes[url] ?? { status: 404, body: 'missing' };
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
    const headers = route.location ? { location: route.location } : undefined;
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
