/**
 * The packed package's declarations as TypeScript users meet them: strict consumer projects under each
 * module resolution, `skipLibCheck: false`, Node consumers without the DOM library (so a browser-only
 * global in the Node declarations fails), a CommonJS consumer per setting (so ESM-only types under
 * `require` fail with TS1479), and browser consumers without @types/node.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packForConsumers, ROOT, run, type PackedPackage } from './packed.js';

interface Consumer {
  name: string;
  type: 'module' | 'commonjs';
  /** Fixture from test/consumers → file name in the project. */
  files: Record<string, string>;
  compilerOptions: Record<string, unknown>;
}

const STRICT = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', esModuleInterop: true };
const NODE = { ...STRICT, lib: ['ES2022'], types: ['node'] };
const BROWSER = { ...STRICT, lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], module: 'ESNext', moduleResolution: 'bundler' };

const CONSUMERS: Consumer[] = [
  { name: 'node16-esm', type: 'module', files: { 'node-usage.ts': 'index.ts' }, compilerOptions: { ...NODE, module: 'node16', moduleResolution: 'node16' } },
  { name: 'node16-cjs', type: 'module', files: { 'node-usage.ts': 'index.cts', 'node-require.cts': 'require.cts', 'node-subpath.ts': 'subpath.cts' }, compilerOptions: { ...NODE, module: 'node16', moduleResolution: 'node16' } },
  { name: 'nodenext-esm', type: 'module', files: { 'node-usage.ts': 'index.mts' }, compilerOptions: { ...NODE, module: 'nodenext', moduleResolution: 'nodenext' } },
  { name: 'nodenext-cjs', type: 'commonjs', files: { 'node-usage.ts': 'index.ts', 'node-require.cts': 'require.cts' }, compilerOptions: { ...NODE, module: 'nodenext', moduleResolution: 'nodenext' } },
  // A Node project under `bundler` (Next.js, Vite SSR, tsx): no `node` condition, still the Node types.
  { name: 'bundler-esm', type: 'module', files: { 'node-usage.ts': 'index.ts', 'node-subpath.ts': 'subpath.ts' }, compilerOptions: { ...NODE, module: 'ESNext', moduleResolution: 'bundler' } },
  { name: 'bundler-cjs', type: 'commonjs', files: { 'node-usage.ts': 'index.ts', 'node-require.cts': 'require.cts' }, compilerOptions: { ...NODE, module: 'preserve', moduleResolution: 'bundler' } },
  // Resolvers that ignore `exports`: top-level `types` and the emulator/ stub folder.
  { name: 'node10-cjs', type: 'commonjs', files: { 'node-usage.ts': 'index.ts', 'node-subpath.ts': 'subpath.ts' }, compilerOptions: { ...NODE, module: 'commonjs', moduleResolution: 'node10' } },
  { name: 'browser-condition', type: 'module', files: { 'browser-usage.ts': 'index.ts' }, compilerOptions: { ...BROWSER, customConditions: ['browser'] } },
  { name: 'browser-subpath', type: 'module', files: { 'browser-usage.ts': 'index.ts' }, compilerOptions: BROWSER },
];

let pkg: PackedPackage;
/** tsc's diagnostics, one line each (continuations joined), for all consumers. */
let diagnostics: string[] = [];

beforeAll(async () => {
  pkg = await packForConsumers('types');
  for (const consumer of CONSUMERS) {
    const files: Record<string, string> = {
      [`${consumer.name}/package.json`]: JSON.stringify({ name: consumer.name, private: true, type: consumer.type }),
      [`${consumer.name}/tsconfig.json`]: JSON.stringify({ compilerOptions: consumer.compilerOptions, files: Object.values(consumer.files) }),
    };
    for (const [fixture, name] of Object.entries(consumer.files)) {
      let text = await readFile(join(ROOT, 'test', 'consumers', fixture), 'utf8');
      if (consumer.name === 'browser-subpath') text = text.replace(`from 'osskit'`, `from 'osskit/browser'`);
      files[`${consumer.name}/${name}`] = text;
    }
    await pkg.write(files);
  }
  // One `tsc --build` process checks every project: the lib and @types/node files are parsed once.
  const bin = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const projects = CONSUMERS.map((c) => c.name);
  try {
    await run(process.execPath, [bin, '--build', ...projects, '--pretty', 'false'], { cwd: pkg.dir, timeout: 240_000 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    diagnostics = `${stdout}${stderr}`.split(/\n(?! )/).filter((line) => line.trim() !== '');
    if (diagnostics.length === 0) throw error;
  }
}, 300_000);

afterAll(() => pkg?.cleanup());

describe('consumer projects type-check against the packed package', () => {
  it.each(CONSUMERS.map((c) => c.name))('%s', (name) => {
    const mine = diagnostics.filter((line) => line.startsWith(`${name}/`) || line.includes(`/${name}/`));
    expect(mine).toEqual([]);
  });

  it('tsc reported nothing outside the consumers', () => {
    const other = diagnostics.filter((line) => !CONSUMERS.some((c) => line.startsWith(`${c.name}/`) || line.includes(`/${c.name}/`)));
    expect(other).toEqual([]);
  });
});

/** Declarations without their comments (doc comments may name DOM types in prose). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
}

describe('the Node declarations', () => {
  it('name no browser-only global type (property names such as `XMLHttpRequest?:` aside)', async () => {
    for (const file of ['index.node.d.ts', 'index.node.d.cts', 'emulator/index.d.ts', 'emulator/index.d.cts']) {
      const text = code(await readFile(join(pkg.dir, 'node_modules', 'osskit', 'dist', file), 'utf8'));
      expect(text, file).not.toMatch(/\b(IDB[A-Z]\w*|LockManager|XMLHttpRequest|HTMLElement|Window|Document|FileList)\b(?!\??:)/);
    }
  });
});
