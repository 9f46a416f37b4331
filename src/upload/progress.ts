/**
 * Progress of a managed upload. `loadedBytes` never decreases (a retried part does not move it
 * back) and equals `totalBytes` exactly once: in the final `done` event, after the object exists.
 * Until then it is held one byte short, and a `completing` event says the parts are all stored and
 * CompleteMultipartUpload (with its callback) is running, so 100% never sits silent.
 */
import type { Progress } from '../commands/types.js';

/** `uploading`: parts in flight; `completing`: CompleteMultipartUpload or the single PUT's answer; `done`: stored. */
export type UploadStage = 'uploading' | 'completing' | 'done';

/** What `onProgress` receives from `upload()` / `uploadFile()`: the contract's shape plus the stage. */
export interface UploadProgress extends Progress {
  stage: UploadStage;
}

export type UploadProgressListener = (progress: UploadProgress) => void;

/** Sums confirmed bytes and the bytes of parts in flight, and reports them monotonically. */
export class ProgressTracker {
  readonly #listener: UploadProgressListener | undefined;
  readonly #total: number | undefined;
  #confirmed = 0;
  readonly #inFlight = new Map<number, number>();
  #last = -1;

  constructor(listener: UploadProgressListener | undefined, totalBytes: number | undefined) {
    this.#listener = listener;
    this.#total = totalBytes;
  }

  /** First event: a resumed upload starts from the bytes the service already holds. */
  start(confirmedBytes: number): void {
    this.#confirmed = confirmedBytes;
    this.#emit('uploading', false);
  }

  /** Byte-level progress of one part, as the transport reports it. */
  partProgress(partNumber: number, loadedBytes: number): void {
    this.#inFlight.set(partNumber, loadedBytes);
    this.#emit('uploading', false);
  }

  /** A part is being sent again: its bytes no longer count (the reported value holds still). */
  partRetry(partNumber: number): void {
    this.#inFlight.set(partNumber, 0);
  }

  partDone(partNumber: number, size: number): void {
    this.#inFlight.delete(partNumber);
    this.#confirmed += size;
    this.#emit('uploading', false);
  }

  partFailed(partNumber: number): void {
    this.#inFlight.delete(partNumber);
  }

  completing(): void {
    this.#emit('completing', true);
  }

  /** The only event where `loadedBytes === totalBytes`; for a stream this is where the total becomes known. */
  done(totalBytes: number): void {
    this.#call({ loadedBytes: totalBytes, totalBytes, stage: 'done' });
  }

  #emit(stage: UploadStage, always: boolean): void {
    let loaded = this.#confirmed;
    for (const bytes of this.#inFlight.values()) loaded += bytes;
    // Held one short of the total until done(), so the total is reported exactly once.
    if (this.#total !== undefined) loaded = Math.min(loaded, Math.max(0, this.#total - 1));
    loaded = Math.max(loaded, this.#last);
    if (!always && loaded === this.#last) return;
    this.#last = loaded;
    this.#call({ loadedBytes: loaded, totalBytes: this.#total, stage });
  }

  #call(progress: UploadProgress): void {
    if (!this.#listener) return;
    try {
      this.#listener(progress);
    } catch {
      // A failing listener must not break the upload.
    }
  }
}
