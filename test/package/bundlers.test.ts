/**
 * The packed package inside users' build tools: a Vite and a webpack 5 production build of a page that
 * imports osskit (no warning, no Node built-in or polyfill, size printed), and an esbuild ESM bundle of
 * a Node script that runs from a folder without node_modules against the emulator.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build as esbuild } from 'esbuild';
import { build as viteBuild, createLogger } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webpack from 'webpack';
import { OssClient } from '../../src/index.node.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { packForConsumers, type PackedPackage } from './packed.js';

let pkg: PackedPackage;
let web: string;

beforeAll(async () => {
  pkg = await packForConsumers('bundlers');
  web = await pkg.copyFixture('web');
}, 120_000);

afterAll(() => pkg?.cleanup());

interface Sizes {
  files: string[];
  bytes: number;
  gzip: number;
}

async function jsSizes(dir: string): Promise<Sizes & { code: string }> {
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.js')).sort();
  const code = (await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')))).join('\n');
  return { files, code, bytes: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).byteLength };
}

/** What a browser bundle must not contain: the Node build, undici, Node built-ins or their stand-ins. */
function expectBrowserOnly(code: string): void {
  expect(code).not.toMatch(/undici|node:(fs|crypto|stream|http)|__vite-browser-external|createUndiciTransport|verifyCallback/);
  expect(code).toContain('XMLHttpRequest');
}

describe('a page built for production', () => {
  it('Vite: no warning, the browser build only', async () => {
    const warnings: string[] = [];
    const logger = createLogger('warn');
    logger.warn = (message) => void warnings.push(message);
    logger.warnOnce = (message) => void warnings.push(message);
    logger.error = (message) => void warnings.push(message);
    await viteBuild({
      root: web,
      configFile: false,
      logLevel: 'warn',
      customLogger: logger,
      build: { outDir: join(web, 'dist-vite'), emptyOutDir: true },
    });
    const sizes = await jsSizes(join(web, 'dist-vite'));
    console.info(`[vite] ${sizes.files.join(', ')}: ${sizes.bytes} B minified, ${sizes.gzip} B gzip`);
    expect(warnings).toEqual([]);
    expectBrowserOnly(sizes.code);
  }, 120_000);

  it('webpack 5: no warning, the browser build only, no polyfill', async () => {
    const outDir = join(web, 'dist-webpack');
    const stats = await new Promise<webpack.Stats>((resolve, reject) => {
      webpack(
        {
          mode: 'production',
          context: web,
          entry: './main.js',
          output: { path: outDir, filename: 'main.js', clean: true },
          target: 'web',
          // webpack 5 adds no Node polyfills by itself; a built-in import would fail the build.
          resolve: { fallback: {} },
        },
        (error, result) => (error || !result ? reject(error ?? new Error('no stats')) : resolve(result)),
      );
    });
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    expect(info.errors?.map((e) => e.message) ?? []).toEqual([]);
    expect(info.warnings?.map((w) => w.message) ?? []).toEqual([]);
    const sizes = await jsSizes(outDir);
    console.info(`[webpack] ${sizes.files.join(', ')}: ${sizes.bytes} B minified, ${sizes.gzip} B gzip`);
    expectBrowserOnly(sizes.code);
  }, 120_000);
});

describe('a Node script bundled by esbuild as ESM', () => {
  let emulator: Emulator;
  let out: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const client = new OssClient({ region: emulator.region, endpoint: emulator.endpoint, bucket: 'bundled', credentials: emulator.credentials });
    await client.putBucket({});
    out = await mkdtemp(join(tmpdir(), 'osskit-esbuild-'));
  });

  afterAll(async () => {
    await emulator?.close();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('runs from a folder without node_modules: put, head (Content-Type from the full table), presign, get', async () => {
    await pkg.write({ 'node-script.mjs': await readFile(new URL('../consumers/node-script.mjs', import.meta.url), 'utf8') });
    const result = await esbuild({
      entryPoints: [join(pkg.dir, 'node-script.mjs')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: join(out, 'app.mjs'),
      logLevel: 'silent',
      // undici (the Node transport) is CommonJS and requires Node built-ins; an ESM bundle of CommonJS
      // code needs a `require` in scope. osskit's own code does not (see the README).
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    await writeFile(join(out, 'package.json'), '{"type":"module"}');
    const env = {
      PATH: process.env.PATH ?? '',
      OSS_REGION: emulator.region,
      OSS_ENDPOINT: emulator.endpoint,
      OSS_BUCKET: 'bundled',
      OSS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      OSS_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
    };
    const { stdout } = await promisify(execFile)(process.execPath, [join(out, 'app.mjs')], { cwd: out, env, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({
      contentType: 'application/epub+zip', // from mime-types' table, not the browser build's short list
      viaUrl: 'bundled',
      text: 'bundled',
    });
  }, 120_000);

  it("osskit's own ESM output needs no require shim (no CommonJS require left in dist/*.js)", async () => {
    const dist = join(pkg.dir, 'node_modules', 'osskit', 'dist');
    const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.js'));
    for (const file of files) {
      expect(await readFile(join(dist, file), 'utf8'), file).not.toMatch(/\brequire\(|__require\b/);
    }
  });
});
