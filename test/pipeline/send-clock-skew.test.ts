import { describe, expect, it } from 'vitest';
import { SkewedClock, withClockSkew } from '../../src/pipeline/clock-skew.js';
import { headObject } from '../../src/commands/object/head-object.js';
import { putObject } from '../../src/commands/object/put-object.js';
import { OssError } from '../../src/errors.js';
import { send } from '../../src/pipeline/send.js';
import { context, errorXml, reply, scriptedTransport } from './send-fixtures.js';

const LOCAL = Date.UTC(2024, 0, 1, 12, 0, 0);
const SERVER = LOCAL + 20 * 60_000; // 20 minutes ahead: beyond the 15-minute tolerance

describe('clock-skew correction', () => {
  it('re-signs once with the server time from <ServerTime> and keeps the offset', async () => {
    const clock = new SkewedClock(() => LOCAL);
    const transport = scriptedTransport((request) => {
      const date = request.headers['x-oss-date']!;
      const ok = date === '20240101T122000Z';
      return ok
        ? reply(200)
        : reply(403, {}, errorXml('RequestTimeTooSkewed', { ServerTime: new Date(SERVER).toISOString(), EC: '0002-00000504' }));
    });
    const ctx = context(transport, { clock });
    await send(ctx, headObject, { bucket: 'bk1', key: 'k' });
    expect(transport.calls.map((c) => c.request.headers['x-oss-date'])).toEqual(['20240101T120000Z', '20240101T122000Z']);
    expect(clock.offsetMs).toBe(SERVER - LOCAL);
    // The next request is signed right the first time.
    await send(ctx, headObject, { bucket: 'bk1', key: 'k' });
    expect(transport.calls).toHaveLength(3);
  });

  it('falls back to the response Date header', async () => {
    const clock = new SkewedClock(() => LOCAL);
    const transport = scriptedTransport((_, n) =>
      n === 1 ? reply(403, { date: new Date(SERVER).toUTCString() }, errorXml('RequestTimeTooSkewed')) : reply(200),
    );
    await send(context(transport, { clock }), headObject, { bucket: 'bk1', key: 'k' });
    expect(clock.offsetMs).toBe(SERVER - LOCAL);
  });

  it('corrects only once per request', async () => {
    const transport = scriptedTransport(() =>
      reply(403, {}, errorXml('RequestTimeTooSkewed', { ServerTime: new Date(SERVER).toISOString() })),
    );
    await expect(send(context(transport), headObject, { bucket: 'bk1', key: 'k' })).rejects.toMatchObject({
      code: 'RequestTimeTooSkewed',
    });
    expect(transport.calls).toHaveLength(2);
  });

  it('does not resend a stream body', async () => {
    const transport = scriptedTransport(() =>
      reply(403, {}, errorXml('RequestTimeTooSkewed', { ServerTime: new Date(SERVER).toISOString() })),
    );
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array([1])), c.close()) });
    await expect(send(context(transport), putObject, { bucket: 'bk1', key: 'k', body })).rejects.toBeInstanceOf(OssError);
    expect(transport.calls).toHaveLength(1);
  });

  it('withClockSkew leaves other errors alone', async () => {
    const clock = new SkewedClock(() => LOCAL);
    let calls = 0;
    const run = withClockSkew(
      async () => {
        calls++;
        throw new OssError({ code: 'AccessDenied', status: 403, message: 'no' });
      },
      clock,
      () => new Date(SERVER),
      true,
    );
    await expect(run()).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(calls).toBe(1);
    expect(clock.offsetMs).toBe(0);
  });
});
