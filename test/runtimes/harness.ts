/**
 * Shared by the runtime tests: finds a runtime binary installed from npm (never downloads one),
 * starts the emulator in this Node process with a bucket for the runtime, runs a script in the
 * runtime and checks its report, byte for byte, from the Node side.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { OssClient } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OssClient as NodeClient } from '../../src/index.node.js';
import { PRESIGNED_SIZE, PUT_SIZE, UPLOAD_SIZE, pattern, type ScenarioReport } from './scenario.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST_NODE = `${ROOT}dist/index.node.js`;
export const DIST_BROWSER = `${ROOT}dist/index.browser.js`;

/** What each runtime test needs before it runs; the scenario keeps every runtime under ~20 s. */
export const RUNTIME_TIMEOUT_MS = 20_000;

/**
 * A runtime whose binary is missing is skipped with a notice, except on CI (`CI=true`), where it
 * fails: the tested matrix must not shrink silently.
 */
export function availability(name: string, binary: string | undefined, hint: string): { run: boolean } {
  if (binary !== undefined) return { run: true };
  const reason = `${name} is not installed (${hint})`;
  if (process.env.CI === 'true') throw new Error(`${reason}; the runtime tests must run on CI`);
  console.warn(`[runtime tests skipped] ${reason}`);
  return { run: false };
}

/** The first candidate path that exists and answers `--version`. */
export async function findBinary(candidates: string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    const path = `${ROOT}${candidate}`;
    if (!existsSync(path)) continue;
    const { code } = await run(path, ['--version'], {}, 10_000);
    if (code === 0) return path;
  }
  return undefined;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (killed after `timeoutMs`), collecting its output. */
export function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Fixture {
  emu: Emulator;
  /** A Node client on the runtime's bucket, to check what the runtime stored. */
  node: OssClient;
  bucket: string;
  /** JSON for the runtime: client options plus the key prefix to work under. */
  setup(prefix: string): string;
  close(): Promise<void>;
}

export async function startFixture(bucket: string): Promise<Fixture> {
  const emu = await startEmulator({ port: 0 });
  const options = { endpoint: emu.endpoint, region: emu.region, bucket, credentials: emu.credentials };
  const node = new NodeClient(options);
  await node.putBucket({});
  return {
    emu,
    node,
    bucket,
    setup: (prefix) => JSON.stringify({ ...options, prefix }),
    async close() {
      await node.close();
      await emu.close();
    },
  };
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The report line a runtime script printed (the last JSON line on stdout). */
export function parseReport(result: RunResult): ScenarioReport {
  const line = result.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`no report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  const parsed = JSON.parse(line) as { ok: boolean; report?: ScenarioReport; error?: string };
  if (!parsed.ok || parsed.report === undefined) throw new Error(`the runtime failed: ${parsed.error}\n${result.stderr}`);
  return parsed.report;
}

/**
 * Checks a scenario report against the bytes the scenario must have written, twice: the digests
 * the runtime computed on what it read, and what the emulator holds, read here with the Node client.
 */
export async function verifyScenario(fixture: Fixture, prefix: string, report: ScenarioReport): Promise<void> {
  const expected: Record<string, Uint8Array> = {
    [`${prefix}presigned ü+1.bin`]: pattern(PRESIGNED_SIZE, 1),
    [`${prefix}put.bin`]: pattern(PUT_SIZE, 2),
    [`${prefix}upload.bin`]: pattern(UPLOAD_SIZE, 3),
  };
  expect(report.keys).toEqual(Object.keys(expected).sort());
  for (const [key, bytes] of Object.entries(expected)) {
    expect(report.sha256[key], key).toBe(sha256(bytes));
    const stored = await (await fixture.node.getObject({ key })).bytes();
    expect(sha256(stored), key).toBe(sha256(bytes));
  }
  // Four parts: a multipart ETag ends in "-<parts>".
  expect(report.uploadEtag).toMatch(/-4"?$/);
  const head = await fixture.node.headObject({ key: `${prefix}put.bin` });
  expect(report.putCrc64).toBe(head.crc64);
}
