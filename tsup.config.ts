import { defineConfig } from 'tsup';

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
