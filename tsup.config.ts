import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

// The Node build hashes with node:crypto: src/integrity/hash.ts's `./hash-impl.js` (@noble/hashes) becomes
// `./hash-impl.node.ts`. A resolve-time swap keeps both builds free of import-time side effects.
const nodeHashImpl: EsbuildPlugin = {
  name: 'osskit-node-hash-impl',
  setup(build) {
    build.onResolve({ filter: /^\.\/hash-impl\.js$/ }, (args) => ({ path: join(dirname(args.importer), 'hash-impl.node.ts') }));
  },
};

// src/commands/mime.node.ts reads `types` (extension → Content-Type) from mime-types. The built client carries
// that table as plain data instead of importing mime-types at run time: mime-types is CommonJS and
// calls `require('path')`, which throws "Dynamic require" once a user's bundler turns it into ESM.
// The emulator keeps importing mime-types itself.
const inlineMimeTable: EsbuildPlugin = {
  name: 'osskit-inline-mime-table',
  setup(build) {
    build.onResolve({ filter: /^mime-types$/ }, (args) =>
      args.importer.endsWith(join('commands', 'mime.node.ts'))
        ? { path: 'mime-types', namespace: 'osskit-mime-table' }
        : { path: 'mime-types', external: true },
    );
    build.onLoad({ filter: /.*/, namespace: 'osskit-mime-table' }, () => {
      const { types } = createRequire(import.meta.url)('mime-types') as { types: Record<string, string> };
      const sorted = Object.fromEntries(Object.entries(types).sort(([a], [b]) => (a < b ? -1 : 1)));
      return { contents: `export const types = ${JSON.stringify(sorted)};`, loader: 'js' };
    });
  },
};

// Two builds over one source tree: the Node build (undici, fs, verifyCallback, emulator) and the
// browser build (fetch only). The browser build must never pull a `node:` module; test/build checks it.
// Each format gets its own declarations (`.d.ts` beside `.js`, `.d.cts` beside `.cjs`) so that
// TypeScript reads ESM types for `import` and CJS types for `require`. No source maps ship: the output
// is not minified, and maps that point at sources outside the package make bundlers warn.
export default defineConfig([
  {
    entry: {
      'index.node': 'src/index.node.ts',
      'emulator/index': 'src/emulator/index.ts',
      'bin/osskit-emulator': 'src/bin/osskit-emulator.ts',
    },
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    dts: { entry: { 'index.node': 'src/index.node.ts', 'emulator/index': 'src/emulator/index.ts' } },
    clean: true,
    sourcemap: false,
    splitting: true,
    treeshake: true,
    // tsup leaves dependencies external before plugins run; the plugin decides for mime-types.
    noExternal: ['mime-types'],
    esbuildPlugins: [nodeHashImpl, inlineMimeTable],
  },
  {
    entry: { 'index.browser': 'src/index.browser.ts' },
    format: ['esm', 'cjs'],
    platform: 'browser',
    target: 'es2022',
    dts: true,
    sourcemap: false,
    treeshake: true,
    external: ['undici'],
  },
]);
