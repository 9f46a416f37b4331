/**
 * The browser build as a web app's bundler sees it: esbuild, `platform: 'browser'`, everything
 * bundled, no externals. Fails on any Node built-in, checks what tree shaking leaves out, and holds
 * the gzip size of the whole client to the 40 KiB budget and presign alone to 10 KiB (docs/architecture.md).
 * Needs `npm run build` (npm test runs it first).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { recordNodeBuiltins } from './node-builtins.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_BROWSER = `${ROOT}dist/index.browser.js`;
const BUDGET_GZIP_BYTES = 40 * 1024;
const PRESIGN_BUDGET_GZIP_BYTES = 10 * 1024;

interface Bundle {
  code: string;
  inputs: string[];
  builtins: string[];
}

/** Bundles `contents` (an entry written inline, resolved from the repo root) for the browser. */
async function bundle(contents: string, minify = true): Promise<Bundle> {
  const { plugin, found } = recordNodeBuiltins();
  const result = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify,
    write: false,
    metafile: true,
    plugins: [plugin],
    logLevel: 'silent',
  });
  const metafile = result.metafile as Metafile;
  return {
    code: result.outputFiles[0]!.text,
    inputs: Object.keys(metafile.inputs),
    builtins: found.map((f) => `${f.path} (imported by ${f.importer})`),
  };
}

function gzipSize(code: string): number {
  return gzipSync(code, { level: 9 }).byteLength;
}

const built = existsSync(DIST_BROWSER);

describe('browser bundle from dist', () => {
  it('exists (run `npm run build` first)', () => {
    expect(built, `${DIST_BROWSER} is missing: run npm run build`).toBe(true);
  });

  it.runIf(built)('has no Node built-in anywhere in its graph and stays within the gzip budget', async () => {
    const full = await bundle(`export * from './dist/index.browser.js';`);
    expect(full.builtins).toEqual([]);
    expect(full.inputs.some((input) => input.includes('node_modules/undici'))).toBe(false);
    const size = gzipSize(full.code);
    console.info(`[bundle] full browser client: ${full.code.length} B minified, ${size} B gzip (budget ${BUDGET_GZIP_BYTES} B)`);
    expect(size).toBeLessThan(BUDGET_GZIP_BYTES);
  });

  it.runIf(built)('presign alone, as an app imports it from the package, stays within 10 KiB gzip', async () => {
    // From dist (one module), not the sources: there a bundler can only drop unused top-level
    // statements it can prove pure, so a table built at import time would stay in every bundle.
    const only = await bundle(
      `import { presign } from './dist/index.browser.js';
      globalThis.sign = (key) => presign({ region: 'cn-hangzhou', bucket: 'b', credentials: { accessKeyId: 'a', accessKeySecret: 's' } }, { key });`,
    );
    expect(only.code).not.toContain('XMLHttpRequest');
    const size = gzipSize(only.code);
    console.info(`[bundle] presign alone from dist: ${size} B gzip (budget ${PRESIGN_BUDGET_GZIP_BYTES} B)`);
    expect(size).toBeLessThan(PRESIGN_BUDGET_GZIP_BYTES);
  });

  it.runIf(built)('importing only OssClient leaves out the emulator, undici and mime-types', async () => {
    const only = await bundle(`import { OssClient } from './dist/index.browser.js'; console.log(new OssClient({}));`);
    expect(only.builtins).toEqual([]);
    for (const absent of ['undici', 'mime-types', 'mime-db', 'emulator']) {
      expect(only.inputs.filter((input) => input.includes(absent)), absent).toEqual([]);
    }
    // The XHR transport is part of the default browser client (uploads with progress).
    expect(only.code).toContain('XMLHttpRequest');
  });
});

describe('standalone presign (from the sources)', () => {
  it('pulls in neither a transport nor the XML parser nor Node built-ins', async () => {
    const only = await bundle(`import { presign } from './src/handoff/presign.ts'; console.log(presign);`, false);
    expect(only.builtins).toEqual([]);
    const forbidden = only.inputs.filter((input) =>
      /src\/transport\/|fast-xml-parser|src\/xml\.ts|src\/send\.ts|src\/client\.ts|undici|src\/emulator\//.test(input),
    );
    expect(forbidden).toEqual([]);
    expect(only.code).not.toMatch(/\bfetch\(|XMLHttpRequest/);
    // It does carry the signer it needs.
    expect(only.inputs.some((input) => input.endsWith('src/signer/v4.ts'))).toBe(true);
    console.info(`[bundle] presign alone: ${gzipSize((await bundle(`export { presign } from './src/handoff/presign.ts';`)).code)} B gzip`);
  });

  it('createPostPolicy alone is as lean', async () => {
    const only = await bundle(`export { createPostPolicy } from './src/handoff/post-policy.ts';`);
    expect(only.builtins).toEqual([]);
    expect(only.inputs.filter((input) => /src\/transport\/|fast-xml-parser|undici/.test(input))).toEqual([]);
  });

  it('the browser entry from the sources has no Node built-in either', async () => {
    const entry = await bundle(`export * from './src/index.browser.ts';`);
    expect(entry.builtins).toEqual([]);
  });
});
