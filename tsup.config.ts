import { dirname, join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

// The Node build hashes with node:crypto: src/hash.ts's `./hash-impl.js` (@noble/hashes) becomes
// `./hash-impl.node.ts`. A resolve-time swap keeps both builds free of import-time side effects.
const nodeHashImpl: EsbuildPlugin = {
  name: 'osskit-node-hash-impl',
  setup(build) {
    build.onResolve({ filter: /^\.\/hash-impl\.js$/ }, (args) => ({ path: join(dirname(args.importer), 'hash-impl.node.ts') }));
  },
};

// Two builds over one source tree: the Node build (undici, fs, verifyCallback, emulator) and the
// browser build (fetch only). The browser build must never pull a `node:` module; test/build checks it.
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
    dts: true,
    clean: true,
    sourcemap: true,
    splitting: true,
    treeshake: true,
    esbuildPlugins: [nodeHashImpl],
  },
  {
    entry: { 'index.browser': 'src/index.browser.ts' },
    format: ['esm', 'cjs'],
    platform: 'browser',
    target: 'es2022',
    dts: true,
    sourcemap: true,
    treeshake: true,
    external: ['undici'],
  },
]);
