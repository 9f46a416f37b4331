/**
 * Linters for the packed tarball, run offline: publint (package.json fields against the files that
 * ship) and arethetypeswrong (what TypeScript resolves for every entry point under node10, node16 from
 * CJS and ESM, and bundler, compared with the JavaScript that runs). Both must report no error or
 * warning; publint's suggestions are printed.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packForConsumers, ROOT, run, type PackedPackage } from './packed.js';

let pkg: PackedPackage;

beforeAll(async () => {
  pkg = await packForConsumers('lint');
}, 120_000);

afterAll(() => pkg?.cleanup());

interface AttwResolution {
  resolution?: { fileName: string };
}
interface AttwReport {
  analysis: { entrypoints: Record<string, { resolutions: Record<string, AttwResolution> }> };
  problems: Record<string, unknown[]> | unknown[];
}

describe('the packed tarball', () => {
  it('publint: no errors, no warnings', async () => {
    const bytes = await readFile(pkg.tarball);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const { messages, pkg: manifest } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
    const lines = messages.map((m) => `${m.type}: ${formatMessage(m, manifest) ?? m.code}`);
    console.info(`[publint] ${lines.length === 0 ? 'all good' : lines.join('\n[publint] ')}`);
    expect(lines.filter((line) => !line.startsWith('suggestion:'))).toEqual([]);
  });

  it('arethetypeswrong: no problem under node10, node16 (CJS and ESM) and bundler', async () => {
    const bin = join(ROOT, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    // --no-definitely-typed: never ask the registry for @types packages.
    const args = [bin, pkg.tarball, '--format', 'json', '--no-definitely-typed'];
    const { stdout } = await run(process.execPath, args, { timeout: 120_000 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as AttwReport;
    const rows = Object.entries(report.analysis.entrypoints).map(([name, entry]) => {
      const cells = Object.entries(entry.resolutions).map(([kind, r]) => `${kind} → ${r.resolution?.fileName.replace('/node_modules/osskit/', '') ?? 'unresolved'}`);
      return `${name}: ${cells.join(', ')}`;
    });
    console.info(`[attw] types resolved per entry point:\n[attw] ${rows.join('\n[attw] ')}`);
    const problems = Array.isArray(report.problems) ? report.problems : Object.values(report.problems).flat();
    expect(problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(['.', './browser', './emulator', './node', './package.json']);
  });

  it('ships no source maps and only what users need', () => {
    console.info(`[pack] ${pkg.files.length} files, ${pkg.size} B packed, ${pkg.unpackedSize} B unpacked`);
    expect(pkg.files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(pkg.files.filter((f) => !/^(dist\/|(emulator|node|browser)\/package\.json$|package\.json$|README\.md$|LICENSE$)/.test(f))).toEqual([]);
    for (const entry of ['dist/index.node.d.ts', 'dist/index.node.d.cts', 'dist/index.browser.d.ts', 'dist/index.browser.d.cts', 'dist/emulator/index.d.cts']) {
      expect(pkg.files).toContain(entry);
    }
  });
});
