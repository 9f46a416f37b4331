import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALLBACK_PUBLIC_KEY_PATH,
  callbackPublicKeyPem,
  parseCallbackParams,
  performCallback,
  renderCallbackBody,
} from '../../src/emulator/callbacks.js';
import { EmulatorError, type EmulatorEnv } from '../../src/emulator/context.js';
import { MemoryStorage } from '../../src/emulator/storage.js';
import { base64Utf8, fromUtf8 } from '../../src/integrity/hash.js';
import { verifyCallback } from '../../src/handoff/verify-callback.node.js';

const ENDPOINT = 'http://127.0.0.1:9';
const env: EmulatorEnv = {
  storage: new MemoryStorage(),
  region: 'cn-hangzhou',
  endpoint: ENDPOINT,
  secretFor: () => undefined,
  now: () => new Date(),
  record: () => {},
};

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  verified: boolean;
}

/** An application server: verifies each callback, then answers as `answer` says. */
let app: Server;
let appUrl: string;
const received: Received[] = [];
let answer: (res: ServerResponse, r: Received) => void;

const keyFetch = (async (url: string | URL | Request) => {
  expect(String(url)).toBe(`${ENDPOINT}${CALLBACK_PUBLIC_KEY_PATH}`);
  return new Response(callbackPublicKeyPem());
}) as typeof fetch;

beforeAll(async () => {
  app = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const verified = await verifyCallback(
        { url: req.url!, headers: req.headers, body },
        { trustedKeyUrlPrefixes: [`${ENDPOINT}/`], fetch: keyFetch },
      );
      const r = { url: req.url!, headers: req.headers, body, verified };
      received.push(r);
      answer(res, r);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => app.close(() => resolve())));

const json = (res: ServerResponse, status: number, value: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
};

function cbParam(doc: Record<string, unknown>): string {
  return base64Utf8(JSON.stringify(doc));
}

const facts = { bucket: 'bkt', key: 'dir/a b.txt', etag: 'D41D8CD98F00B204E9800998ECF8427E', size: 5, mimeType: 'text/plain' };

describe('renderCallbackBody', () => {
  it('URL-encodes values in a form body', () => {
    const params = parseCallbackParams(
      cbParam({ callbackUrl: 'http://a/', callbackBody: 'b=${bucket}&o=${object}&s=${size}&m=${mimeType}&e=${etag}&v=${x:v}&h=${imageInfo.height}' }),
      base64Utf8(JSON.stringify({ 'x:v': 'a&b=c' })),
    );
    expect(renderCallbackBody(params, facts)).toBe(
      'b=bkt&o=dir%2Fa%20b.txt&s=5&m=text%2Fplain&e=D41D8CD98F00B204E9800998ECF8427E&v=a%26b%3Dc&h=',
    );
  });

  it('JSON-escapes inside strings and writes JSON values outside them', () => {
    const params = parseCallbackParams(
      cbParam({
        callbackUrl: 'http://a/',
        callbackBody: '{"o":"${object}","q":${x:q},"size":${size},"esc":"say \\"${x:q}\\""}',
        callbackBodyType: 'application/json',
      }),
      base64Utf8(JSON.stringify({ 'x:q': 'he said "hi"\n' })),
    );
    const body = renderCallbackBody(params, facts);
    expect(JSON.parse(body)).toEqual({ o: 'dir/a b.txt', q: 'he said "hi"\n', size: 5, esc: 'say "he said "hi"\n"' });
  });

  it('refuses malformed parameters with 400 InvalidArgument', () => {
    const bad = [
      'not base64 json',
      cbParam({ callbackBody: 'x' }),
      cbParam({ callbackUrl: 'http://a/', callbackBody: '' }),
      cbParam({ callbackUrl: 'http://a/', callbackBody: 'x', callbackBodyType: 'text/plain' }),
      cbParam({ callbackUrl: 'http://1/;http://2/;http://3/;http://4/;http://5/;http://6/', callbackBody: 'x' }),
    ];
    for (const value of bad) {
      expect(() => parseCallbackParams(value)).toThrow(EmulatorError);
      try {
        parseCallbackParams(value);
      } catch (err) {
        expect((err as EmulatorError).status).toBe(400);
        expect((err as EmulatorError).code).toBe('InvalidArgument');
      }
    }
  });
});

describe('performCallback', () => {
  it('signs the POST so verifyCallback accepts it, and relays the JSON answer', async () => {
    received.length = 0;
    answer = (res, r) => json(res, 200, { verified: r.verified, got: r.body });
    const outcome = await performCallback(
      {
        callback: cbParam({ callbackUrl: `${appUrl}/hook/%E4%B8%AD?x=1&y=%20`, callbackBody: 'o=${object}&u=${x:u}' }),
        callbackVar: base64Utf8(JSON.stringify({ 'x:u': 'alice' })),
        ...facts,
      },
      env,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(JSON.parse(fromUtf8(outcome.body))).toEqual({ verified: true, got: 'o=dir%2Fa%20b.txt&u=alice' });
    const [r] = received;
    expect(r!.url).toBe('/hook/%E4%B8%AD?x=1&y=%20');
    expect(r!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r!.headers['content-length']).toBe(String(Buffer.byteLength(r!.body)));
    expect(Buffer.from(String(r!.headers['x-oss-pub-key-url']), 'base64').toString()).toBe(`${ENDPOINT}${CALLBACK_PUBLIC_KEY_PATH}`);
    expect(r!.headers.date).toBeTruthy();
  });

  it('sends callbackHost as the Host header and extra (PostObject) vars', async () => {
    received.length = 0;
    answer = (res) => json(res, 200, { ok: 1 });
    const outcome = await performCallback(
      {
        callback: cbParam({ callbackUrl: appUrl, callbackHost: 'app.example.com', callbackBody: 'v=${x:form}' }),
        ...facts,
        extraVars: { 'x:form': 'field' },
      },
      env,
    );
    expect(outcome.ok).toBe(true);
    expect(received[0]!.headers.host).toBe('app.example.com');
    expect(received[0]!.body).toBe('v=field');
    expect(received[0]!.verified).toBe(true);
  });

  it('fails with the status OSS reports when the app answers an error', async () => {
    answer = (res) => json(res, 500, { error: true });
    const outcome = await performCallback({ callback: cbParam({ callbackUrl: appUrl, callbackBody: 'x=1' }), ...facts }, env);
    expect(outcome).toEqual({ ok: false, message: 'Error status : 500.' });
  });

  it('fails when the app answers something that is not JSON', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('fine');
    const outcome = await performCallback({ callback: cbParam({ callbackUrl: appUrl, callbackBody: 'x=1' }), ...facts }, env);
    expect(outcome.ok).toBe(false);
  });

  it('fails when nothing listens at the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await performCallback(
      { callback: cbParam({ callbackUrl: `http://127.0.0.1:${port}/cb`, callbackBody: 'x=1' }), ...facts },
      env,
    );
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toMatch(/^Error status : -1/);
  });

  it('tries the URLs in order until one succeeds', async () => {
    received.length = 0;
    answer = (res, r) => (r.url === '/first' ? json(res, 503, {}) : json(res, 200, { url: r.url }));
    const outcome = await performCallback(
      { callback: cbParam({ callbackUrl: `${appUrl}/first;${appUrl}/second`, callbackBody: 'x=1' }), ...facts },
      env,
    );
    expect(outcome.ok).toBe(true);
    expect(received.map((r) => r.url)).toEqual(['/first', '/second']);
  });

  it('a tampered body fails verification', async () => {
    received.length = 0;
    answer = (res) => json(res, 200, {});
    await performCallback({ callback: cbParam({ callbackUrl: appUrl, callbackBody: 'x=1' }), ...facts }, env);
    const r = received[0]!;
    expect(r.verified).toBe(true);
    const opts = { trustedKeyUrlPrefixes: [`${ENDPOINT}/`], fetch: keyFetch };
    expect(await verifyCallback({ url: r.url, headers: r.headers, body: 'x=2' }, opts)).toBe(false);
    // The emulator's key URL is not under OSS's default prefixes.
    expect(await verifyCallback({ url: r.url, headers: r.headers, body: r.body }, { fetch: keyFetch })).toBe(false);
  });
});
