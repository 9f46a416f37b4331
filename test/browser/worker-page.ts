/**
 * The page of the Worker test: starts the dedicated Worker (/worker.js, a classic IIFE bundle) and
 * exposes `window.osskitWorker.call(op, ...args)`, a promise over postMessage. The title turns
 * `osskit-ready` once the worker has loaded, or `osskit-worker-error` when it failed to.
 */
import type { WorkerOps } from './worker.js';

interface Reply {
  id?: number;
  ready?: boolean;
  ok?: boolean;
  value?: unknown;
  error?: { name: string; code: string; message: string };
}

/** A worker-side failure, carried back to the Node side as plain data. */
export interface WorkerFailure {
  failed: true;
  name: string;
  code: string;
  message: string;
}

const worker = new Worker('/worker.js');
const pending = new Map<number, (reply: Reply) => void>();
let nextId = 0;

worker.onmessage = (event: MessageEvent<Reply>) => {
  const reply = event.data;
  if (reply.ready) {
    document.title = 'osskit-ready';
    return;
  }
  pending.get(reply.id!)?.(reply);
  pending.delete(reply.id!);
};
worker.onerror = (event) => {
  document.title = `osskit-worker-error: ${event.message}`;
};

function call<K extends keyof WorkerOps>(
  op: K,
  ...args: Parameters<WorkerOps[K]>
): Promise<Awaited<ReturnType<WorkerOps[K]>> | WorkerFailure> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, (reply) =>
      resolve(reply.ok ? (reply.value as Awaited<ReturnType<WorkerOps[K]>>) : { failed: true, ...reply.error! }),
    );
    worker.postMessage({ id, op, args });
  });
}

const api = { call };

declare global {
  interface Window {
    osskitWorker: typeof api;
  }
}

window.osskitWorker = api;
