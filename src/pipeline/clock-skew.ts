/**
 * Clock-skew correction (docs/protocol.md, "Signature V1"): a signature dated more than 15 minutes away from
 * the server's clock is refused with `RequestTimeTooSkewed`. The client then takes the offset from
 * the server's time, re-signs once, and keeps the offset for later requests.
 */
import { OssError } from '../errors.js';

/** The client's notion of "now": the local clock plus the offset learned from the server. */
export class SkewedClock {
  offsetMs = 0;
  readonly #local: () => number;

  constructor(local: () => number = Date.now) {
    this.#local = local;
  }

  now(): Date {
    return new Date(this.#local() + this.offsetMs);
  }

  /** Learns the offset from a server time; returns false when the time is unusable. */
  adjust(serverTime: Date | undefined): boolean {
    if (!serverTime || Number.isNaN(serverTime.getTime())) return false;
    this.offsetMs = serverTime.getTime() - this.#local();
    return true;
  }
}

/** Server time of a `RequestTimeTooSkewed` error: `<ServerTime>` from the body, else the `Date` header. */
export type ServerTimeOf = (error: OssError) => Date | undefined;

/**
 * Wraps an attempt: on the first `RequestTimeTooSkewed` it corrects the clock and tries again
 * (the attempt re-signs with the clock's fresh `now()`).
 *
 * @example
 * const run = withClockSkew(() => attempt(), clock, serverTimeOf, true);
 */
export function withClockSkew<T>(
  attempt: () => Promise<T>,
  clock: SkewedClock,
  serverTimeOf: ServerTimeOf,
  replayable: boolean,
): () => Promise<T> {
  let corrected = false;
  return async () => {
    try {
      return await attempt();
    } catch (error) {
      const skewed = error instanceof OssError && error.code === 'RequestTimeTooSkewed';
      if (!skewed || corrected || !replayable || !clock.adjust(serverTimeOf(error))) throw error;
      corrected = true;
      return attempt();
    }
  };
}
