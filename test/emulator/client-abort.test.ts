/**
 * Issue 10 item 14: a client that disconnects in the middle of its request body is normal traffic.
 * The emulator logs nothing for it (no "handler failed", no stack trace); with
 * OSSKIT_EMULATOR_DEBUG set it logs one quiet line.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { encodePath } from '../../src/signer/encode.js';
import { signV4 } from '../../src/signer/v4.js';
import { createBucket } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  delete process.env['OSSKIT_EMULATOR_DEBUG'];
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts a signed upload promising 4 MiB, sends 256 KiB, and returns a function that cuts the connection. */
function partialUpload(emu: Emulator, bucket: string, key: string, query: Record<string, string> = {}): () => void {
  const headers = signV4({ method: 'PUT', bucket, key, query, headers: {} }, emu.credentials, { now: new Date(), region: emu.region });
  const search = new URLSearchParams(query).toString();
  const req = request({
    host: emu.host,
    port: emu.port,
    method: 'PUT',
    path: encodePath(`/${bucket}/${key}`) + (search ? `?${search}` : ''),
    headers: { ...headers, 'content-length': String(4 * 1024 * 1024) },
    agent: false,
  });
  req.on('error', () => undefined);
  req.write(Buffer.alloc(256 * 1024, 7));
  return () => req.destroy();
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

test('logs nothing when a client goes away mid-body (PutObject and UploadPart)', async () => {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'osskit-abort-'));
  dirs.push(dir);
  const emu = await startEmulator({ dataDir: dir });
  try {
    await createBucket(emu, 'abort');
    const tmp = join(dir, 'tmp');
    const started = await fetch(`${emu.endpoint}/abort/mp?uploads`, {
      method: 'POST',
      headers: signV4({ method: 'POST', bucket: 'abort', key: 'mp', query: { uploads: '' }, headers: {} }, emu.credentials, { now: new Date(), region: emu.region }),
    });
    const uploadId = /<UploadId>(\w+)<\/UploadId>/.exec(await started.text())![1]!;
    for (const [key, query] of [['put.bin', {}], ['mp', { partNumber: '1', uploadId }]] as const) {
      const cut = partialUpload(emu, 'abort', key, query);
      // The emulator is receiving the body into a temporary file: cut the connection now.
      await vi.waitFor(() => expect(readdirSync(tmp)).toHaveLength(1), { timeout: 5000 });
      cut();
      // It notices, drops the partial body and finishes with the request.
      await vi.waitFor(() => expect(readdirSync(tmp)).toHaveLength(0), { timeout: 5000 });
      await settle();
    }
    expect(errors).not.toHaveBeenCalled();
    expect(emu.storage.getObject('abort', 'put.bin')).toBeUndefined();
    expect(emu.storage.getUpload('abort', uploadId)?.parts.size).toBe(0);
    expect(existsSync(tmp)).toBe(true);
  } finally {
    await emu.close();
  }
});

test('with OSSKIT_EMULATOR_DEBUG set, logs one quiet line per client that goes away', async () => {
  process.env['OSSKIT_EMULATOR_DEBUG'] = '1';
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const emu = await startEmulator();
  try {
    await createBucket(emu, 'abort');
    const cut = partialUpload(emu, 'abort', 'debug.bin');
    await vi.waitFor(() => expect(emu.stats.count('PutObject')).toBe(1), { timeout: 5000 });
    cut();
    await vi.waitFor(() => expect(errors).toHaveBeenCalled(), { timeout: 5000 });
    await settle();
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0]).toHaveLength(1);
    expect(errors.mock.calls[0]![0]).toMatch(/^osskit emulator: client went away during PUT \/abort\/debug\.bin \(request [0-9A-F]{24}\)$/);
  } finally {
    await emu.close();
  }
});
