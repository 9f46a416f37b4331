/**
 * The undici transport reads response bodies in flowing mode into a bounded queue: a reader that
 * stops must stop the socket too (backpressure), bytes and errors must arrive in order, and a
 * reader that cancels must leave the connection pool usable.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isOssClientError } from '../../src/errors.js';
import { createUndiciTransport } from '../../src/transport/undici.node.js';
import type { Transport } from '../../src/transport/types.js';
import { startLocalServer, type LocalServer } from './local-server.js';

const MiB = 1024 * 1024;
let server: LocalServer;
let transport: Transport;

beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await transport?.close?.();
});

/** Serves `total` bytes of a known pattern in 64 KiB writes, honouring the socket's backpressure. */
function servePattern(total: number, sent: { bytes: number; done: boolean }, fail = false): void {
  server.handle((_req, res) => {
    res.writeHead(200, fail ? {} : { 'content-length': String(total) });
    const block = new Uint8Array(64 * 1024).map((_, i) => i & 0xff);
    const pump = (): void => {
      while (sent.bytes < total) {
        const n = Math.min(block.length, total - sent.bytes);
        sent.bytes += n;
        if (fail && sent.bytes >= total / 2) {
          res.socket?.destroy();
          return;
        }
        if (!res.write(block.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      sent.done = true;
      res.end();
    };
    pump();
  });
}

describe('undici transport response bodies', () => {
  it('stops the socket while the reader holds back, then delivers every byte in order', async () => {
    transport = createUndiciTransport({ connections: 1 });
    const total = 96 * MiB;
    const sent = { bytes: 0, done: false };
    servePattern(total, sent);
    const response = await transport.send({ method: 'GET', url: `${server.url}/big`, headers: {} }, {});
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // The reader now waits. Without backpressure the transport would take the whole body into
    // memory and the server would finish; with it, the server is held at socket buffers + queue.
    await sleep(400);
    expect(sent.done).toBe(false);
    expect(sent.bytes).toBeLessThan(48 * MiB);
    let received = first.value!.byteLength;
    let ordered = first.value!.every((b, i) => b === (i & 0xff));
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Every 64 KiB write starts the pattern again, and chunks may split writes anywhere.
      for (let i = 0; i < value.byteLength && ordered; i += 4099) ordered = value[i] === ((received + i) % 65536) % 256;
      received += value.byteLength;
    }
    expect(ordered).toBe(true);
    expect(received).toBe(total);
    expect(sent.done).toBe(true);
  });

  it('hands over the bytes that arrived, then the failure of a connection cut mid-body', async () => {
    transport = createUndiciTransport({ connections: 1 });
    const sent = { bytes: 0, done: false };
    servePattern(8 * MiB, sent, true);
    const response = await transport.send({ method: 'GET', url: `${server.url}/cut`, headers: {} }, {});
    const reader = response.body!.getReader();
    let received = 0;
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += value.byteLength;
      }
    })().catch((e: unknown) => e);
    expect(isOssClientError(error) && error.code).toBe('NetworkError');
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(sent.bytes);
  });

  it('a cancelled body leaves the pool usable for the next request', async () => {
    transport = createUndiciTransport({ connections: 1 });
    const sent = { bytes: 0, done: false };
    servePattern(32 * MiB, sent);
    const response = await transport.send({ method: 'GET', url: `${server.url}/a`, headers: {} }, {});
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    server.handle((_req, res) => res.end('ok'));
    const next = await transport.send({ method: 'GET', url: `${server.url}/b`, headers: {} }, { timeoutMs: 5000 });
    expect(new TextDecoder().decode(await new Response(next.body).arrayBuffer())).toBe('ok');
  });
});
