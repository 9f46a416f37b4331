/**
 * An esbuild plugin that records every import of a Node built-in (`node:fs`, `fs`, `buffer`…) instead
 * of failing at the first one, so a test can list them all. Shared by the bundle and browser tests.
 */
import { builtinModules } from 'node:module';
import type { Plugin } from 'esbuild';

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

export interface BuiltinImport {
  path: string;
  importer: string;
}

/** Returns the plugin and the list it fills; built-ins are marked external so the build goes on. */
export function recordNodeBuiltins(): { plugin: Plugin; found: BuiltinImport[] } {
  const found: BuiltinImport[] = [];
  const plugin: Plugin = {
    name: 'record-node-builtins',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        // `fs/promises` and `node:fs/promises` count as well as `fs`.
        if (!BUILTINS.has(args.path) && !BUILTINS.has(args.path.split('/')[0]!)) return undefined;
        found.push({ path: args.path, importer: args.importer });
        return { path: args.path, external: true };
      });
    },
  };
  return { plugin, found };
}
