/**
 * Runs an emulator in a child process, as users run it: the `osskit-emulator` command (or another
 * entry script) bundled to plain JavaScript and started under node, so a test can SIGKILL it or read
 * its stderr.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Emulator } from '../../src/emulator/index.js';

export const BIN_SOURCE = join(import.meta.dirname, '../../src/bin/osskit-emulator.ts');

/** Bundles an entry script; the bundle sits inside the repository so its packages resolve. */
export async function bundle(entry: string): Promise<{ file: string; remove: () => void }> {
  const cache = join(import.meta.dirname, '../../node_modules/.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'osskit-child-'));
  const file = join(dir, 'entry.mjs');
  await build({ entryPoints: [entry], outfile: file, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'silent' });
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface EmulatorChild {
  child: ChildProcess;
  /** Enough of an Emulator handle for the raw-HTTP test helpers (send, putObject, …). */
  emu: Emulator;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const CHILD_CREDENTIALS = { accessKeyId: 'LTAIchild', accessKeySecret: 'child-secret' };

/** Starts the bundled command with `args` (port 0 and fixed credentials added) and waits for its banner. */
export function startChild(file: string, args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<EmulatorChild> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, file, '--port', '0', '--access-key-id', CHILD_CREDENTIALS.accessKeyId, '--access-key-secret', CHILD_CREDENTIALS.accessKeySecret, ...args],
    { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on http:\/\/([\d.]+):(\d+)/.exec(out);
      if (m && out.includes('storage:')) {
        const emu = {
          endpoint: `http://${m[1]}:${m[2]}`,
          host: m[1]!,
          port: Number(m[2]),
          region: 'cn-hangzhou',
          credentials: CHILD_CREDENTIALS,
        } as unknown as Emulator;
        resolve({ child, emu, stdout: () => out, stderr: () => err, exited });
      }
    });
    void exited.then(({ code, signal }) => reject(new Error(`emulator child exited (${code ?? signal}): ${err}`)));
  });
}

/** SIGKILLs the child and waits until it is gone. */
export async function killChild(running: EmulatorChild): Promise<void> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
  await running.exited;
}
