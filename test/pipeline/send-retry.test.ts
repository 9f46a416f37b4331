import { describe, expect, it, vi } from 'vitest';
import { headObject } from '../../src/commands/object/head-object.js';
import { putObject } from '../../src/commands/object/put-object.js';
import { RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } from '../../src/defaults.js';
import { isOssClientError, OssClientError, OssError } from '../../src/errors.js';
import { abortableSleep, backoffDelay, isRetryable, withRetry } from '../../src/pipeline/retry.js';
import { send } from '../../src/pipeline/send.js';
import { context, errorXml, reply, scriptedTransport } from './send-fixtures.js';

const ossError = (status: number, code = 'X') => new OssError({ code, status, message: code });

describe('isRetryable', () => {
  it('retries network errors, timeouts, 5xx and 429 only', () => {
    expect(isRetryable(new OssClientError('NetworkError', 'reset'))).toBe(true);
    expect(isRetryable(new OssClientError('Timeout', 'slow'))).toBe(true);
    expect(isRetryable(ossError(500))).toBe(true);
    expect(isRetryable(ossError(503))).toBe(true);
    expect(isRetryable(ossError(429))).toBe(true);
    for (const status of [400, 403, 404, 409, 412]) expect(isRetryable(ossError(status))).toBe(false);
    for (const code of ['Aborted', 'CrcMismatch', 'InvalidArgument', 'CredentialsError'] as const) {
      expect(isRetryable(new OssClientError(code, 'x'))).toBe(false);
    }
    expect(isRetryable(new Error('anything'))).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('is full jitter under an exponential cap', () => {
    expect(backoffDelay(1, { random: () => 0.999999 })).toBe(RETRY_BASE_DELAY_MS - 1);
    expect(backoffDelay(3, { random: () => 0.5 })).toBe((RETRY_BASE_DELAY_MS * 4) / 2);
    expect(backoffDelay(30, { random: () => 0.999999 })).toBeLessThan(RETRY_MAX_DELAY_MS);
    expect(backoffDelay(30, { random: () => 0.999999 })).toBeGreaterThan(RETRY_MAX_DELAY_MS - 10);
    expect(backoffDelay(2, { random: () => 0 })).toBe(0);
  });
});

describe('withRetry', () => {
  const sleep = vi.fn(async () => undefined);

  it('stops at maxAttempts', async () => {
    const attempt = vi.fn(async () => {
      throw ossError(500);
    });
    await expect(withRetry(attempt, { maxAttempts: 4, replayable: true, sleep })).rejects.toMatchObject({ status: 500 });
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it('does not retry when the body cannot be replayed', async () => {
    const attempt = vi.fn(async () => {
      throw new OssClientError('NetworkError', 'reset');
    });
    await expect(withRetry(attempt, { maxAttempts: 3, replayable: false, sleep })).rejects.toMatchObject({ code: 'NetworkError' });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('an abort during backoff ends with Aborted', async () => {
    const controller = new AbortController();
    const attempt = vi.fn(async () => {
      controller.abort();
      throw ossError(503);
    });
    await expect(withRetry(attempt, { maxAttempts: 3, replayable: true, signal: controller.signal })).rejects.toMatchObject({
      status: 503,
    });
    expect(attempt).toHaveBeenCalledTimes(1);
    await expect(abortableSleep(10_000, controller.signal)).rejects.toSatisfy((e) => isOssClientError(e, 'Aborted'));
  });

  it('abortableSleep rejects when aborted mid-wait', async () => {
    const controller = new AbortController();
    const waiting = abortableSleep(10_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((e) => isOssClientError(e, 'Aborted'));
  });
});

describe('retry through send()', () => {
  it('retries 5xx and 429, then succeeds', async () => {
    const transport = scriptedTransport((_, n) =>
      n === 1 ? reply(500, {}, errorXml('InternalError')) : n === 2 ? reply(429, {}, errorXml('TooManyRequests')) : reply(200),
    );
    const out = await send(context(transport), headObject, { bucket: 'bk1', key: 'k' });
    expect(out.requestId).toBe('req-200');
    expect(transport.calls).toHaveLength(3);
  });

  it('retries network errors and resends the same bytes', async () => {
    const transport = scriptedTransport((_, n) => (n === 1 ? new OssClientError('NetworkError', 'reset') : reply(200)));
    await send(context(transport), putObject, { bucket: 'bk1', key: 'k', body: 'payload' });
    expect(transport.calls.map((c) => new TextDecoder().decode(c.body))).toEqual(['payload', 'payload']);
  });

  it('never retries a 4xx', async () => {
    for (const [status, code] of [[400, 'InvalidArgument'], [403, 'AccessDenied'], [404, 'NoSuchKey']] as const) {
      const transport = scriptedTransport(() => reply(status, {}, errorXml(code)));
      await expect(send(context(transport), headObject, { bucket: 'bk1', key: 'k' })).rejects.toMatchObject({ code, status });
      expect(transport.calls).toHaveLength(1);
    }
  });

  it('gives up after maxAttempts with the last error', async () => {
    const transport = scriptedTransport(() => reply(503, {}, errorXml('ServiceUnavailable')));
    await expect(send(context(transport, { maxAttempts: 2 }), headObject, { bucket: 'bk1', key: 'k' })).rejects.toMatchObject({
      code: 'ServiceUnavailable',
    });
    expect(transport.calls).toHaveLength(2);
  });

  it('sends a stream body once, even on a retryable failure', async () => {
    const transport = scriptedTransport(() => reply(500, {}, errorXml('InternalError')));
    const body = new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new Uint8Array([1, 2])), c.close()) });
    await expect(send(context(transport), putObject, { bucket: 'bk1', key: 'k', body })).rejects.toMatchObject({ status: 500 });
    expect(transport.calls).toHaveLength(1);
  });

  it('retries a Blob body (it can be read again)', async () => {
    const transport = scriptedTransport((_, n) => (n === 1 ? new OssClientError('Timeout', 'slow') : reply(200)));
    await send(context(transport), putObject, { bucket: 'bk1', key: 'k', body: new Blob(['abc']) });
    expect(transport.calls.map((c) => new TextDecoder().decode(c.body))).toEqual(['abc', 'abc']);
  });
});
