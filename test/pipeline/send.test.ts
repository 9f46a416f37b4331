import { describe, expect, it, vi } from 'vitest';
import { SkewedClock } from '../../src/pipeline/clock-skew.js';
import { getObject } from '../../src/commands/object/get-object.js';
import { headObject } from '../../src/commands/object/head-object.js';
import { putObject } from '../../src/commands/object/put-object.js';
import type { Command } from '../../src/commands/types.js';
import { createCredentialsResolver } from '../../src/credentials/credentials.js';
import { isOssClientError, OssError } from '../../src/errors.js';
import { abortedError } from '../../src/pipeline/retry.js';
import { send } from '../../src/pipeline/send.js';
import { context, CREDS, errorXml, reply, scriptedTransport } from './send-fixtures.js';

describe('send pipeline', () => {
  it('serializes, addresses, signs (V4 by default) and deserializes', async () => {
    const transport = scriptedTransport(() => reply(200, { etag: '"E"' }));
    const out = await send(context(transport), putObject, { bucket: 'bk1', key: 'dir/a b.txt', body: 'hello' });
    expect(out).toEqual({ requestId: 'req-200', etag: '"E"' });
    const [call] = transport.calls;
    expect(call!.request.method).toBe('PUT');
    expect(call!.request.url).toBe('https://bk1.oss-cn-hangzhou.aliyuncs.com/dir/a%20b.txt');
    const h = call!.request.headers;
    expect(h['authorization']).toMatch(/^OSS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/cn-hangzhou\/oss\/aliyun_v4_request,Signature=[0-9a-f]{64}$/);
    expect(h['x-oss-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(h['x-oss-security-token']).toBe(CREDS.securityToken);
    expect(h['content-length']).toBe('5');
    expect(h['content-type']).toBe('text/plain');
    expect(new TextDecoder().decode(call!.body)).toBe('hello');
  });

  it('signs with V1 when asked', async () => {
    const transport = scriptedTransport(() => reply(200));
    await send(context(transport, { signatureVersion: 'v1' }), headObject, { bucket: 'bk1', key: 'k' });
    const h = transport.calls[0]!.request.headers;
    expect(h['authorization']).toMatch(/^OSS AKIDEXAMPLE:[A-Za-z0-9+/]{27}=$/);
    expect(h['x-oss-date']).toMatch(/GMT$/);
  });

  it('signs every attempt with a fresh date from the (skew-corrected) clock', async () => {
    let now = Date.UTC(2024, 0, 1, 0, 0, 0);
    const transport = scriptedTransport((_, n) => (n === 1 ? reply(503, {}, errorXml('ServiceUnavailable')) : reply(200)));
    const sleep = vi.fn(async () => {
      now += 61_000;
    });
    await send(context(transport, { clock: new SkewedClock(() => now), retry: { sleep } }), headObject, { bucket: 'bk1', key: 'k' });
    const dates = transport.calls.map((c) => c.request.headers['x-oss-date']);
    expect(dates).toEqual(['20240101T000000Z', '20240101T000101Z']);
    expect(transport.calls[0]!.request.headers['authorization']).not.toBe(transport.calls[1]!.request.headers['authorization']);
  });

  it('refuses bad input before any request', async () => {
    const transport = scriptedTransport(() => reply(200));
    const ctx = context(transport);
    for (const input of [
      { bucket: 'Bad_Bucket', key: 'k', body: 'x' },
      { bucket: 'bk1', key: 'x'.repeat(1024), body: 'x' },
      { bucket: undefined, key: 'k', body: 'x' },
      { bucket: 'bk1', key: '', body: 'x' },
      { bucket: 'bk1', key: 'k', body: 42 as unknown as string },
    ]) {
      const error = await send(ctx, putObject, input).catch((e: unknown) => e);
      expect(isOssClientError(error, 'InvalidArgument')).toBe(true);
      expect((error as Error).message).toContain('PutObject');
    }
    expect(transport.calls).toHaveLength(0);
  });

  it('fails with CredentialsError before any request when there are no credentials', async () => {
    const transport = scriptedTransport(() => reply(200));
    const ctx = { ...context(transport), credentials: createCredentialsResolver(undefined) };
    const error = await send(ctx, headObject, { bucket: 'bk1', key: 'k' }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'CredentialsError')).toBe(true);
    expect(transport.calls).toHaveLength(0);
  });

  it('refuses an already-aborted signal with Aborted', async () => {
    const transport = scriptedTransport(() => reply(200));
    const controller = new AbortController();
    controller.abort();
    const error = await send(context(transport), headObject, { bucket: 'bk1', key: 'k', signal: controller.signal }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'Aborted')).toBe(true);
    expect(transport.calls).toHaveLength(0);
  });

  it('names the operation, bucket and key on an early Aborted, like on every other failure', async () => {
    const transport = scriptedTransport(() => reply(200));
    const reason = new Error('user left');
    const signal = AbortSignal.abort(reason);
    const error = await send(context(transport), headObject, { bucket: 'bk1', key: 'dir/k', signal }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'Aborted')).toBe(true);
    expect(error).toMatchObject({ operation: 'HeadObject', bucket: 'bk1', key: 'dir/k' });
    expect((error as Error).message).toContain('HeadObject bk1/dir/k');
    expect((error as Error).cause).toBe(reason);
  });

  it('names the operation on an abort during a retry backoff', async () => {
    const controller = new AbortController();
    const transport = scriptedTransport(() => reply(503, {}, errorXml('ServiceUnavailable')));
    // The real abortableSleep's answer to an abort that arrives while it waits.
    const sleep = (_ms: number, signal?: AbortSignal): Promise<void> => {
      controller.abort();
      return Promise.reject(abortedError(signal!));
    };
    const ctx = context(transport, { retry: { sleep } });
    const error = await send(ctx, headObject, { bucket: 'bk1', key: 'k', signal: controller.signal }).catch((e: unknown) => e);
    expect(isOssClientError(error, 'Aborted')).toBe(true);
    expect(error).toMatchObject({ operation: 'HeadObject', bucket: 'bk1', key: 'k' });
  });

  it('passes the signal and timeout to the transport and maps upload progress', async () => {
    const transport = scriptedTransport(() => reply(200));
    const controller = new AbortController();
    const progress = vi.fn();
    await send(context(transport), putObject, { bucket: 'bk1', key: 'k', body: new Uint8Array(10), signal: controller.signal, onProgress: progress });
    expect(transport.calls[0]!.options.signal).toBe(controller.signal);
    expect(transport.calls[0]!.options.timeoutMs).toBe(1000);
    expect(progress).toHaveBeenCalledWith({ loadedBytes: 10, totalBytes: 10 });
  });

  it('guesses Content-Type from the key, else application/octet-stream; an explicit one wins', async () => {
    const transport = scriptedTransport(() => reply(200));
    const ctx = context(transport);
    await send(ctx, putObject, { bucket: 'bk1', key: 'a.bin', body: 'x' });
    await send(ctx, putObject, { bucket: 'bk1', key: 'a.txt', body: 'x', contentType: 'application/json' });
    await send(ctx, putObject, { bucket: 'bk1', key: 'a.bin', body: new Blob(['x'], { type: 'image/png' }) });
    expect(transport.calls.map((c) => c.request.headers['content-type'])).toEqual([
      'application/octet-stream',
      'application/json',
      'image/png',
    ]);
  });

  it('sends the user agent when configured', async () => {
    const transport = scriptedTransport(() => reply(200));
    await send(context(transport, { userAgent: 'osskit/test' }), headObject, { bucket: 'bk1', key: 'k' });
    expect(transport.calls[0]!.request.headers['user-agent']).toBe('osskit/test');
  });

  it('cancels an unread body of a non-streaming command, and keeps a streaming one open', async () => {
    const cancelled = vi.fn();
    const body = () => new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(new Uint8Array(1)), cancel: cancelled });
    const transport = scriptedTransport(() => ({ status: 200, headers: {}, body: body() }));
    await send(context(transport), headObject, { bucket: 'bk1', key: 'k' });
    expect(cancelled).toHaveBeenCalledTimes(1);
    const out = await send(context(transport, { crc64Check: false }), getObject, { bucket: 'bk1', key: 'k' });
    expect(cancelled).toHaveBeenCalledTimes(1);
    expect(out.body.locked).toBe(false);
  });

  it('maps a 203 answer to CallbackFailed', async () => {
    const transport = scriptedTransport(() => reply(203, {}, errorXml('CallbackFailed', { EC: '0007-00000203' })));
    const error = await send(context(transport), putObject, { bucket: 'bk1', key: 'k', body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error).toMatchObject({ code: 'CallbackFailed', status: 203, ec: '0007-00000203' });
    expect(transport.calls).toHaveLength(1);
  });

  it('accepts statuses a command declares as success', async () => {
    const command: Command<{ bucket: string }, number> = {
      name: 'Probe',
      options: { okStatuses: [304] },
      serialize: (input) => ({ method: 'GET', bucket: input.bucket, query: {}, headers: {} }),
      deserialize: async (response) => response.status,
    };
    const transport = scriptedTransport(() => reply(304));
    expect(await send(context(transport), command, { bucket: 'bk1' })).toBe(304);
  });
});
