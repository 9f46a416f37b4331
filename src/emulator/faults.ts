/**
 * Injected failures for tests: errors, dropped connections, truncated bodies and delays, chosen per
 * OSS operation name (`PutObject`, `GetObject`, `UploadPart`, …; `*` matches every operation).
 */

import { mulberry32 } from './mulberry32.js';

/** What the server must do to one request. */
export interface FaultDecision {
  /** Wait this long before answering. */
  delayMs: number;
  /** Answer with this error instead of running the operation. */
  fail?: { status: number; code: string };
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  /** Send the headers and part of the body, then destroy the socket. */
  dropMidBody?: boolean;
}

type Action = { kind: 'fail'; status: number; code: string } | { kind: 'reset' } | { kind: 'drop' };

interface Queued {
  action: Action;
  remaining: number;
}

interface RandomFault {
  probability: number;
  random: () => number;
}

/**
 * Controls injected faults; reached through `emu.faults`.
 * @example
 * emu.faults.failNext('PutObject', 2, 503, 'ServiceUnavailable');
 * emu.faults.dropMidBody('GetObject', 1);
 */
export class FaultController {
  readonly #queues = new Map<string, Queued[]>();
  readonly #random = new Map<string, RandomFault>();
  readonly #latency = new Map<string, number>();

  #enqueue(operation: string, count: number, action: Action): void {
    if (!(count > 0)) return;
    const queue = this.#queues.get(operation) ?? [];
    queue.push({ action, remaining: Math.floor(count) });
    this.#queues.set(operation, queue);
  }

  /** The next `count` requests of `operation` fail with `status` and `code`. */
  failNext(operation: string, count: number, status = 500, code = 'InternalError'): void {
    this.#enqueue(operation, count, { kind: 'fail', status, code });
  }

  /** The next `count` requests of `operation` get their connection destroyed before an answer. */
  resetNext(operation: string, count: number): void {
    this.#enqueue(operation, count, { kind: 'reset' });
  }

  /** The next `count` answers of `operation` send their headers and half the body, then cut the connection. */
  dropMidBody(operation: string, count: number): void {
    this.#enqueue(operation, count, { kind: 'drop' });
  }

  /** Delays every answer (or those of one operation) by `ms`. `latency(0)` removes the delay. */
  latency(ms: number, operation = '*'): void {
    if (ms > 0) this.#latency.set(operation, ms);
    else this.#latency.delete(operation);
  }

  /**
   * Each request of `operation` fails with 500 InternalError with `probability`. Pass a seed (number)
   * or a generator returning [0, 1) for reproducible runs; probability 0 turns it off.
   */
  failRandom(operation: string, probability: number, seededRandom?: number | (() => number)): void {
    if (!(probability > 0)) {
      this.#random.delete(operation);
      return;
    }
    const random =
      typeof seededRandom === 'function' ? seededRandom : seededRandom === undefined ? Math.random : mulberry32(seededRandom);
    this.#random.set(operation, { probability, random });
  }

  /** Removes every injected fault. */
  clear(): void {
    this.#queues.clear();
    this.#random.clear();
    this.#latency.clear();
  }

  /** Consumes the fault (if any) for one request. Used by the server. */
  take(operation: string): FaultDecision {
    const delayMs = this.#latency.get(operation) ?? this.#latency.get('*') ?? 0;
    const decision: FaultDecision = { delayMs };
    const action = this.#dequeue(operation) ?? this.#dequeue('*');
    if (action?.kind === 'fail') decision.fail = { status: action.status, code: action.code };
    else if (action?.kind === 'reset') decision.reset = true;
    else if (action?.kind === 'drop') decision.dropMidBody = true;
    else {
      const random = this.#random.get(operation) ?? this.#random.get('*');
      if (random && random.random() < random.probability) decision.fail = { status: 500, code: 'InternalError' };
    }
    return decision;
  }

  #dequeue(operation: string): Action | undefined {
    const queue = this.#queues.get(operation);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    if (queue.length === 0) this.#queues.delete(operation);
    return head.action;
  }
}
