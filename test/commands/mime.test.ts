/**
 * Content-Type tables: the Node table (mime-types' `types`, inlined into dist by tsup.config.ts) and the
 * browser's short list. The built Node client must answer exactly as mime-types does.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { lookup, types } from 'mime-types';
import { describe, expect, it } from 'vitest';
import { contentTypeFor as browserTypeFor } from '../../src/commands/mime.js';
import { contentTypeFor as nodeTypeFor } from '../../src/commands/mime.node.js';

const DIST_NODE = fileURLToPath(new URL('../../dist/index.node.js', import.meta.url));

describe('contentTypeFor (Node)', () => {
  it('answers as mime-types for every extension it knows, by the last path segment, case-insensitively', () => {
    for (const ext of Object.keys(types)) expect(nodeTypeFor(`dir.x/file.${ext.toUpperCase()}`), ext).toBe(lookup(ext));
    expect(nodeTypeFor('book.epub')).toBe('application/epub+zip');
  });

  it('has no answer for unknown, missing or inherited extensions', () => {
    for (const key of ['file', 'dir.d/file', '.profile', 'file.', 'a.constructor', 'a.__proto__', 'a.toString', 'a.nope']) {
      expect(nodeTypeFor(key), key).toBeUndefined();
    }
  });

  it('the browser short list agrees with mime-types where it has an entry', () => {
    for (const ext of ['txt', 'json', 'png', 'jpg', 'mp4', 'pdf', 'docx']) expect(browserTypeFor(`a.${ext}`), ext).toBe(lookup(ext));
    for (const key of ['a.constructor', 'a.__proto__', 'a.hasOwnProperty', 'a.epub']) expect(browserTypeFor(key), key).toBeUndefined();
  });

  it.runIf(existsSync(DIST_NODE))('the built Node client carries the table as data, not a mime-types import', async () => {
    const code = await readFile(DIST_NODE, 'utf8');
    expect(code).not.toMatch(/from ['"]mime-types['"]/);
    expect(code).toContain('"epub": "application/epub+zip"');
  });
});
