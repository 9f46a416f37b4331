/**
 * Header hygiene end to end: every header is checked before sending (named InvalidArgument, no
 * retry, nothing reaches the transport), non-ASCII metadata travels as UTF-8 bytes and round-trips
 * through the emulator, and ali-oss (which sends UTF-8 bytes raw with headerEncoding 'latin1')
 * reads and writes the same values.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isOssClientError, type OssClientError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';
import type { Transport } from '../../src/transport/types.js';
import { createUndiciTransport } from '../../src/transport/undici.node.js';

interface AliOss {
  put(name: string, body: Buffer, options?: Record<string, unknown>): Promise<unknown>;
  head(name: string): Promise<{ res: { headers: Record<string, string> } }>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  const setup = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'headers' });
  await setup.putBucket({});
  await setup.close();
});
afterAll(async () => {
  await emu.close();
});

async function refusal(promise: Promise<unknown>): Promise<OssClientError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  if (!isOssClientError(error)) throw error;
  return error;
}

/** Counts what reaches the real transport. */
function counting(): Transport & { sent: number } {
  const inner = createUndiciTransport();
  const t = {
    sent: 0,
    send: (request: Parameters<Transport['send']>[0], options: Parameters<Transport['send']>[1]) => {
      t.sent++;
      return inner.send(request, options);
    },
    close: () => inner.close!(),
  };
  return t;
}

describe.each(['v4', 'v1'] as const)('non-ASCII metadata with %s signatures', (signatureVersion) => {
  it('round-trips 张三, café and an emoji through putObject, headObject and getObject', async () => {
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'headers', signatureVersion });
    const metadata = { author: '张三', place: 'café', mood: '😀 ok' };
    await client.putObject({ key: `meta-${signatureVersion}`, body: 'x', metadata });
    expect((await client.headObject({ key: `meta-${signatureVersion}` })).metadata).toEqual(metadata);
    const got = await client.getObject({ key: `meta-${signatureVersion}` });
    expect(got.metadata).toEqual(metadata);
    expect(await got.text()).toBe('x');
    await client.close();
  });
});

describe('presigned URLs with non-ASCII metadata', () => {
  it.each(['v4', 'v1'] as const)('presign (%s) returns headers fetch can send; the metadata reads back as text', async (signatureVersion) => {
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'headers', signatureVersion });
    const key = `presigned-meta-${signatureVersion}`;
    const { url, headers } = await client.presign({ key, method: 'PUT', headers: { 'x-oss-meta-author': '张三', 'Content-Type': 'text/plain' } });
    const res = await fetch(url, { method: 'PUT', headers, body: 'p' });
    expect(res.status).toBe(200);
    expect((await client.headObject({ key })).metadata).toEqual({ author: '张三' });
    await expect(client.presign({ key, method: 'PUT', headers: { 'x-oss-meta-a': 'x\r\ny' } })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await client.close();
  });
});

describe('ali-oss interop for non-ASCII metadata', () => {
  it.each([false, true])('ali-oss (headerEncoding latin1, authorizationV4=%s) writes what osskit reads, and reads what osskit writes', async (v4) => {
    const ali = new OSS({
      accessKeyId: emu.credentials.accessKeyId,
      accessKeySecret: emu.credentials.accessKeySecret,
      endpoint: emu.endpoint,
      bucket: 'headers',
      region: `oss-${emu.region}`,
      authorizationV4: v4,
      headerEncoding: 'latin1',
    });
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'headers' });
    await ali.put('from-ali', Buffer.from('a'), { meta: { author: '张三' } });
    expect((await client.headObject({ key: 'from-ali' })).metadata).toEqual({ author: '张三' });

    await client.putObject({ key: 'from-osskit', body: 'b', metadata: { author: '李四' } });
    const raw = (await ali.head('from-osskit')).res.headers['x-oss-meta-author']!;
    expect(Buffer.from(raw, 'latin1').toString('utf8')).toBe('李四');
    await client.close();
  });
});

describe('header validation', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['CR/LF in a metadata value', { metadata: { a: 'x\r\nInjected: 1' } }, /"x-oss-meta-a" has a control character/],
    ['NUL in a metadata value', { metadata: { a: 'x\0' } }, /"x-oss-meta-a" has a control character/],
    ['a space in a metadata name', { metadata: { 'a b': '1' } }, /"x-oss-meta-a b" is not a valid HTTP header name/],
    ['a colon in a metadata name', { metadata: { 'a:b': '1' } }, /"x-oss-meta-a:b" is not a valid HTTP header name/],
    ['CR/LF in a metadata name', { metadata: { 'a\r\nb': '1' } }, /"x-oss-meta-a\\r\\nb"/],
    ['an underscore in a metadata name', { metadata: { a_b: '1' } }, /metadata name in header "x-oss-meta-a_b"/],
    ['a lone surrogate in a metadata value', { metadata: { a: 'x\ud800' } }, /lone UTF-16 surrogate/],
    ['CR/LF in headers', { headers: { 'cache-control': 'no-cache\r\nx: 1' } }, /"cache-control" has a control character/],
    ['a bad header name', { headers: { 'bad name': '1' } }, /"bad name" is not a valid HTTP header name/],
    ['a transport header', { headers: { 'Transfer-Encoding': 'chunked' } }, /"transfer-encoding" is managed by the transport/],
    ['CR/LF in contentType', { contentType: 'text/plain\r\nx: 1' }, /"content-type" has a control character/],
  ];

  it.each(cases)('%s: InvalidArgument naming the header, not retried, nothing sent', async (_name, extra, message) => {
    const transport = counting();
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'headers', transport });
    const error = await refusal(client.putObject({ key: 'refused', body: 'x', ...extra } as never));
    expect(error.code).toBe('InvalidArgument');
    expect(error.message).toMatch(message);
    expect(transport.sent).toBe(0);
    await client.close();
  });

  it('CR/LF in userAgent is refused on the first call', async () => {
    const transport = counting();
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'headers', transport, userAgent: 'me\r\nx: 1' });
    const error = await refusal(client.headObject({ key: 'k' }));
    expect(error).toMatchObject({ code: 'InvalidArgument' });
    expect(error.message).toMatch(/"user-agent"/);
    expect(transport.sent).toBe(0);
    await client.close();
  });

  it('an access key id or token that no header can carry is a CredentialsError', async () => {
    const options = { endpoint: emu.endpoint, region: emu.region, bucket: 'headers' };
    expect(() => new OssClient({ ...options, credentials: { accessKeyId: 'id\r\nx', accessKeySecret: 's' } })).toThrow(
      expect.objectContaining({ code: 'CredentialsError' }),
    );
    const client = new OssClient({ ...options, credentials: async () => ({ accessKeyId: 'id', accessKeySecret: 's', securityToken: 'to ken' }) });
    expect((await refusal(client.headObject({ key: 'k' }))).code).toBe('CredentialsError');
    await client.close();
  });

  it('100 refused calls leave the pool healthy: the next call succeeds within its timeout', async () => {
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'headers', timeoutMs: 5000 });
    for (let i = 0; i < 100; i++) {
      const error = await refusal(client.putObject({ key: 'k', body: 'x', metadata: { [`bad name ${i}`]: 'x' } }));
      expect(error.code).toBe('InvalidArgument');
    }
    await client.putObject({ key: 'after-refusals', body: 'fine' });
    expect(await (await client.getObject({ key: 'after-refusals' })).text()).toBe('fine');
    await client.close();
  });
});
