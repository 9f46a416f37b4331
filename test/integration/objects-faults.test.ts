/**
 * Failure handling end to end: retries on 5xx and resets (none on 4xx), stream bodies sent once,
 * CRC mismatches caught, skewed clocks corrected, expired tokens refreshed, bad input refused
 * before any request. Attempts are counted by the emulator (`emu.stats`).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/credentials/credentials.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isOssClientError, OssError } from '../../src/errors.js';
import { createUndiciTransport, OssClient, type OssClientOptions } from '../../src/index.node.js';
import type { Transport } from '../../src/transport/types.js';

let emu: Emulator;
const BUCKET = 'faults';
const clients: OssClient[] = [];

function client(options: Partial<OssClientOptions> = {}): OssClient {
  const c = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET, ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  await client().putBucket({});
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await emu.close();
});
beforeEach(() => {
  emu.stats.reset();
});
afterEach(() => {
  emu.faults.clear();
});

const oneShot = (text: string) =>
  new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode(text)), c.close()) });

describe('retries', () => {
  it('retries 5xx until it succeeds', async () => {
    emu.faults.failNext('PutObject', 2, 503, 'ServiceUnavailable');
    await client().putObject({ key: 'r/5xx', body: 'x' });
    expect(emu.stats.count('PutObject')).toBe(3);
  });

  it('retries 429', async () => {
    emu.faults.failNext('GetObject', 1, 429, 'TooManyRequests');
    await client().putObject({ key: 'r/429', body: 'x' });
    expect(await (await client().getObject({ key: 'r/429' })).text()).toBe('x');
    expect(emu.stats.count('GetObject')).toBe(2);
  });

  it('retries a reset connection', async () => {
    emu.faults.resetNext('HeadObject', 1);
    await client().putObject({ key: 'r/reset', body: 'x' });
    await client().headObject({ key: 'r/reset' });
    expect(emu.stats.count('HeadObject')).toBe(2);
  });

  it('never retries a 4xx', async () => {
    emu.faults.failNext('PutObject', 1, 403, 'AccessDenied');
    const error = await client().putObject({ key: 'r/403', body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(emu.stats.count('PutObject')).toBe(1);
  });

  it('stops after maxAttempts', async () => {
    emu.faults.failNext('PutObject', 5, 500, 'InternalError');
    const error = await client({ maxAttempts: 2 }).putObject({ key: 'r/max', body: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500, code: 'InternalError' });
    expect(emu.stats.count('PutObject')).toBe(2);
  });

  it('sends a stream body once, even on 5xx', async () => {
    emu.faults.failNext('PutObject', 1, 500, 'InternalError');
    const error = await client().putObject({ key: 'r/stream', body: oneShot('once') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 500 });
    expect(emu.stats.count('PutObject')).toBe(1);
  });

  it('a body cut mid-way errors the stream (no silent truncation)', async () => {
    await client().putObject({ key: 'r/drop', body: 'x'.repeat(10_000) });
    emu.faults.dropMidBody('GetObject', 1);
    const out = await client().getObject({ key: 'r/drop' });
    const error = await out.bytes().catch((e: unknown) => e);
    expect(isOssClientError(error, 'NetworkError')).toBe(true);
  });
});

/** Wraps the undici transport to corrupt one byte going up or coming down. */
function corrupting(direction: 'upload' | 'download'): Transport {
  const inner = createUndiciTransport();
  return {
    async send(request, options) {
      if (direction === 'upload' && request.body instanceof Uint8Array) {
        const flipped = request.body.slice();
        flipped[0] ^= 0xff;
        return inner.send({ ...request, body: flipped }, options);
      }
      const response = await inner.send(request, options);
      if (direction !== 'download' || request.method !== 'GET' || !response.body) return response;
      let first = true;
      const flip = new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          const copy = chunk.slice();
          if (first && copy.length) copy[0] ^= 0xff;
          first = false;
          controller.enqueue(copy);
        },
      });
      return { ...response, body: response.body.pipeThrough(flip) };
    },
    close: () => inner.close!(),
  };
}

describe('CRC-64', () => {
  it('detects an upload corrupted on the way', async () => {
    const error = await client({ transport: corrupting('upload') }).putObject({ key: 'crc/up', body: 'integrity' }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
    expect(emu.stats.count('PutObject')).toBe(1);
  });

  it('detects a download corrupted on the way, at the end of the stream', async () => {
    await client().putObject({ key: 'crc/down', body: 'integrity' });
    const out = await client({ transport: corrupting('download') }).getObject({ key: 'crc/down' });
    expect(isOssClientError(await out.text().catch((e: unknown) => e), 'CrcMismatch')).toBe(true);
  });

  it('crc64Check: false lets corrupted data through (the switch works)', async () => {
    await client().putObject({ key: 'crc/off', body: 'integrity' });
    const out = await client({ transport: corrupting('download'), crc64Check: false }).getObject({ key: 'crc/off' });
    expect(await out.text()).not.toBe('integrity');
  });

  it('range reads are not CRC-checked', async () => {
    await client().putObject({ key: 'crc/range', body: '0123456789' });
    expect(await (await client().getObject({ key: 'crc/range', range: { start: 0, end: 3 } })).text()).toBe('0123');
  });
});

describe('clock skew and credentials', () => {
  it('corrects a skewed clock once and keeps the offset', async () => {
    const c = client();
    c.context.clock.offsetMs = -30 * 60_000;
    await c.putObject({ key: 'skew', body: 'x' });
    expect(emu.stats.count('PutObject')).toBe(2);
    expect(Math.abs(c.context.clock.offsetMs)).toBeLessThan(60_000);
    await c.headObject({ key: 'skew' });
    expect(emu.stats.count('HeadObject')).toBe(1);
  });

  it('works with an STS provider: one call shared, token sent, refreshed on SecurityTokenExpired', async () => {
    let calls = 0;
    const tokens: string[] = [];
    const provider = async (): Promise<Credentials> => {
      calls++;
      const issued = emu.issueTemporaryCredentials({ durationSeconds: 3600 });
      tokens[calls] = issued.securityToken;
      return issued;
    };
    const seen: string[] = [];
    const inner = createUndiciTransport();
    const recording: Transport = {
      send: (request, options) => {
        seen.push(request.headers['x-oss-security-token'] ?? '');
        return inner.send(request, options);
      },
      close: () => inner.close!(),
    };
    for (const signatureVersion of ['v4', 'v1'] as const) {
      calls = 0;
      seen.length = 0;
      const c = client({ credentials: provider, transport: recording, signatureVersion });
      await Promise.all([c.putObject({ key: 'sts/a', body: 'a' }), c.putObject({ key: 'sts/b', body: 'b' })]);
      expect(calls).toBe(1);
      expect(seen).toEqual([tokens[1], tokens[1]]);

      emu.faults.failNext('GetObject', 1, 403, 'SecurityTokenExpired');
      expect(await (await c.getObject({ key: 'sts/a' })).text()).toBe('a');
      expect(calls).toBe(2);
      expect(tokens[2]).not.toBe(tokens[1]);
      expect(seen.slice(-2)).toEqual([tokens[1], tokens[2]]);
    }
  });

  it('a wrong secret is a 403 SignatureDoesNotMatch that is not retried and leaks nothing', async () => {
    const secret = 'definitely-not-the-secret';
    const sts = emu.issueTemporaryCredentials({ durationSeconds: 3600 });
    const c = client({ credentials: { accessKeyId: sts.accessKeyId, accessKeySecret: secret, securityToken: sts.securityToken } });
    const error = await c.headObject({ key: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(emu.stats.count('HeadObject')).toBe(1);
    const everything = `${(error as Error).message} ${JSON.stringify(error)}`;
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(sts.securityToken);
  });

  it('a long-term key sent with a security token is a 403 InvalidAccessKeyId, not retried', async () => {
    const c = client({ credentials: { ...emu.credentials, securityToken: 'CAISmadeup' } });
    const error = await c.headObject({ key: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403, code: 'InvalidAccessKeyId', ec: '0002-00000002' });
    expect(emu.stats.count('HeadObject')).toBe(1);
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('CAISmadeup');
  });
});

describe('refused before sending', () => {
  it('bad input makes no request at all', async () => {
    const c = client();
    const attempts = [
      c.putObject({ key: 'x'.repeat(1024), body: 'x' }),
      c.putObject({ bucket: 'Bad_Name', key: 'k', body: 'x' }),
      c.getObject({ key: 'k', range: { start: 9, end: 1 } }),
      c.deleteMultipleObjects({ keys: [] }),
      c.listObjectsV2({ maxKeys: 5000 }),
      c.copyObject({ key: 'k', sourceKey: '' }),
      client({ bucket: undefined }).headObject({ key: 'k' }),
    ];
    for (const attempt of attempts) {
      expect(isOssClientError(await attempt.catch((e: unknown) => e), 'InvalidArgument')).toBe(true);
    }
    expect(emu.stats.count()).toBe(0);
  });

  it('an aborted request gives Aborted', async () => {
    emu.faults.latency(5_000, 'HeadObject');
    const controller = new AbortController();
    const pending = client().headObject({ key: 'k', signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(isOssClientError(await pending.catch((e: unknown) => e), 'Aborted')).toBe(true);
  });
});
