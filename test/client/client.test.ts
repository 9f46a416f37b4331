import { describe, expect, it, vi } from 'vitest';
import { OssClient as CoreClient, type Platform } from '../../src/client/client.js';
import type { Command } from '../../src/commands/types.js';
import { isOssClientError } from '../../src/errors.js';
import * as browser from '../../src/index.browser.js';
import * as node from '../../src/index.node.js';
import { CREDS, reply, scriptedTransport } from '../pipeline/send-fixtures.js';

function platform(overrides: Partial<Platform> = {}): Platform {
  return { createTransport: () => scriptedTransport(() => reply(200)), contentTypeFor: () => undefined, ...overrides };
}

const listPage = (keys: string[], next?: string) =>
  reply(
    200,
    {},
    `<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${
      next ? `<NextContinuationToken>${next}</NextContinuationToken><NextMarker>${next}</NextMarker>` : ''
    }${keys.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('')}</ListBucketResult>`,
  );

describe('OssClient', () => {
  it('resolves region and endpoint from the options', () => {
    const client = new CoreClient({ region: 'oss-cn-shanghai' }, platform());
    expect(client.region).toBe('cn-shanghai');
    expect(client.context.endpoint.host).toBe('oss-cn-shanghai.aliyuncs.com');
    expect(client.context.signatureVersion).toBe('v4');
    expect(client.context.maxAttempts).toBe(3);
    expect(client.context.crc64Check).toBe(true);
  });

  it('refuses bad options at construction', () => {
    expect(() => new CoreClient({ region: 'cn-hangzhou', maxAttempts: 0 }, platform())).toThrow(/maxAttempts/);
    expect(() => new CoreClient({ region: 'cn-hangzhou', signatureVersion: 'v2' as 'v4' }, platform())).toThrow(/signatureVersion/);
    expect(() => new CoreClient({ region: 'cn-hangzhou', endpoint: 'oss-cn-beijing.aliyuncs.com' }, platform())).toThrow(/cn-beijing/);
  });

  it('fills in the default bucket and lets an input override it', async () => {
    const transport = scriptedTransport(() => reply(200));
    const client = new CoreClient({ region: 'cn-hangzhou', bucket: 'default-bk', credentials: CREDS, transport }, platform());
    await client.deleteObject({ key: 'a' });
    await client.deleteObject({ key: 'a', bucket: 'other-bk' });
    expect(transport.calls.map((c) => new URL(c.request.url).host.split('.')[0])).toEqual(['default-bk', 'other-bk']);
  });

  it('send() runs any command (the one-line way to add an operation)', async () => {
    const transport = scriptedTransport(() => reply(200, { 'x-oss-request-id': 'R' }));
    const client = new CoreClient({ region: 'cn-hangzhou', bucket: 'bk1', credentials: CREDS, transport }, platform());
    const getAcl: Command<{ bucket?: string }, string> = {
      name: 'GetBucketAcl',
      serialize: (input) => ({ method: 'GET', bucket: input.bucket, query: { acl: '' }, headers: {} }),
      deserialize: async (response) => response.headers['x-oss-request-id']!,
    };
    expect(await client.send(getAcl, {})).toBe('R');
    expect(transport.calls[0]!.request.url).toBe('https://bk1.oss-cn-hangzhou.aliyuncs.com/?acl');
  });

  it('uses the platform defaults: transport, credentials, content types, user agent', async () => {
    const transport = scriptedTransport(() => reply(200));
    const client = new CoreClient(
      { region: 'cn-hangzhou', bucket: 'bk1' },
      platform({
        createTransport: () => transport,
        defaultCredentials: () => CREDS,
        contentTypeFor: (key) => (key.endsWith('.md') ? 'text/markdown' : undefined),
        userAgent: 'ua/1',
      }),
    );
    await client.putObject({ key: 'read.md', body: 'x' });
    expect(transport.calls[0]!.request.headers).toMatchObject({ 'content-type': 'text/markdown', 'user-agent': 'ua/1' });
    expect(transport.calls[0]!.request.headers['authorization']).toContain(CREDS.accessKeyId);
  });

  it('paginates ListObjectsV2 and ListObjects across pages', async () => {
    const pages = () => [listPage(['a', 'b'], 't1'), listPage(['c'], 't2'), listPage(['d'])];
    let i = 0;
    const transport = scriptedTransport(() => pages()[i++ % 3]!);
    const client = new CoreClient({ region: 'cn-hangzhou', bucket: 'bk1', credentials: CREDS, transport }, platform());
    const keys: string[] = [];
    for await (const page of client.paginateListObjectsV2({ prefix: '' })) keys.push(...page.contents.map((c) => c.key));
    expect(keys).toEqual(['a', 'b', 'c', 'd']);
    expect(transport.calls.map((c) => new URL(c.request.url).searchParams.get('continuation-token'))).toEqual([null, 't1', 't2']);
    const v1: string[] = [];
    for await (const page of client.paginateListObjects()) v1.push(...page.contents.map((c) => c.key));
    expect(v1).toEqual(['a', 'b', 'c', 'd']);
    expect(transport.calls.slice(3).map((c) => new URL(c.request.url).searchParams.get('marker'))).toEqual([null, 't1', 't2']);
  });

  it('a paginator stops when the token does not move', async () => {
    const transport = scriptedTransport(() => listPage(['a'], 'same'));
    const client = new CoreClient({ region: 'cn-hangzhou', bucket: 'bk1', credentials: CREDS, transport }, platform());
    let pages = 0;
    for await (const _ of client.paginateListObjectsV2({ continuationToken: 'start' })) pages++;
    expect(pages).toBe(2);
  });

  it('close() releases the transport', async () => {
    const close = vi.fn(async () => undefined);
    const client = new CoreClient({ region: 'cn-hangzhou', transport: { send: async () => reply(200), close } }, platform());
    await client.close();
    expect(close).toHaveBeenCalledTimes(1);
  });
});

describe('entries', () => {
  it('both export the public names', () => {
    for (const entry of [node, browser] as Record<string, unknown>[]) {
      for (const name of ['OssClient', 'OssError', 'OssClientError', 'crc64', 'Crc64', 'combineCrc64', 'signV1', 'signV4', 'presignV1', 'presignV4', 'createFetchTransport']) {
        expect(entry[name], name).toBeDefined();
      }
    }
    expect(node.verifyCallback).toBeTypeOf('function');
    expect(node.createUndiciTransport).toBeTypeOf('function');
    expect((browser as Record<string, unknown>)['createUndiciTransport']).toBeUndefined();
  });

  it('the Node client reads credentials from the environment when a request needs them', async () => {
    const saved = { ...process.env };
    try {
      delete process.env.OSS_ACCESS_KEY_ID;
      delete process.env.OSS_ACCESS_KEY_SECRET;
      const client = new node.OssClient({ region: 'cn-hangzhou', bucket: 'bk1', endpoint: 'http://127.0.0.1:1' });
      const error = await client.headObject({ key: 'k' }).catch((e: unknown) => e);
      expect(isOssClientError(error, 'CredentialsError')).toBe(true);
      expect((error as Error).message).toMatch(/OSS_ACCESS_KEY_ID/);
      await client.close();
    } finally {
      process.env = saved;
    }
  });

  it('the Node client defaults to undici, which reports a refused connection as NetworkError', async () => {
    const client = new node.OssClient({ region: 'cn-hangzhou', bucket: 'bk1', endpoint: 'http://127.0.0.1:1', credentials: CREDS, maxAttempts: 1 });
    const error = await client.headObject({ key: 'k' }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
    expect((error as Error).message).toContain('HeadObject bk1/k');
    await client.close();
  });

  it('the browser client has no default credentials', async () => {
    const client = new browser.OssClient({ region: 'cn-hangzhou', bucket: 'bk1' });
    const error = await client.headObject({ key: 'k' }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'CredentialsError')).toBe(true);
  });
});

describe('a client with neither region nor endpoint', () => {
  it('constructs, refuses every call that needs them before sending, and still posts server-signed forms', async () => {
    let sent = 0;
    const transport = scriptedTransport(() => {
      sent += 1;
      return reply(204, { etag: '"ABC"', 'x-oss-request-id': 'RID' });
    });
    const client = new CoreClient({ bucket: 'bk1', credentials: CREDS, transport }, platform());
    await expect(client.putObject({ key: 'a.txt', body: 'x' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(client.presign({ key: 'a.txt' })).rejects.toThrow(/region is required/);
    await expect(client.createPostPolicy({ key: 'a.txt' })).rejects.toThrow(/region is required/);
    expect(sent).toBe(0);
    const out = await client.postObject({
      url: 'https://bk1.oss-cn-hangzhou.aliyuncs.com/',
      fields: { key: 'a.txt', policy: 'e30=', OSSAccessKeyId: 'AK', Signature: 'sig' },
      file: 'hello',
    });
    expect(out.etag).toBe('"ABC"');
    expect(sent).toBe(1);
  });
});
