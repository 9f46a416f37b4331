/**
 * Deno (the `deno` npm package; its binary comes from the npm registry as an optional dependency):
 * runs main.ts, which imports the built package and does presign + putObject + getObject +
 * listObjectsV2 + a 4-part upload() against the emulator running in this Node process. First by
 * package name (Deno reads node_modules and picks the `node` build: undici under Deno's Node
 * compatibility), then the browser build's ESM file by path (fetch). `--cached-only`: nothing is
 * downloaded at run time. Skipped with a notice when the binary is missing, except on CI.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_BROWSER, DIST_NODE, RUNTIME_TIMEOUT_MS, availability, findBinary, parseReport, run, startFixture, verifyScenario, type Fixture } from './harness.js';

const deno = await findBinary(['node_modules/deno/deno', `node_modules/@deno/${process.platform}-${process.arch === 'arm64' ? 'arm64' : 'x64'}-glibc/deno`]);
const { run: runDeno } = availability('Deno', deno, 'npm ci installs it from the `deno` devDependency');

describe.runIf(runDeno)('Deno runs the built package against the emulator', () => {
  let fixture: Fixture;
  // Deno's own cache (compiled modules) in a throwaway directory.
  let denoDir: string;

  beforeAll(async () => {
    denoDir = mkdtempSync(join(tmpdir(), 'osskit-deno-'));
    expect(existsSync(DIST_BROWSER), 'dist/ is built (npm test runs the build first)').toBe(true);
    fixture = await startFixture('deno-bucket');
    const version = await run(deno!, ['--version'], {}, 10_000);
    console.info(`[runtimes] ${version.stdout.split('\n')[0]}`);
  });
  afterAll(async () => {
    await fixture?.close();
    if (denoDir) rmSync(denoDir, { recursive: true, force: true });
  });

  const scenario = async (entry: string, prefix: string) => {
    const args = [
      'run',
      '--cached-only',
      // main.ts imports './scenario.js' as TypeScript source does; Deno wants the real extension.
      '--sloppy-imports',
      '--allow-net=127.0.0.1',
      '--allow-env',
      '--allow-read',
      'test/runtimes/main.ts',
    ];
    const env = { OSSKIT_ENTRY: entry, OSSKIT_SETUP: fixture.setup(prefix), DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1' };
    const report = parseReport(await run(deno!, args, env, RUNTIME_TIMEOUT_MS));
    expect(report.runtime).toMatch(/^deno \d+\.\d+\.\d+/);
    await verifyScenario(fixture, prefix, report);
    return report;
  };

  it("import 'osskit' (the node build, undici): presign, put/get, list, multipart upload", async () => {
    const report = await scenario('osskit', 'pkg/');
    expect(report.resolved).toBe(pathToFileURL(DIST_NODE).href);
    expect(report.build).toBe('node');
  }, RUNTIME_TIMEOUT_MS + 5_000);

  it('dist/index.browser.js by path (fetch): the same scenario', async () => {
    const report = await scenario(DIST_BROWSER, 'browser-build/');
    expect(report.resolved).toBe(pathToFileURL(DIST_BROWSER).href);
    expect(report.build).toBe('browser');
  }, RUNTIME_TIMEOUT_MS + 5_000);
});
