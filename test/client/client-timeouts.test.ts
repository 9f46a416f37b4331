/**
 * timeoutMs: the client option and each call's own, checked before anything is sent; 0 and
 * Infinity mean no timeout; a call's value overrides the client's for that call only.
 */
import { describe, expect, it } from 'vitest';
import { OssClient as CoreClient, type Platform } from '../../src/client/client.js';
import { isOssClientError } from '../../src/errors.js';
import { validateTimeout } from '../../src/commands/validate.js';
import { CREDS, reply, scriptedTransport } from '../pipeline/send-fixtures.js';

function setup(options: Record<string, unknown> = {}) {
  const transport = scriptedTransport(() => reply(200, { etag: '"e"' }));
  const platform: Platform = { createTransport: () => transport, contentTypeFor: () => undefined };
  const client = new CoreClient({ region: 'cn-hangzhou', bucket: 'bkt', credentials: CREDS, ...options }, platform);
  return { client, transport };
}

const BAD: unknown[] = [-1, NaN, '500', -Infinity, 2 ** 31, null, {}];

describe('timeoutMs', () => {
  it.each(BAD)('the client refuses timeoutMs %j when it is built', (value) => {
    let error: unknown;
    try {
      setup({ timeoutMs: value });
    } catch (e) {
      error = e;
    }
    expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    expect((error as Error).message).toMatch(/timeoutMs/);
  });

  it.each([
    [0, 0],
    [Infinity, 0],
    [1500, 1500],
    [undefined, 60_000],
  ])('client timeoutMs %j is passed to the transport as %j (0: none)', async (value, expected) => {
    const { client, transport } = setup(value === undefined ? {} : { timeoutMs: value });
    await client.headObject({ key: 'k' });
    expect(transport.calls[0]!.options.timeoutMs).toBe(expected);
  });

  it('a call’s own timeoutMs overrides the client’s for that call only', async () => {
    const { client, transport } = setup({ timeoutMs: 1000 });
    await client.putObject({ key: 'k', body: 'x', timeoutMs: 250 });
    await client.getObject({ key: 'k', timeoutMs: Infinity });
    await client.headObject({ key: 'k', timeoutMs: 5 });
    await client.deleteObject({ key: 'k' });
    expect(transport.calls.map((c) => c.options.timeoutMs)).toEqual([250, 0, 5, 1000]);
  });

  it.each(BAD)('a call’s timeoutMs %j is refused before sending, naming the operation', async (value) => {
    const { client, transport } = setup();
    const error = await client.putObject({ key: 'k', body: 'x', timeoutMs: value as number }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
    expect((error as Error).message).toMatch(/timeoutMs .*PutObject/);
    expect(transport.calls).toHaveLength(0);
  });

  it('validateTimeout rounds fractions up and maps no-timeout values to 0', () => {
    expect(validateTimeout(0.5, 't')).toBe(1);
    expect(validateTimeout(Infinity, 't')).toBe(0);
    expect(validateTimeout(0, 't')).toBe(0);
  });
});
