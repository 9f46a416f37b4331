/**
 * The IndexedDB checkpoint store in a real Chromium (system browser; skipped with a notice when it is
 * missing, except on CI): records survive a reload, and two tabs cannot lock the same upload.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM}; required on CI`);
if (!available) console.warn(`[checkpoint-idb tests skipped] Chromium not found at ${CHROMIUM}`);

let browser: Browser;
let server: Server;
let origin: string;

const ENTRY = `
import { createIndexedDbCheckpointStore } from './checkpoint-idb.ts';
import { sealCheckpoint, openCheckpoint } from './checkpoint.ts';
import { fingerprintBlob } from './fingerprint.ts';
window.osskitTest = { createIndexedDbCheckpointStore, sealCheckpoint, openCheckpoint, fingerprintBlob };
`;

beforeAll(async () => {
  if (!available) return;
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: fileURLToPath(new URL('../../src/upload/', import.meta.url)), loader: 'ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><script type="module" src="/bundle.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

async function open(page: Page): Promise<void> {
  await page.goto(origin);
  await page.waitForFunction(() => 'osskitTest' in window);
}

describe.skipIf(!available)('IndexedDB checkpoint store (Chromium)', () => {
  it('keeps a record across a reload and removes it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await open(page);
    await page.evaluate(async () => {
      const t = (window as any).osskitTest;
      const store = t.createIndexedDbCheckpointStore();
      const record = t.sealCheckpoint({
        version: 1, bucket: 'b', key: 'k', uploadId: 'U1',
        source: { kind: 'blob', name: 'a.bin', size: 300000, mtimeMs: 5, fingerprint: 'f' },
        partSize: 102400, parts: [{ partNumber: 1, etag: '"E"', crc64: '7', size: 102400 }],
      });
      await store.save('id1', record);
    });
    await page.reload();
    await page.waitForFunction(() => 'osskitTest' in window);
    const loaded = await page.evaluate(async () => {
      const t = (window as any).osskitTest;
      const store = t.createIndexedDbCheckpointStore();
      const record = t.openCheckpoint(await store.load('id1'));
      await store.remove('id1');
      return { uploadId: record?.uploadId, parts: record?.parts.length, after: await store.load('id1') };
    });
    expect(loaded).toEqual({ uploadId: 'U1', parts: 1, after: undefined });
    await context.close();
  });

  it('gives a re-selected file the same fingerprint and a changed one another', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await open(page);
    const [a, b, c] = await page.evaluate(async () => {
      const t = (window as any).osskitTest;
      const bytes = new Uint8Array(1_000_000).map((_, i) => (i * 31) & 0xff);
      // Inside the second 64 KiB sample (at one third); a change between samples is left to size and mtime.
      const changed = bytes.slice();
      changed[333_400] ^= 1;
      return Promise.all([
        t.fingerprintBlob(new File([bytes], 'a.bin')),
        t.fingerprintBlob(new File([bytes.slice()], 'a.bin')),
        t.fingerprintBlob(new File([changed], 'a.bin')),
      ]);
    });
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    await context.close();
  });

  for (const mode of ['Web Locks', 'lock record'] as const) {
    it(`lets only one tab at a time hold an upload's lock (${mode})`, async () => {
      const context = await browser.newContext();
      const [one, two] = [await context.newPage(), await context.newPage()];
      await open(one);
      await open(two);
      const useLocks = mode === 'Web Locks';
      const lockIn = (page: Page) =>
        page.evaluate(async (webLocks) => {
          const t = (window as any).osskitTest;
          const store = t.createIndexedDbCheckpointStore(webLocks ? {} : { locks: null });
          try {
            (window as any).release = await store.lock('same-file');
            return 'locked';
          } catch (error) {
            return `refused: ${(error as Error).message}`;
          }
        }, useLocks);
      expect(await lockIn(one)).toBe('locked');
      expect(await lockIn(two)).toMatch(/^refused: this file is already being uploaded/);
      await one.evaluate(async () => (window as any).release());
      expect(await lockIn(two)).toBe('locked');
      await two.evaluate(async () => (window as any).release());
      await context.close();
    });
  }
});
