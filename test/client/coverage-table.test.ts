import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { currentBlock, renderCoverage, replaceBlock } from '../../scripts/coverage-table.mjs';
import { handlers } from '../../src/emulator/handlers/index.js';
import { OssClient as BrowserOssClient } from '../../src/index.browser.js';
import { OssClient } from '../../src/index.node.js';
import { OPERATIONS } from '../../src/client/operations.js';

const hasMethod = (method: string) => typeof (OssClient.prototype as unknown as Record<string, unknown>)[method] === 'function';
const emulates = (api: string) => typeof handlers[api] === 'function';

describe('README coverage table', () => {
  it('is the one generated from src/client/operations.ts, the client and the emulator (run node scripts/coverage-table.mjs)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(currentBlock(readme)).toBe(renderCoverage(OPERATIONS, hasMethod, emulates).trim());
  });

  it('lists each method once, and marks what does not exist as not yet covered', () => {
    const methods = OPERATIONS.map((op) => op.method);
    expect(new Set(methods).size).toBe(methods.length);
    const table = renderCoverage(
      [{ method: 'noSuchMethod', api: ['NoSuchApi'], group: 'Objects' }],
      hasMethod,
      emulates,
    ) as string;
    expect(table).toContain('| Objects | `noSuchMethod` | NoSuchApi | not yet | not yet |  |');
    expect(table).toContain('0 of 1 operations in the client, 0 of 1 in the emulator.');
    expect(() => replaceBlock('no markers', table)).toThrow(/markers/);
  });

  it('says "Node build" exactly for the methods the browser client leaves out', () => {
    const inBrowser = (method: string) => typeof (BrowserOssClient.prototype as unknown as Record<string, unknown>)[method] === 'function';
    for (const op of OPERATIONS) {
      expect({ method: op.method, nodeOnly: op.note?.startsWith('Node build') ?? false }).toEqual({ method: op.method, nodeOnly: !inBrowser(op.method) });
      expect(hasMethod(op.method), op.method).toBe(true);
    }
  });
});
