/**
 * Bun (the `bun` npm package; its binary comes from the npm registry as an optional dependency):
 * runs main.ts, which imports the built package and does presign + putObject + getObject +
 * listObjectsV2 + a 4-part upload() against the emulator running in this Node process. First by
 * package name, as a Bun user imports it (Bun picks the `node` build, whose client uses Bun's fetch:
 * Bun's built-in `undici` is partial), then the browser build by path. Skipped with a notice when the
 * binary is missing, except on CI.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_BROWSER, DIST_NODE, RUNTIME_TIMEOUT_MS, availability, findBinary, parseReport, run, startFixture, verifyScenario, type Fixture } from './harness.js';

const bun = await findBinary(['node_modules/bun/bin/bun.exe', `node_modules/@oven/bun-${process.platform}-${process.arch}/bin/bun`]);
const { run: runBun } = availability('Bun', bun, 'npm ci installs it from the `bun` devDependency');

describe.runIf(runBun)('Bun runs the built package against the emulator', () => {
  let fixture: Fixture;

  beforeAll(async () => {
    expect(existsSync(DIST_BROWSER), 'dist/ is built (npm test runs the build first)').toBe(true);
    fixture = await startFixture('bun-bucket');
    const version = await run(bun!, ['--version'], {}, 10_000);
    console.info(`[runtimes] bun ${version.stdout.trim()}`);
  });
  afterAll(() => fixture?.close());

  /**
   * `--no-install`: never fetch a missing package at run time. `--tsconfig-override`: Bun honours
   * tsconfig `paths`, and the project's maps `osskit` to src/ for the type checker; a config without
   * them makes Bun resolve the package as a user's project would, through package.json exports.
   */
  const scenario = async (entry: string, prefix: string) => {
    const args = ['run', '--no-install', '--tsconfig-override=test/runtimes/tsconfig.bun.json', 'test/runtimes/main.ts'];
    const result = await run(bun!, args, { OSSKIT_ENTRY: entry, OSSKIT_SETUP: fixture.setup(prefix) }, RUNTIME_TIMEOUT_MS);
    const report = parseReport(result);
    expect(report.runtime).toMatch(/^bun \d+\.\d+\.\d+/);
    await verifyScenario(fixture, prefix, report);
    return report;
  };

  it("import 'osskit' (the node build, fetch transport): presign, put/get, list, multipart upload", async () => {
    const report = await scenario('osskit', 'pkg/');
    expect(report.resolved).toBe(pathToFileURL(DIST_NODE).href);
    expect(report.build).toBe('node');
  }, RUNTIME_TIMEOUT_MS + 5_000);

  it('dist/index.browser.js by path: the same scenario', async () => {
    const report = await scenario(DIST_BROWSER, 'browser-build/');
    expect(report.resolved).toBe(pathToFileURL(DIST_BROWSER).href);
    expect(report.build).toBe('browser');
  }, RUNTIME_TIMEOUT_MS + 5_000);
});
