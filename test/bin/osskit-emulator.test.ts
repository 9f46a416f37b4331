/**
 * The `osskit-emulator` command (src/bin/osskit-emulator.ts): flags, printed endpoint and
 * credentials, a working server, and a clean stop on SIGTERM.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { signV4 } from '../../src/signer/v4.js';

const SOURCE = join(import.meta.dirname, '../../src/bin/osskit-emulator.ts');
// Inside the repository so the bundle's external packages resolve from node_modules.
const cache = join(import.meta.dirname, '../../node_modules/.cache');
mkdirSync(cache, { recursive: true });
const outDir = mkdtempSync(join(cache, 'osskit-bin-test-'));
const BIN = join(outDir, 'osskit-emulator.mjs');
let child: ChildProcess | undefined;

// Run the command as it ships: bundled JavaScript under plain node (no TS loader in between,
// whose own signal handling would hide ours).
beforeAll(async () => {
  await build({ entryPoints: [SOURCE], outfile: BIN, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
});

function start(args: string[]): Promise<{ output: () => string; endpoint: string }> {
  child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('storage:')) resolve({ output: () => out, endpoint: m[1]! });
    });
    child!.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

test('starts with the given flags, serves signed requests and stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osskit-bin-'));
  try {
    const { output, endpoint } = await start([
      '--port', '0', '--host', '127.0.0.1', '--data', dir, '--region', 'cn-shanghai',
      '--access-key-id', 'LTAIbin', '--access-key-secret', 'bin-secret',
    ]);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(output()).toContain('cn-shanghai');
    expect(output()).toContain('LTAIbin');
    const headers = signV4({ method: 'PUT', bucket: 'bin-bucket', query: {}, headers: {} },
      { accessKeyId: 'LTAIbin', accessKeySecret: 'bin-secret' }, { now: new Date(), region: 'cn-shanghai' });
    const res = await fetch(`${endpoint}/bin-bucket`, { method: 'PUT', headers });
    expect(res.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('generates and prints credentials when none are given', async () => {
  const { output } = await start(['--port', '0']);
  expect(output()).toMatch(/access key id:\s+LTAI[A-Za-z0-9]{20}/);
  expect(output()).toMatch(/access key secret:\s+[A-Za-z0-9]{30}/);
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  child!.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(output()).toContain('received SIGINT');
});

test('refuses an id without a secret', async () => {
  await expect(start(['--port', '0', '--access-key-id', 'only'])).rejects.toThrow(/go together/);
});

test('--max-object-size refuses bigger uploads with 400 EntityTooLarge', async () => {
  const { endpoint } = await start(['--port', '0', '--max-object-size', '1KiB', '--access-key-id', 'LTAIcap', '--access-key-secret', 'cap-secret']);
  const credentials = { accessKeyId: 'LTAIcap', accessKeySecret: 'cap-secret' };
  const sign = (method: string, key?: string) =>
    signV4({ method, bucket: 'cap-bucket', key, query: {}, headers: {} }, credentials, { now: new Date(), region: 'cn-hangzhou' });
  expect((await fetch(`${endpoint}/cap-bucket`, { method: 'PUT', headers: sign('PUT') })).status).toBe(200);
  expect((await fetch(`${endpoint}/cap-bucket/ok`, { method: 'PUT', headers: sign('PUT', 'ok'), body: new Uint8Array(1024) })).status).toBe(200);
  const refused = await fetch(`${endpoint}/cap-bucket/big`, { method: 'PUT', headers: sign('PUT', 'big'), body: new Uint8Array(1025) });
  expect(refused.status).toBe(400);
  expect(await refused.text()).toContain('<Code>EntityTooLarge</Code>');
});

test('refuses a malformed --max-object-size', async () => {
  await expect(start(['--port', '0', '--max-object-size', 'lots'])).rejects.toThrow(/invalid --max-object-size lots/);
});
