/**
 * The retry policy: which failures are worth another attempt, and how long to wait. Decided from
 * status, error code and error class — never from message text.
 */
import { RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } from '../defaults.js';
import { OssClientError, OssError } from '../errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** False when the request body cannot be sent twice (a stream): then nothing is retried. */
  replayable: boolean;
  signal?: AbortSignal;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injectable for tests. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Network errors, timeouts, 5xx and 429 are transient; 4xx, aborts, CRC mismatches and refused
 * input are not.
 *
 * @example isRetryable(new OssError({ code: 'InternalError', status: 500, message: '' })) // true
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof OssClientError) return error.code === 'NetworkError' || error.code === 'Timeout';
  if (error instanceof OssError) return error.status >= 500 || error.status === 429;
  return false;
}

/**
 * Full-jitter exponential backoff: a random wait in [0, min(max, base·2^(retry-1))).
 *
 * @example backoffDelay(1, { random: () => 0.5 }) // 50 with the 100 ms base
 */
export function backoffDelay(
  retry: number,
  options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'> = {},
): number {
  const base = options.baseDelayMs ?? RETRY_BASE_DELAY_MS;
  const cap = Math.min(options.maxDelayMs ?? RETRY_MAX_DELAY_MS, base * 2 ** (retry - 1));
  return Math.floor((options.random ?? Math.random)() * cap);
}

/**
 * Runs `attempt` until it succeeds, fails for good, or `maxAttempts` is spent.
 *
 * @example
 * await withRetry((n) => transport.send(request, {}), { maxAttempts: 3, replayable: true });
 */
export async function withRetry<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? abortableSleep;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const more = n < options.maxAttempts && options.replayable && !options.signal?.aborted;
      if (!more || !isRetryable(error)) throw error;
    }
    await sleep(backoffDelay(n, options), options.signal);
  }
}

/** Waits `ms`; an abort ends the wait with `Aborted`. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The error for an aborted signal: `Timeout` when the signal timed out (`AbortSignal.timeout(ms)`,
 * also inside `AbortSignal.any`, aborts with a `TimeoutError` DOMException), else `Aborted`.
 */
export function abortedError(signal: AbortSignal): OssClientError {
  const reason: unknown = signal.reason;
  if (typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError') {
    return new OssClientError('Timeout', 'the signal timed out', { cause: reason });
  }
  return new OssClientError('Aborted', 'the request was aborted', { cause: reason });
}
