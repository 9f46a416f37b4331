/**
 * Saves a resumable record after each finished part without ever running two saves at once: a
 * request that arrives while a save is running is folded into one more save afterwards, so a burst
 * of parts costs one write and the last state always lands. Shared by uploads and downloads.
 */
export class CoalescedSave {
  readonly #save: () => Promise<void>;
  #running: Promise<void> | undefined;
  #again = false;

  /** `save` writes the current state; its failures are swallowed (they only cost resumability). */
  constructor(save: () => Promise<void>) {
    this.#save = save;
  }

  /** Asks for a save soon; returns at once. */
  schedule(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop();
  }

  /** Waits until no save is running or pending. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      await this.#save().catch(() => undefined);
    } while (this.#again);
    this.#running = undefined;
  }
}
