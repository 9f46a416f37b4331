/**
 * The oracle: random requests signed by osskit and by the official ali-oss client must give
 * byte-identical results, for V1/V4 headers and V1/V4 presigned URLs. ali-oss computes its own date,
 * token placement and canonical strings; we only hand both sides the same request.
 *
 * Corners where ali-oss differs from the other SDKs are kept out of the generator and have their own
 * unit tests (v1.test.ts / v4.test.ts): V4 query keys must sort the same under localeCompare and
 * byte order, V4 query values are non-empty unless they are bare sub-resources (docs/protocol.md, "Signature V4"),
 * and Content-Type has no surrounding whitespace (ali-oss does not trim it in V1).
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Credentials } from '../../src/credentials/credentials.js';
import { rfc3986Encode } from '../../src/signer/encode.js';
import { isV1SubResource } from '../../src/signer/subresources.js';
import type { SigningRequest } from '../../src/signer/types.js';
import { presignV1, signV1 } from '../../src/signer/v1.js';
import { presignV4, signV4 } from '../../src/signer/v4.js';
import { mulberry32 } from '../helpers/prng.js';

const require = createRequire(import.meta.url);

interface AliClient {
  signatureUrl(name: string, options: Record<string, unknown>): string;
  signatureUrlV4(
    method: string,
    expires: number,
    request: { headers: Record<string, string>; queries: Record<string, string | null> },
    objectName: string,
    additionalHeaders?: string[],
  ): Promise<string>;
}
const OSS = require('ali-oss') as new (options: Record<string, unknown>) => AliClient;
const { createRequest } = require('ali-oss/lib/common/utils/createRequest.js') as {
  createRequest(this: AliClient, params: Record<string, unknown>): { params: { headers: Record<string, string> } };
};

const SAMPLES = 250;
const REGION = 'cn-hangzhou';
const NOW = new Date('2024-03-05T06:07:08Z');

// --- seeded generator -------------------------------------------------------------------------

class Gen {
  constructor(readonly rand: () => number) {}
  int(n: number): number {
    return Math.floor(this.rand() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.rand() < p;
  }
}

const KEY_PIECES = [
  'a', 'photo', 'dir/', 'x/y/', ' ', '  ', '中文', 'é', 'ü', '😀', '+', '%', '%20', '~', '*', "'", '(', ')', '!',
  '=', '&', '#', ';', ',', '@', '$', '-', '_', '.', '.txt', '.jpg', '.bin', '1', '42', 'Z', '[x]', '{y}',
];
const BUCKETS = ['examplebucket', 'my-bucket-01', 'b12', 'osskit-test'];
const TOKENS = ['CAIS+sts/token==', 'tok en;with,stuff', 'abc123'];

interface Sample {
  method: string;
  bucket: string;
  key: string | undefined;
  /** Signed in V1 (allow-listed); '' means a bare key. */
  subres: Record<string, string>;
  /** Not signed in V1; always non-empty values. */
  plain: Record<string, string>;
  headers: Record<string, string>;
  credentials: Credentials;
  additional: string[];
}

function makeKey(g: Gen): string {
  let key = '';
  const parts = 1 + g.int(6);
  for (let i = 0; i < parts; i++) key += g.pick(KEY_PIECES);
  // ali-oss strips leading slashes and refuses a leading '?': keep keys that every client accepts.
  return key.replace(/^[/?]+/, '') || 'k';
}

function makeSubres(g: Gen): Record<string, string> {
  const out: Record<string, string> = {};
  const choices: (() => void)[] = [
    () => (out.acl = ''),
    () => (out.uploads = ''),
    () => {
      out.uploadId = `0004B9${g.int(1e6)}`;
      out.partNumber = String(1 + g.int(10000));
    },
    () => (out.versionId = `CAEQNhiBgM${g.int(1e6)}`),
    () => (out['x-oss-process'] = g.pick(['image/resize,w_100', 'image/format,png', 'video/snapshot,t_0'])),
    () => (out['response-content-type'] = g.pick(['text/plain', 'application/json; charset=utf-8'])),
    () => (out['response-content-disposition'] = 'attachment; filename="a b.txt"'),
    () => (out['response-cache-control'] = 'no-cache'),
    () => (out['response-expires'] = 'Thu, 01 Dec 1994 16:00:00 GMT'),
    () => (out.tagging = ''),
    () => (out['continuation-token'] = 'ChR0ZXN0/+=='),
    () => (out['x-oss-traffic-limit'] = String(819200 + g.int(1000))),
    () => (out.symlink = ''),
    () => (out.objectMeta = ''),
  ];
  const n = g.int(4);
  for (let i = 0; i < n; i++) g.pick(choices)();
  return out;
}

function makePlain(g: Gen): Record<string, string> {
  const out: Record<string, string> = {};
  const choices: (() => void)[] = [
    () => (out.prefix = g.pick(['photos/', 'a b', '中文/', 'x+y'])),
    () => (out.marker = 'm' + g.int(100)),
    () => (out['max-keys'] = String(1 + g.int(1000))),
    () => (out.delimiter = '/'),
    () => (out['list-type'] = '2'),
    () => (out['encoding-type'] = 'url'),
    () => (out['start-after'] = 'k' + g.int(10)),
  ];
  const n = g.int(3);
  for (let i = 0; i < n; i++) g.pick(choices)();
  return out;
}

function makeHeaders(g: Gen): Record<string, string> {
  const h: Record<string, string> = {};
  if (g.chance(0.5)) h['content-type'] = g.pick(['text/html', 'application/octet-stream', 'image/png', 'text/plain;charset=utf-8']);
  if (g.chance(0.3)) h['content-md5'] = g.pick(['eB5eJF1ptWaXm4bijSPyxw==', '1B2M2Y8AsgTpgAmY7PhCfg==']);
  const metas = g.int(4);
  for (let i = 0; i < metas; i++) {
    h[`x-oss-meta-${g.pick(['author', 'a', 'a-1', 'a_1', 'a1', 'x'])}`] = g.pick(['foo@bar.com', ' padded ', 'v a l', '1', 'a,b']);
  }
  if (g.chance(0.3)) h['x-oss-object-acl'] = g.pick(['private', 'public-read']);
  if (g.chance(0.2)) h['x-oss-storage-class'] = 'IA';
  if (g.chance(0.2)) h['x-oss-forbid-overwrite'] = 'true';
  if (g.chance(0.3)) h['cache-control'] = 'no-cache';
  if (g.chance(0.2)) h['content-disposition'] = 'inline';
  if (g.chance(0.2)) h['x-oss-callback'] = 'eyJjYWxsYmFja1VybCI6Imh0dHA6Ly9leGFtcGxlLmNvbSJ9';
  return h;
}

/** ali-oss sorts V4 query keys with localeCompare on raw keys; we byte-sort encoded keys (§3.8). */
function sortsAlike(keys: string[]): boolean {
  const ali = [...keys].sort((a, b) => a.localeCompare(b)).map(rfc3986Encode);
  const ours = keys.map(rfc3986Encode).sort();
  return ali.join('&') === ours.join('&');
}

const PRESIGN_KEYS = ['x-oss-credential', 'x-oss-date', 'x-oss-expires', 'x-oss-signature-version', 'x-oss-security-token', 'x-oss-additional-headers'];

function makeSample(g: Gen): Sample {
  for (;;) {
    const headers = makeHeaders(g);
    const optional = Object.keys(headers).filter((k) => k === 'cache-control' || k === 'content-disposition');
    const sample: Sample = {
      method: g.pick(['GET', 'PUT', 'POST', 'HEAD', 'DELETE']),
      bucket: g.pick(BUCKETS),
      key: g.chance(0.85) ? makeKey(g) : undefined,
      subres: makeSubres(g),
      plain: makePlain(g),
      headers,
      credentials: {
        accessKeyId: g.pick(['LTAI5tExample', 'ak', 'STS.NUexample']),
        accessKeySecret: g.pick(['OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV', 'sk', 's/e+c=ret']),
        ...(g.chance(0.35) ? { securityToken: g.pick(TOKENS) } : {}),
      },
      additional: optional.filter(() => g.chance(0.5)),
    };
    const keys = [...Object.keys(sample.subres), ...Object.keys(sample.plain)];
    if (sortsAlike([...keys, ...PRESIGN_KEYS])) return sample;
  }
}

const samples: Sample[] = [];
{
  const g = new Gen(mulberry32(0x05511c17));
  for (let i = 0; i < SAMPLES; i++) samples.push(makeSample(g));
}

// --- ali-oss plumbing -----------------------------------------------------------------------------

const clients = new Map<string, AliClient>();
function aliClient(credentials: Credentials, bucket: string, v4: boolean): AliClient {
  const id = JSON.stringify([credentials, bucket, v4]);
  let client = clients.get(id);
  if (!client) {
    client = new OSS({
      region: `oss-${REGION}`,
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      stsToken: credentials.securityToken,
      // Set so ali-oss neither warns about a static STS token nor tries to refresh it.
      refreshSTSTokenInterval: 300_000,
      bucket,
      authorizationV4: v4,
    });
    clients.set(id, client);
  }
  return client;
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

/** Header-mode signing through ali-oss's own request builder; returns its final headers. */
function aliHeaderSign(s: Sample, v4: boolean): Record<string, string> {
  const client = aliClient(s.credentials, s.bucket, v4);
  const { params } = createRequest.call(client, {
    method: s.method,
    bucket: s.bucket,
    object: s.key,
    subres: s.subres,
    query: s.plain,
    headers: { ...s.headers },
    additionalHeaders: v4 && s.additional.length ? s.additional : undefined,
  });
  return lower(params.headers);
}

/** The headers osskit is asked to sign: what ali-oss sent, minus what each signer adds itself. */
function inputHeaders(aliHeaders: Record<string, string>): Record<string, string> {
  const out = { ...aliHeaders };
  for (const name of ['authorization', 'x-oss-date', 'x-oss-content-sha256', 'x-oss-security-token', 'user-agent']) {
    delete out[name];
  }
  return out;
}

function request(s: Sample, headers: Record<string, string>, withPlain: boolean): SigningRequest {
  return {
    method: s.method,
    bucket: s.bucket,
    key: s.key,
    query: withPlain ? { ...s.subres, ...s.plain } : { ...s.subres },
    headers,
  };
}

// --- the comparisons ------------------------------------------------------------------------------

describe(`oracle: osskit vs ali-oss over ${SAMPLES} seeded random requests`, () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it('generates a varied corpus', () => {
    const has = (pred: (s: Sample) => boolean) => samples.filter(pred).length;
    expect(has((s) => s.credentials.securityToken !== undefined)).toBeGreaterThan(40);
    expect(has((s) => s.key !== undefined && /[^\x20-\x7e]/.test(s.key))).toBeGreaterThan(40);
    expect(has((s) => s.key?.includes(' ') ?? false)).toBeGreaterThan(20);
    expect(has((s) => 'uploadId' in s.subres)).toBeGreaterThan(10);
    expect(has((s) => Object.keys(s.subres).some((k) => k.startsWith('response-')))).toBeGreaterThan(20);
    expect(has((s) => Object.keys(s.plain).length > 0)).toBeGreaterThan(50);
    expect(has((s) => s.additional.length > 0)).toBeGreaterThan(20);
    for (const s of samples) for (const k of Object.keys(s.subres)) expect(isV1SubResource(k), k).toBe(true);
  });

  it('V1 header: identical x-oss-date, token header and Authorization', () => {
    for (const [i, s] of samples.entries()) {
      const ali = aliHeaderSign(s, false);
      const added = signV1(request(s, inputHeaders(ali), true), s.credentials, { now: new Date() });
      const ctx = `sample ${i}`;
      expect(added['x-oss-date'], ctx).toBe(ali['x-oss-date']);
      expect(added['x-oss-security-token'], ctx).toBe(ali['x-oss-security-token']);
      expect(added.authorization, ctx).toBe(ali.authorization);
    }
  });

  it('V4 header: identical x-oss-date, content-sha256, token header and Authorization', () => {
    for (const [i, s] of samples.entries()) {
      const ali = aliHeaderSign(s, true);
      const added = signV4(request(s, inputHeaders(ali), true), s.credentials, {
        now: new Date(),
        region: REGION,
        additionalHeaders: s.additional,
      });
      const ctx = `sample ${i}`;
      expect(added['x-oss-date'], ctx).toBe(ali['x-oss-date']);
      expect(added['x-oss-content-sha256'], ctx).toBe(ali['x-oss-content-sha256']);
      expect(added['x-oss-security-token'], ctx).toBe(ali['x-oss-security-token']);
      expect(added.authorization, ctx).toBe(ali.authorization);
    }
  });

  it('V1 URL: identical Expires, Signature and security-token (ali-oss signatureUrl)', () => {
    for (const [i, s] of samples.entries()) {
      const key = s.key ?? 'object';
      const expires = 60 + (i % 7) * 600;
      const options: Record<string, unknown> = { method: s.method, expires, subResource: {} };
      const query: Record<string, string> = {};
      const sub = options.subResource as Record<string, string>;
      for (const [k, v] of Object.entries(s.subres)) {
        if (k === 'x-oss-process') options.process = v;
        else if (k === 'x-oss-traffic-limit') options.trafficLimit = v;
        else if (k.startsWith('response-')) ((options.response ??= {}) as Record<string, string>)[k.slice(9)] = v;
        else sub[k] = v;
        query[k] = v;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(s.headers)) {
        if (k.startsWith('x-oss-') || k === 'content-type' || k === 'content-md5') {
          options[k] = v;
          headers[k] = v;
        }
      }
      const url = new URL(aliClient(s.credentials, s.bucket, false).signatureUrl(key, options));
      const ours = presignV1({ method: s.method, bucket: s.bucket, key, query, headers }, s.credentials, {
        now: new Date(),
        expires,
      });
      const ctx = `sample ${i}`;
      expect(ours.Expires, ctx).toBe(url.searchParams.get('Expires'));
      expect(ours.OSSAccessKeyId, ctx).toBe(url.searchParams.get('OSSAccessKeyId'));
      expect(ours.Signature, ctx).toBe(url.searchParams.get('Signature'));
      expect(ours['security-token'] ?? null, ctx).toBe(url.searchParams.get('security-token'));
    }
  });

  it('V4 URL: identical x-oss-* parameters and signature (ali-oss signatureUrlV4)', async () => {
    for (const [i, s] of samples.entries()) {
      const key = s.key ?? 'object';
      const expires = 1 + ((i * 7919) % 604800);
      const queries: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(s.subres)) queries[k] = v === '' ? null : v;
      Object.assign(queries, s.plain);
      const signedHeaders: Record<string, string> = { ...s.headers };
      const client = aliClient(s.credentials, s.bucket, true);
      const url = new URL(
        await client.signatureUrlV4(s.method, expires, { headers: signedHeaders, queries }, key, s.additional),
      );
      const ours = presignV4(request({ ...s, key }, s.headers, true), s.credentials, {
        now: new Date(),
        region: REGION,
        expires,
        additionalHeaders: s.additional,
      });
      const ctx = `sample ${i}`;
      for (const [name, value] of Object.entries(ours)) expect(value, `${ctx} ${name}`).toBe(url.searchParams.get(name));
      const aliNames = [...url.searchParams.keys()].filter((k) => k.startsWith('x-oss-') && !(k in s.subres));
      expect(aliNames.sort(), ctx).toEqual(Object.keys(ours).sort());
    }
  });
});
