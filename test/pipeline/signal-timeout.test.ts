/** A signal that times out (AbortSignal.timeout) is reported as Timeout; a user's abort stays Aborted. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';
import { startLocalServer, type LocalServer } from '../transport/local-server.js';

let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
  server.handle(() => undefined); // never answers
});
afterAll(async () => {
  await server.close();
});

function client(): OssClient {
  return new OssClient({ endpoint: server.url, region: 'cn-hangzhou', bucket: 'bkt', credentials: { accessKeyId: 'id', accessKeySecret: 'secret' } });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isOssClientError(error) ? error.code : String(error);
}

describe('signals that time out', () => {
  it('AbortSignal.timeout firing mid-request is Timeout', async () => {
    const c = client();
    expect(await codeOf(c.getObject({ key: 'k', signal: AbortSignal.timeout(50) }))).toBe('Timeout');
    await c.close();
  });

  it('AbortSignal.any with a timeout is Timeout too; an already timed-out signal is Timeout before sending', async () => {
    const c = client();
    const user = new AbortController();
    expect(await codeOf(c.headObject({ key: 'k', signal: AbortSignal.any([user.signal, AbortSignal.timeout(50)]) }))).toBe('Timeout');
    const expired = AbortSignal.timeout(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await codeOf(c.putObject({ key: 'k', body: 'x', signal: expired }))).toBe('Timeout');
    await c.close();
  });

  it('a user AbortController.abort() stays Aborted', async () => {
    const c = client();
    const user = new AbortController();
    setTimeout(() => user.abort(), 50);
    expect(await codeOf(c.getObject({ key: 'k', signal: user.signal }))).toBe('Aborted');
    await c.close();
  });
});
