/**
 * Request counts per OSS operation, so tests can assert how many calls (retries included) a client made.
 */

/**
 * Reached through `emu.stats`.
 * @example emu.stats.reset(); await client.putObject(…); emu.stats.count('PutObject') // 1
 */
export class RequestStats {
  readonly #counts = new Map<string, number>();

  /** Counts one request. */
  record(operation: string): void {
    this.#counts.set(operation, (this.#counts.get(operation) ?? 0) + 1);
  }

  /** Requests seen for `operation` since start or the last reset; no argument gives the total. */
  count(operation?: string): number {
    if (operation === undefined) {
      let total = 0;
      for (const n of this.#counts.values()) total += n;
      return total;
    }
    return this.#counts.get(operation) ?? 0;
  }

  /** A copy of every counter. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  reset(): void {
    this.#counts.clear();
  }
}
