import { describe, expect, it } from 'vitest';
import { readAll } from '../../src/pipeline/body.js';
import { getObject } from '../../src/commands/object/get-object.js';
import { putObject } from '../../src/commands/object/put-object.js';
import { checkCrc, crcCheckedStream, trackRequestCrc } from '../../src/integrity/crc-check.js';
import { crc64 } from '../../src/integrity/crc64.js';
import { isOssClientError } from '../../src/errors.js';
import { send } from '../../src/pipeline/send.js';
import { context, reply, scriptedTransport } from './send-fixtures.js';

const bytes = new TextEncoder().encode('123456789');
const CHECK = '11051210869376104954'; // docs/protocol.md, "CRC-64"

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (c) => (chunks.forEach((x) => c.enqueue(x)), c.close()) });
}

describe('request CRC tracking', () => {
  it('hashes bytes, strings and Blobs before sending', async () => {
    expect((await trackRequestCrc(bytes)).digest()).toBe(CHECK);
    expect((await trackRequestCrc('123456789')).digest()).toBe(CHECK);
    expect((await trackRequestCrc(new Blob(['1234', '56789']))).digest()).toBe(CHECK);
    expect((await trackRequestCrc(undefined)).digest()).toBe('0');
  });

  it('hashes a stream while it is consumed', async () => {
    const tracked = await trackRequestCrc(streamOf(bytes.subarray(0, 4), bytes.subarray(4)));
    expect(await readAll(tracked.body!)).toEqual(bytes);
    expect(tracked.digest()).toBe(CHECK);
  });

  it('checkCrc throws CrcMismatch and ignores a missing header', () => {
    expect(() => checkCrc(undefined, CHECK, {})).not.toThrow();
    expect(() => checkCrc(CHECK, CHECK, {})).not.toThrow();
    expect(() => checkCrc('1', CHECK, { operation: 'PutObject' })).toThrow(/CRC-64 mismatch.*PutObject/);
  });
});

describe('CRC checks through send()', () => {
  it('refuses an upload whose answered CRC differs', async () => {
    const transport = scriptedTransport(() => reply(200, { 'x-oss-hash-crc64ecma': '42' }));
    const error = await send(context(transport), putObject, { bucket: 'bk1', key: 'k', body: bytes }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
  });

  it('accepts the right CRC for a stream upload computed while sending', async () => {
    const transport = scriptedTransport(() => reply(200, { 'x-oss-hash-crc64ecma': CHECK, etag: '"E"' }));
    const out = await send(context(transport), putObject, { bucket: 'bk1', key: 'k', body: streamOf(bytes) });
    expect(out.crc64).toBe(CHECK);
  });

  it('a stream upload with a wrong CRC is refused', async () => {
    const transport = scriptedTransport(() => reply(200, { 'x-oss-hash-crc64ecma': '7' }));
    const error = await send(context(transport), putObject, { bucket: 'bk1', key: 'k', body: streamOf(bytes) }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
  });

  it('crc64Check: false turns the checks off', async () => {
    const transport = scriptedTransport(() => reply(200, { 'x-oss-hash-crc64ecma': '42' }, bytes));
    await expect(send(context(transport, { crc64Check: false }), putObject, { bucket: 'bk1', key: 'k', body: bytes })).resolves.toBeDefined();
    const got = await send(context(transport, { crc64Check: false }), getObject, { bucket: 'bk1', key: 'k' });
    expect(await got.bytes()).toEqual(bytes);
  });

  it('a download is checked as it is read and errors at the end on mismatch', async () => {
    const good = scriptedTransport(() => reply(200, { 'x-oss-hash-crc64ecma': CHECK }, bytes));
    expect(await (await send(context(good), getObject, { bucket: 'bk1', key: 'k' })).text()).toBe('123456789');

    const flipped = bytes.slice();
    flipped[3] ^= 1;
    const bad = scriptedTransport(() => reply(200, { 'x-oss-hash-crc64ecma': CHECK }, flipped));
    const out = await send(context(bad), getObject, { bucket: 'bk1', key: 'k' });
    const error = await out.bytes().catch((e: unknown) => e);
    expect(isOssClientError(error, 'CrcMismatch')).toBe(true);
  });

  it('range reads and partial answers are not checked', async () => {
    const transport = scriptedTransport(() => reply(206, { 'x-oss-hash-crc64ecma': CHECK }, bytes.subarray(0, 3)));
    const out = await send(context(transport), getObject, { bucket: 'bk1', key: 'k', range: { start: 0, end: 2 } });
    expect(await out.text()).toBe('123');
    expect(transport.calls[0]!.request.headers['range']).toBe('bytes=0-2');
  });

  it('crcCheckedStream passes bytes through unchanged', async () => {
    const data = new Uint8Array(200_000).map((_, i) => i % 251);
    const checked = crcCheckedStream(streamOf(data.subarray(0, 70_000), data.subarray(70_000)), crc64(data), {});
    expect(await readAll(checked)).toEqual(data);
  });
});
