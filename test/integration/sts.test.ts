/**
 * Temporary (STS) credentials end to end: the osskit client with an async provider that returns
 * credentials issued by the emulator, which enforces the token and its expiry. Expiry is reached by
 * moving the emulator's clock forward (within the 15-minute skew allowance), never by waiting.
 * Also: presigned URLs with STS credentials, client.upload() multipart, and ali-oss with `stsToken`.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/credentials/credentials.js';
import { startEmulator, type Emulator, type TemporaryCredentials } from '../../src/emulator/index.js';
import { OssClient, OssClientError, OssError, type OssClientOptions } from '../../src/index.node.js';

const BUCKET = 'sts-integration';
const KiB = 1024;

let emu: Emulator;
/** How far the emulator's clock runs ahead of the system clock. */
let emulatorAheadMs = 0;
const clients: OssClient[] = [];

function client(options: Partial<OssClientOptions> = {}): OssClient {
  const c = new OssClient({ endpoint: emu.endpoint, region: emu.region, bucket: BUCKET, credentials: emu.credentials, ...options });
  clients.push(c);
  return c;
}

interface StsProvider {
  provider: () => Promise<Credentials>;
  issued: TemporaryCredentials[];
}

/**
 * A provider in the shape of an app's STS endpoint: each call issues fresh credentials. With
 * `tellExpiration: false` the client is not told when they end (so only the server can say so).
 */
function stsProvider(durationSeconds: number, tellExpiration = true): StsProvider {
  const issued: TemporaryCredentials[] = [];
  const provider = async (): Promise<Credentials> => {
    const sts = emu.issueTemporaryCredentials({ durationSeconds });
    issued.push(sts);
    const { expiration, ...keys } = sts;
    return tellExpiration ? { ...keys, expiration } : keys;
  };
  return { provider, issued };
}

/** Moves the emulator's clock past the expiration of everything issued so far (by 1 s). */
function expireIssued(issued: TemporaryCredentials[]): void {
  const latest = Math.max(...issued.map((c) => c.expiration.getTime()));
  emulatorAheadMs = latest - Date.now() + 1000;
  expect(emulatorAheadMs).toBeLessThan(15 * 60_000); // still inside the signature skew allowance
}

const bytes = (size: number, seed: number) => Uint8Array.from({ length: size }, (_, i) => (i * 7 + seed) & 255);

beforeAll(async () => {
  emu = await startEmulator({ port: 0, now: () => new Date(Date.now() + emulatorAheadMs) });
  await client().putBucket({});
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.close();
});

beforeEach(() => {
  emulatorAheadMs = 0;
  emu.stats.reset();
});

describe.each(['v4', 'v1'] as const)('the client with issued STS credentials (%s)', (signatureVersion) => {
  it('puts, gets (bytes checked), heads and lists; concurrent first requests share one provider call', async () => {
    const sts = stsProvider(900);
    const c = client({ credentials: sts.provider, signatureVersion });
    const body = bytes(5000, 1);
    await Promise.all([
      c.putObject({ key: `${signatureVersion}/a.bin`, body }),
      c.putObject({ key: `${signatureVersion}/b.txt`, body: 'b' }),
      c.putObject({ key: `${signatureVersion}/c.txt`, body: 'c' }),
    ]);
    expect(sts.issued).toHaveLength(1);
    expect(await (await c.getObject({ key: `${signatureVersion}/a.bin` })).bytes()).toEqual(body);
    expect((await c.headObject({ key: `${signatureVersion}/b.txt` })).contentLength).toBe(1);
    const listed = await c.listObjectsV2({ prefix: `${signatureVersion}/` });
    expect(listed.contents.map((o) => o.key)).toEqual(['a.bin', 'b.txt', 'c.txt'].map((k) => `${signatureVersion}/${k}`));
    expect(sts.issued).toHaveLength(1);
  });

  it('on SecurityTokenExpired it refreshes once through the provider and the retry succeeds', async () => {
    const sts = stsProvider(60, false);
    const c = client({ credentials: sts.provider, signatureVersion });
    await c.putObject({ key: `${signatureVersion}/refresh.txt`, body: 'before' });
    expect(sts.issued).toHaveLength(1);

    expireIssued(sts.issued);
    emu.stats.reset();
    await c.putObject({ key: `${signatureVersion}/refresh.txt`, body: 'after' });
    expect(sts.issued).toHaveLength(2);
    expect(emu.stats.count('PutObject')).toBe(2); // the refused attempt and the retry
    expect(await (await c.getObject({ key: `${signatureVersion}/refresh.txt` })).text()).toBe('after');
    expect(sts.issued).toHaveLength(2);
  });

  it('concurrent requests that all meet the expired token share one refresh', async () => {
    const sts = stsProvider(60, false);
    const c = client({ credentials: sts.provider, signatureVersion });
    const keys = Array.from({ length: 6 }, (_, i) => `${signatureVersion}/many-${i}.txt`);
    await Promise.all(keys.map((key) => c.putObject({ key, body: key })));
    expect(sts.issued).toHaveLength(1);

    expireIssued(sts.issued);
    const texts = await Promise.all(keys.map(async (key) => (await c.getObject({ key })).text()));
    expect(texts).toEqual(keys);
    expect(sts.issued).toHaveLength(2);
  });

  it('a provider that keeps answering with the expired credentials ends in SecurityTokenExpired after one refresh', async () => {
    let calls = 0;
    let cached: TemporaryCredentials | undefined;
    // A provider with a broken cache: it hands out the same credentials long after they ended.
    const stale = async (): Promise<Credentials> => {
      calls++;
      cached ??= emu.issueTemporaryCredentials({ durationSeconds: 60 });
      return { accessKeyId: cached.accessKeyId, accessKeySecret: cached.accessKeySecret, securityToken: cached.securityToken };
    };
    const c = client({ credentials: stale, signatureVersion });
    await c.putObject({ key: `${signatureVersion}/stale.txt`, body: 'x' });
    expireIssued([cached!]);
    emu.stats.reset();
    const error = await c.getObject({ key: `${signatureVersion}/stale.txt` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error).toMatchObject({ code: 'SecurityTokenExpired', status: 403 });
    expect(calls).toBe(2);
    expect(emu.stats.count('GetObject')).toBe(2); // 403 is not retried beyond the one refresh
    const everything = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(cached!.securityToken);
    expect(everything).not.toContain(cached!.accessKeySecret);
  });

  it('presigns with STS credentials: the URL works, and an expiry past the token is refused', async () => {
    const sts = stsProvider(900);
    const c = client({ credentials: sts.provider, signatureVersion });
    await c.putObject({ key: `${signatureVersion}/shared.txt`, body: 'shared via URL' });
    const ok = await c.presign({ key: `${signatureVersion}/shared.txt`, expires: 600 });
    expect(ok.url).toContain(signatureVersion === 'v4' ? 'x-oss-security-token=' : 'security-token=');
    expect(ok.expiration.getTime()).toBeLessThanOrEqual(sts.issued[0]!.expiration.getTime());
    const response = await fetch(ok.url);
    expect(await response.text()).toBe('shared via URL');

    const refused = await c.presign({ key: `${signatureVersion}/shared.txt`, expires: 3600 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OssClientError);
    expect(refused).toMatchObject({ code: 'InvalidArgument' });
    expect((refused as Error).message).not.toContain(sts.issued[0]!.securityToken);
  });

  it('a URL that outlives its token (the client was not told the expiration) is refused by the server', async () => {
    const sts = stsProvider(60, false);
    const c = client({ credentials: sts.provider, signatureVersion });
    await c.putObject({ key: `${signatureVersion}/outlived.txt`, body: 'x' });
    const { url } = await c.presign({ key: `${signatureVersion}/outlived.txt`, expires: 600 });
    expect((await fetch(url)).status).toBe(200);
    expireIssued(sts.issued);
    const late = await fetch(url);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('<Code>SecurityTokenExpired</Code>');
  });

  it('client.upload() sends a multipart upload, surviving a token that expires half-way', async () => {
    const sts = stsProvider(60, false);
    const c = client({ credentials: sts.provider, signatureVersion });
    const body = bytes(350 * KiB, 3);
    let expired = false;
    const result = await c.upload({
      key: `${signatureVersion}/multi.bin`,
      body,
      partSize: 100 * KiB,
      parallel: 1,
      onProgress: (p) => {
        // After the first part is in, the token dies: the remaining parts meet SecurityTokenExpired.
        if (!expired && p.loadedBytes >= 100 * KiB) {
          expired = true;
          expireIssued(sts.issued);
        }
      },
    });
    expect(expired).toBe(true);
    expect(result.etag).toMatch(/-4"$/);
    expect(emu.stats.count('InitiateMultipartUpload')).toBe(1);
    expect(emu.stats.count('CompleteMultipartUpload')).toBe(1);
    expect(sts.issued).toHaveLength(2);
    expect(Buffer.from(await (await c.getObject({ key: `${signatureVersion}/multi.bin` })).bytes()).equals(Buffer.from(body))).toBe(true);
    expect(emu.storage.listUploads(BUCKET)).toEqual([]);
  });
});

/** The slice of ali-oss (CommonJS, untyped) used here. */
interface AliOss {
  put(name: string, body: Buffer): Promise<{ res: { status: number } }>;
  get(name: string): Promise<{ content: Buffer }>;
  signatureUrl(name: string, options?: Record<string, unknown>): string;
  signatureUrlV4(method: string, expires: number, request?: object, objectName?: string): Promise<string>;
  multipartUpload(name: string, body: Buffer, options?: Record<string, unknown>): Promise<{ res: { status: number } }>;
}
const AliOssClient = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

describe.each([false, true])('ali-oss with stsToken (authorizationV4=%s)', (v4) => {
  function aliOss(sts: TemporaryCredentials, stsToken = sts.securityToken): AliOss {
    return new AliOssClient({
      region: `oss-${emu.region}`,
      endpoint: `http://localhost:${emu.port}`,
      sldEnable: true,
      bucket: BUCKET,
      accessKeyId: sts.accessKeyId,
      accessKeySecret: sts.accessKeySecret,
      stsToken,
      authorizationV4: v4,
      // A provider silences ali-oss's "set refreshSTSToken" warning; the interval keeps it unused here.
      refreshSTSToken: async () => ({ accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret, stsToken: sts.securityToken }),
      refreshSTSTokenInterval: 3_600_000,
    });
  }

  it('puts, gets, presigns and uploads multipart; a wrong token is InvalidSecurityToken', async () => {
    const sts = emu.issueTemporaryCredentials();
    const oss = aliOss(sts);
    const key = `ali-${v4 ? 'v4' : 'v1'}/a b+c.txt`;
    expect((await oss.put(key, Buffer.from('from ali-oss'))).res.status).toBe(200);
    expect(Buffer.from((await oss.get(key)).content).toString()).toBe('from ali-oss');
    // Both the osskit client and ali-oss see the same object.
    expect(await (await client().getObject({ key })).text()).toBe('from ali-oss');

    const url = v4 ? await oss.signatureUrlV4('GET', 300, undefined, key) : oss.signatureUrl(key, { expires: 300 });
    expect(url).toContain('security-token=');
    expect(await (await fetch(url)).text()).toBe('from ali-oss');

    const big = Buffer.from(bytes(250 * KiB, 9));
    expect((await oss.multipartUpload(`${key}.multi`, big, { partSize: 100 * KiB })).res.status).toBe(200);
    expect(Buffer.from((await oss.get(`${key}.multi`)).content).equals(big)).toBe(true);

    const forged = aliOss(sts, 'CAISforged');
    await expect(forged.get(key)).rejects.toMatchObject({ status: 403, code: 'InvalidSecurityToken' });
  });
});
