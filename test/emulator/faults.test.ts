/**
 * Fault injection (src/emulator/faults.ts) and request statistics (stats.ts), through the server.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { FaultController } from '../../src/emulator/faults.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { signV4 } from '../../src/signer/v4.js';
import { createBucket, putObject, send, xmlText } from './helpers.js';

let emu: Emulator;
const B = 'faults';
const BIG = 'x'.repeat(64 * 1024);

beforeAll(async () => {
  emu = await startEmulator();
  await createBucket(emu, B);
  await putObject(emu, B, 'big.bin', BIG);
});
afterEach(() => {
  emu.faults.clear();
});
afterAll(async () => {
  await emu.close();
});

/** A GET that reports how far it got instead of throwing. */
function rawGet(key: string): Promise<{ status?: number; contentLength?: number; received: number; error?: string }> {
  const headers = signV4({ method: 'GET', bucket: B, key, query: {}, headers: {} }, emu.credentials, { now: new Date(), region: emu.region });
  return new Promise((resolve) => {
    let received = 0;
    let status: number | undefined;
    let contentLength: number | undefined;
    const req = httpRequest({ host: emu.host, port: emu.port, path: `/${B}/${key}`, headers, agent: false }, (res) => {
      status = res.statusCode;
      contentLength = Number(res.headers['content-length']);
      res.on('data', (c: Buffer) => (received += c.length));
      res.on('end', () => resolve({ status, contentLength, received }));
      res.on('aborted', () => resolve({ status, contentLength, received, error: 'aborted' }));
      res.on('error', (e) => resolve({ status, contentLength, received, error: e.message }));
    });
    req.on('error', (e) => resolve({ status, contentLength, received, error: e.message }));
    req.end();
  });
}

describe('failNext', () => {
  test('fails exactly `count` requests of that operation with the given status and code', async () => {
    emu.faults.failNext('PutObject', 2, 503, 'ServiceUnavailable');
    const first = await putObject(emu, B, 'f.txt', 'v');
    expect(first.status).toBe(503);
    expect(xmlText(first.text, 'Code')).toBe('ServiceUnavailable');
    expect(first.headers['x-oss-request-id']).toMatch(/^[0-9A-F]{24}$/);
    // Other operations are untouched.
    expect((await send(emu, { bucket: B, key: 'big.bin', method: 'HEAD' })).status).toBe(200);
    expect((await putObject(emu, B, 'f.txt', 'v')).status).toBe(503);
    expect((await putObject(emu, B, 'f.txt', 'v')).status).toBe(200);
  });

  test('defaults to 500 InternalError and the failed request has no effect', async () => {
    emu.faults.failNext('DeleteObject', 1);
    const res = await send(emu, { method: 'DELETE', bucket: B, key: 'big.bin' });
    expect(res.status).toBe(500);
    expect(xmlText(res.text, 'Code')).toBe('InternalError');
    expect((await send(emu, { method: 'HEAD', bucket: B, key: 'big.bin' })).status).toBe(200);
  });
});

test('resetNext destroys the connection without an answer, then recovers', async () => {
  emu.faults.resetNext('GetObject', 1);
  const cut = await rawGet('big.bin');
  expect(cut.status).toBeUndefined();
  expect(cut.error).toBeTruthy();
  const ok = await rawGet('big.bin');
  expect(ok.status).toBe(200);
  expect(ok.received).toBe(BIG.length);
});

test('dropMidBody sends the headers and part of the body, then cuts', async () => {
  emu.faults.dropMidBody('GetObject', 1);
  const cut = await rawGet('big.bin');
  expect(cut.status).toBe(200);
  expect(cut.contentLength).toBe(BIG.length);
  expect(cut.received).toBeLessThan(BIG.length);
  expect(cut.error).toBeTruthy();
  const ok = await rawGet('big.bin');
  expect(ok.received).toBe(BIG.length);
  expect(ok.error).toBeUndefined();
});

test('latency delays only the chosen operation (ordering, not duration)', async () => {
  emu.faults.latency(800, 'GetObject');
  const order: string[] = [];
  const slow = send(emu, { bucket: B, key: 'big.bin' }).then((r) => order.push(`GetObject ${r.status}`));
  const fast = send(emu, { method: 'HEAD', bucket: B, key: 'big.bin' }).then((r) => order.push(`HeadObject ${r.status}`));
  await Promise.all([slow, fast]);
  expect(order).toEqual(['HeadObject 200', 'GetObject 200']);
});

describe('failRandom', () => {
  test('probability 1 fails every request; 0 turns it off', async () => {
    emu.faults.failRandom('HeadObject', 1);
    for (let i = 0; i < 3; i++) expect((await send(emu, { method: 'HEAD', bucket: B, key: 'big.bin' })).status).toBe(500);
    emu.faults.failRandom('HeadObject', 0);
    expect((await send(emu, { method: 'HEAD', bucket: B, key: 'big.bin' })).status).toBe(200);
  });

  test('a seed makes the failures reproducible', async () => {
    const run = async () => {
      emu.faults.failRandom('HeadObject', 0.5, 42);
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push((await send(emu, { method: 'HEAD', bucket: B, key: 'big.bin' })).status);
      emu.faults.clear();
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });
});

test('clear removes every pending fault', async () => {
  emu.faults.failNext('GetObject', 5);
  emu.faults.resetNext('PutObject', 5);
  emu.faults.clear();
  expect((await send(emu, { bucket: B, key: 'big.bin' })).status).toBe(200);
  expect((await putObject(emu, B, 'after-clear', 'x')).status).toBe(200);
});

test('"*" matches every operation', async () => {
  emu.faults.failNext('*', 1, 502, 'BadGateway');
  expect((await send(emu, { method: 'HEAD', bucket: B, key: 'big.bin' })).status).toBe(502);
  expect((await send(emu, { method: 'HEAD', bucket: B, key: 'big.bin' })).status).toBe(200);
});

test('stats count requests per operation (failed ones included) and reset', async () => {
  emu.stats.reset();
  emu.faults.failNext('PutObject', 1);
  await putObject(emu, B, 's.txt', 'x');
  await putObject(emu, B, 's.txt', 'x');
  await send(emu, { bucket: B, key: 's.txt' });
  await send(emu, { bucket: B, query: { 'list-type': '2' } });
  expect(emu.stats.count('PutObject')).toBe(2);
  expect(emu.stats.count('GetObject')).toBe(1);
  expect(emu.stats.count('ListObjectsV2')).toBe(1);
  expect(emu.stats.count('DeleteObject')).toBe(0);
  expect(emu.stats.count()).toBe(4);
  expect(emu.stats.snapshot()).toEqual({ PutObject: 2, GetObject: 1, ListObjectsV2: 1 });
  emu.stats.reset();
  expect(emu.stats.count('PutObject')).toBe(0);
});

test('FaultController queues faults in order per operation', () => {
  const faults = new FaultController();
  faults.failNext('UploadPart', 1, 503, 'SlowDown');
  faults.resetNext('UploadPart', 1);
  expect(faults.take('UploadPart').fail).toEqual({ status: 503, code: 'SlowDown' });
  expect(faults.take('UploadPart').reset).toBe(true);
  expect(faults.take('UploadPart')).toEqual({ delayMs: 0 });
});
