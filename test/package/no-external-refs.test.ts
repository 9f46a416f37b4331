/**
 * Nothing users read may point to a file they cannot open: the sources (their comments become editor
 * hovers through the declarations), the README, the examples, docs/ and the shipped declarations must
 * not name notes kept outside this repository. Write the fact in place or in docs/ instead.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './packed.js';

const OUTSIDE = /\b(?:DESIGN|CONTRACT|STYLE|SIGNING)\.md\b|\.\.\/shared(?:\/|$|\s)/;

async function filesUnder(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const names = (await readdir(dir, { recursive: true })) as string[];
  return names.filter((name) => !name.split('/').includes('node_modules') && keep(name)).map((name) => join(dir, name));
}

/** `path:line: text` for every line that names an outside file. */
async function offending(files: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (OUTSIDE.test(line)) found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  return found;
}

const text = (name: string) => /\.(?:ts|mts|cts|js|mjs|cjs|md|html|json)$/.test(name);

describe('no reference to files outside the repository', () => {
  it('src/, README.md, examples/ and docs/', async () => {
    const files = [
      ...(await filesUnder(join(ROOT, 'src'), text)),
      ...(await filesUnder(join(ROOT, 'examples'), text)),
      ...(await filesUnder(join(ROOT, 'docs'), text)),
      join(ROOT, 'README.md'),
    ];
    expect(files.length).toBeGreaterThan(10);
    expect(await offending(files)).toEqual([]);
  });

  it('the shipped declarations (dist/**/*.d.ts, *.d.cts)', async () => {
    const files = await filesUnder(join(ROOT, 'dist'), (name) => /\.d\.c?ts$/.test(name));
    expect(files.length, 'run `npm run build` first').toBeGreaterThan(0);
    expect(await offending(files)).toEqual([]);
  });

  it('the check itself recognises every form', () => {
    for (const line of ['see DESIGN.md', '(CONTRACT.md)', 'STYLE.md 7', 'SIGNING.md §3', '../shared/x']) expect(OUTSIDE.test(line), line).toBe(true);
    expect(OUTSIDE.test('docs/protocol.md')).toBe(false);
    expect(OUTSIDE.test("import { x } from '../shared.js';")).toBe(false);
  });
});
