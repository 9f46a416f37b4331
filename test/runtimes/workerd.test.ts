/**
 * Cloudflare's workerd through miniflare (devDependency; workerd's binary comes from the npm registry
 * as an optional dependency): a Worker module that imports `osskit`, bundled with esbuild as wrangler
 * does (which takes the built browser build),
 * presigns, puts, gets, lists and runs a 4-part upload() through the fetch transport against the
 * emulator in this Node process (the Worker's outbound fetch reaches 127.0.0.1). Skipped with a
 * notice when workerd cannot start here, except on CI.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Miniflare as MiniflareType } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordNodeBuiltins } from '../build/node-builtins.js';
import { DIST_BROWSER, RUNTIME_TIMEOUT_MS, ROOT, availability, parseReport, startFixture, verifyScenario, type Fixture } from './harness.js';

const require = createRequire(import.meta.url);

/** The workerd binary the `workerd` package installed, if any. */
function workerdBinary(): string | undefined {
  try {
    const path = (require('workerd') as { default: string }).default;
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const { run: runWorkerd } = availability('workerd', workerdBinary(), 'npm ci installs it with the `miniflare` devDependency');

/**
 * Bundles worker.ts as wrangler would: `import 'osskit'` resolved through package.json exports with
 * the Workers conditions. `tsconfigRaw: {}` keeps esbuild off the project's tsconfig `paths` (which
 * map `osskit` to src/ for the type checker). Refuses Node built-ins; answers which package file
 * the bundle took.
 */
async function bundleWorker(): Promise<{ code: string; osskitFiles: string[] }> {
  const { plugin, found } = recordNodeBuiltins();
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./worker.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    tsconfigRaw: {},
    plugins: [plugin],
    logLevel: 'silent',
  });
  if (found.length > 0) throw new Error(`the worker bundle imports Node built-ins: ${found.map((f) => f.path).join(', ')}`);
  const osskitFiles = Object.keys(result.metafile.inputs).filter((input) => input.startsWith('dist/') || input.startsWith('src/'));
  return { code: result.outputFiles[0]!.text, osskitFiles };
}

describe.runIf(runWorkerd)('Cloudflare workerd (miniflare) runs the browser build against the emulator', () => {
  let fixture: Fixture;
  let mf: MiniflareType;
  let osskitFiles: string[];

  beforeAll(async () => {
    expect(existsSync(DIST_BROWSER), 'dist/ is built (npm test runs the build first)').toBe(true);
    const { Miniflare } = await import('miniflare');
    fixture = await startFixture('workerd-bucket');
    const bundle = await bundleWorker();
    osskitFiles = bundle.osskitFiles;
    mf = new Miniflare({
      modules: true,
      script: bundle.code,
      scriptPath: `${ROOT}test/runtimes/worker.bundle.js`,
      compatibilityDate: '2026-04-01',
      bindings: { SETUP: fixture.setup('worker/') },
      host: '127.0.0.1',
      port: 0,
    });
    await mf.ready;
  }, RUNTIME_TIMEOUT_MS);
  afterAll(async () => {
    await mf?.dispose();
    await fixture?.close();
  });

  it("the Worker's `import 'osskit'` bundles the shipped browser build", () => {
    expect(osskitFiles).toEqual(['dist/index.browser.js']);
  });

  it('a Worker presigns, puts, gets, lists and uploads in parts through fetch', async () => {
    const answer = await mf.dispatchFetch('http://worker.test/');
    const report = parseReport({ code: answer.status, stdout: await answer.text(), stderr: '' });
    const versions = ['miniflare', 'workerd'].map((name) => `${name} ${(require(`${name}/package.json`) as { version: string }).version}`);
    console.info(`[runtimes] ${report.runtime}: ${versions.join(', ')}`);
    expect(report.runtime).toMatch(/^workerd/);
    expect(report.build).toBe('browser');
    await verifyScenario(fixture, 'worker/', report);
  }, RUNTIME_TIMEOUT_MS);
});
