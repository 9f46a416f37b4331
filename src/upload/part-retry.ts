/**
 * Per-part retries (on top of send()'s own): a part whose request keeps failing with a transient
 * error is sent again after a jittered backoff; the final error names the part.
 */
import { OssClientError, OssError, restateOssError } from '../errors.js';
import { abortableSleep, backoffDelay, isRetryable } from '../pipeline/retry.js';

export const DEFAULT_PART_ATTEMPTS = 3;

/**
 * send()'s transient failures (network, timeouts, 5xx, 429), plus a CRC mismatch: a part is held
 * in memory, so bytes damaged in transit are simply sent again. Never 4xx.
 */
export function isRetryablePartError(error: unknown): boolean {
  return isRetryable(error) || (error instanceof OssClientError && error.code === 'CrcMismatch');
}

export interface PartRetryOptions {
  attempts: number;
  signal: AbortSignal;
  /** Used in the final error message, e.g. `part 7`. */
  label: string;
  operation: string;
  bucket?: string;
  key: string;
  /** Called before each new attempt. */
  onRetry?: () => void;
  /** Tests pass 0 to skip the waiting. */
  baseDelayMs?: number;
}

/** Runs `attempt` until it succeeds, fails with a permanent error, or runs out of attempts. */
export async function withPartRetries<T>(attempt: () => Promise<T>, options: PartRetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (options.signal.aborted) throw error;
      if (!isRetryablePartError(error) || n >= options.attempts) throw nameThePart(error, n, options);
      await abortableSleep(backoffDelay(n, { baseDelayMs: options.baseDelayMs }), options.signal);
      options.onRetry?.();
    }
  }
}

/**
 * The answer, unless the service's CRC-64 of what it stored differs from `expected` (ours, when we
 * hashed): then `CrcMismatch` naming the part, which withPartRetries sends again.
 */
export function checkSentCrc<T extends { crc64?: string }>(answer: T, expected: string | undefined, o: PartRetryOptions): T {
  if (answer.crc64 === undefined || expected === undefined || answer.crc64 === expected) return answer;
  throw new OssClientError('CrcMismatch', `${o.label}: the service's CRC-64 differs from the bytes sent`, {
    operation: o.operation,
    bucket: o.bucket,
    key: o.key,
  });
}

/** Same class and code as the failure, with the part in the message and the failure as `cause`. */
function nameThePart(error: unknown, attempts: number, o: PartRetryOptions): unknown {
  const message = `${o.label} failed after ${attempts} attempt${attempts === 1 ? '' : 's'} [${codeOf(error)}]`;
  const where = { operation: o.operation, bucket: o.bucket, key: o.key };
  if (error instanceof OssError) return restateOssError(error, message, where);
  if (error instanceof OssClientError) return new OssClientError(error.code, message, { ...where, cause: error });
  return error;
}

function codeOf(error: unknown): string {
  if (error instanceof OssError || error instanceof OssClientError) return error.code;
  return error instanceof Error ? error.name : 'Error';
}
