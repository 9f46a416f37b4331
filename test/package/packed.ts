/**
 * The package as users install it: `npm pack` of the built repository, unpacked into
 * `<tmp>/node_modules/osskit`. The tmp folder lives under the repository's node_modules, so the
 * package's own dependencies (undici, @types/node, typescript…) resolve from there by the usual
 * upward search, without the network and without linking the repository itself.
 * Needs `npm run build` first (npm test runs it).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const run = promisify(execFile);

export interface PackedPackage {
  /** Absolute path of the .tgz. */
  tarball: string;
  /** Size of the .tgz and of its files, as npm reports them. */
  size: number;
  unpackedSize: number;
  files: string[];
  /** A consumer folder with the package in node_modules/osskit. */
  dir: string;
  /** Writes files (paths relative to `dir`). */
  write(files: Record<string, string>): Promise<void>;
  /** Copies a test/consumers fixture folder into `dir/<to>`. */
  copyFixture(name: string, to?: string): Promise<string>;
  cleanup(): Promise<void>;
}

interface PackJson {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

/** Packs the repository once and unpacks it for a consumer; call from beforeAll. */
export async function packForConsumers(label: string): Promise<PackedPackage> {
  if (!existsSync(join(ROOT, 'dist', 'index.node.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const parent = join(ROOT, 'node_modules', '.osskit-consumers');
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, `${label}-`));
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: ROOT,
    timeout: 120_000,
  });
  const [info] = JSON.parse(stdout) as PackJson[];
  const tarball = join(dir, info!.filename);
  const target = join(dir, 'node_modules', 'osskit');
  await mkdir(target, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  // A project of its own: without it, resolvers walking up would find the repository's package.json
  // (name "osskit") and resolve `osskit` as a self-reference to the repository instead of the tarball.
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `osskit-consumer-${label}`, private: true, dependencies: { osskit: `file:${info!.filename}` } }));
  return {
    tarball,
    size: info!.size,
    unpackedSize: info!.unpackedSize,
    files: info!.files.map((f) => f.path),
    dir,
    async write(files) {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(dir, path, '..'), { recursive: true });
        await writeFile(join(dir, path), text);
      }
    },
    async copyFixture(name, to = name) {
      await cp(join(ROOT, 'test', 'consumers', name), join(dir, to), { recursive: true });
      return join(dir, to);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
