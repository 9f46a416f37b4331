/**
 * Answers without `x-oss-hash-crc64ecma` (what a browser sees when a CORS rule does not expose it):
 * the client warns once and stops hashing uploads, or under `crc64Check: 'strict'` fails.
 */
import { describe, expect, it, vi } from 'vitest';
import { OssClient as CoreClient, type Platform } from '../../src/client/client.js';
import { getObject } from '../../src/commands/object/get-object.js';
import { putObject } from '../../src/commands/object/put-object.js';
import { CrcHeaderWatch } from '../../src/integrity/crc-check.js';
import { crc64 } from '../../src/integrity/crc64.js';
import { isOssClientError } from '../../src/errors.js';
import { send } from '../../src/pipeline/send.js';
import { CREDS, context, reply, scriptedTransport } from '../pipeline/send-fixtures.js';

const bytes = new TextEncoder().encode('123456789');
const stream = () => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(bytes), c.close()) });

describe('an upload answered without the CRC header', () => {
  it('warns once, then sends later bodies untouched (no hashing tap)', async () => {
    const warn = vi.fn();
    const transport = scriptedTransport(() => reply(200, { etag: '"E"' }));
    const ctx = context(transport, { crcWatch: new CrcHeaderWatch(false, warn) });
    const bodies = [stream(), stream(), stream()];
    for (const body of bodies) await send(ctx, putObject, { bucket: 'bk1', key: 'k', body });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/x-oss-hash-crc64ecma.*ExposeHeader in the bucket's CORS rule.*'strict'/);
    // The first body went through the CRC tap (another stream); the later ones are sent as given.
    expect(transport.calls.map((c, i) => c.request.body === bodies[i])).toEqual([false, true, true]);
    expect(transport.calls.map((c) => c.body)).toEqual([bytes, bytes, bytes]);
  });

  it('still refuses a CRC that differs while the header is there', async () => {
    const warn = vi.fn();
    const transport = scriptedTransport(() => reply(200, { 'x-oss-hash-crc64ecma': '42' }));
    const error = await send(context(transport, { crcWatch: new CrcHeaderWatch(false, warn) }), putObject, { bucket: 'bk1', key: 'k', body: bytes }).catch(
      (e: unknown) => e,
    );
    expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it("under 'strict' fails with CrcMismatch every time, and never warns", async () => {
    const warn = vi.fn();
    const transport = scriptedTransport(() => reply(200, { etag: '"E"' }));
    const ctx = context(transport, { crcWatch: new CrcHeaderWatch(true, warn) });
    for (let i = 0; i < 2; i++) {
      const error = await send(ctx, putObject, { bucket: 'bk1', key: 'k', body: bytes }).catch((e: unknown) => e);
      expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
      expect((error as Error).message).toMatch(/no x-oss-hash-crc64ecma header.*'strict'.*PutObject bk1\/k/);
    }
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('a whole-object download without the CRC header', () => {
  it('outside a browser is read unchecked, without a warning (older objects may have no CRC)', async () => {
    const warn = vi.fn();
    const watch = new CrcHeaderWatch(false, warn);
    const transport = scriptedTransport(() => reply(200, { 'content-length': '9' }, bytes));
    const out = await send(context(transport, { crcWatch: watch }), getObject, { bucket: 'bk1', key: 'k' });
    expect(await out.bytes()).toEqual(bytes);
    expect(warn).not.toHaveBeenCalled();
    expect(watch.hidden).toBe(false);
  });

  it("under 'strict' fails; with the header it is checked as before", async () => {
    const strict = { crcWatch: new CrcHeaderWatch(true, vi.fn()) };
    const bare = scriptedTransport(() => reply(200, { 'content-length': '9' }, bytes));
    const error = await send(context(bare, strict), getObject, { bucket: 'bk1', key: 'k' }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
    const good = scriptedTransport(() => reply(200, { 'content-length': '9', 'x-oss-hash-crc64ecma': crc64(bytes) }, bytes));
    expect(await (await send(context(good, strict), getObject, { bucket: 'bk1', key: 'k' })).bytes()).toEqual(bytes);
  });
});

describe('the crc64Check option', () => {
  const platform: Platform = { createTransport: () => scriptedTransport(() => reply(200)), contentTypeFor: () => undefined };

  it("accepts true, false and 'strict' and refuses anything else", () => {
    for (const crc64Check of [true, false, 'strict'] as const) {
      const client = new CoreClient({ region: 'cn-hangzhou', credentials: CREDS, crc64Check }, platform);
      expect(client.context.crc64Check).toBe(crc64Check !== false);
      expect(client.context.crcWatch?.strict).toBe(crc64Check === 'strict');
    }
    expect(() => new CoreClient({ region: 'cn-hangzhou', crc64Check: 'loose' as never }, platform)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument' }),
    );
  });

  it('one warning per client: a second client warns again', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      for (let n = 0; n < 2; n++) {
        const transport = scriptedTransport(() => reply(200, { etag: '"E"' }));
        const client = new CoreClient({ region: 'cn-hangzhou', bucket: 'bk1', credentials: CREDS, transport }, platform);
        await client.putObject({ key: 'a', body: 'x' });
        await client.putObject({ key: 'b', body: 'y' });
      }
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
  });
});
