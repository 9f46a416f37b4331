/**
 * Entry for Bun and Deno: imports the built package (`OSSKIT_ENTRY`, a path under dist/ or the
 * package name), runs the scenario against the emulator described by `OSSKIT_SETUP` and prints the
 * report as one JSON line. A failure prints the error and exits 1.
 */
import type { CoreOssClient, OssClientOptions } from '../../src/exports.js';
import { runScenario } from './scenario.js';

interface Setup extends OssClientOptions {
  prefix: string;
}

type Env = { get(name: string): string | undefined };

/** Bun and Node have `process.env`; Deno has `Deno.env`. */
function env(): Env {
  const deno = (globalThis as { Deno?: { env: Env } }).Deno;
  if (deno) return deno.env;
  return { get: (name) => process.env[name] };
}

function runtimeName(): string {
  const g = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } } };
  if (g.Bun) return `bun ${g.Bun.version}`;
  if (g.Deno) return `deno ${g.Deno.version.deno}`;
  return `node ${process.versions.node}`;
}

const vars = env();
const entry = vars.get('OSSKIT_ENTRY');
const setupJson = vars.get('OSSKIT_SETUP');
if (!entry || !setupJson) throw new Error('OSSKIT_ENTRY and OSSKIT_SETUP are required');
const { prefix, ...options } = JSON.parse(setupJson) as Setup;
// Which file the runtime's resolver picked: the test insists on the built package.
const resolved = import.meta.resolve(entry);
const { OssClient } = (await import(entry)) as { OssClient: new (options: OssClientOptions) => CoreOssClient };
const client = new OssClient(options);
try {
  const report = await runScenario(client, prefix, runtimeName());
  console.log(JSON.stringify({ ok: true, report: { ...report, resolved } }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
} finally {
  await client.close();
}
