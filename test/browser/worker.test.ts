/**
 * The osskit browser build inside a real dedicated Web Worker (Chromium): a classic worker runs an
 * IIFE bundle of the client and, with temporary credentials issued by the emulator, does putObject,
 * getObject (bytes checked), presigned PUT/GET and client.upload() of a multi-part Blob against the
 * emulator on another origin (a bucket CORS rule lets the page's origin in). The worker bundles the
 * built dist/index.browser.js when it exists (the shipped artefact), else src/index.browser.ts.
 * Skipped with a notice without Chromium, except on CI.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OssClient } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { bundleScript, chromiumAvailability, issuedSetup, launchChromium, prepareBucket, patternBytes, startPageServer, type PageServer } from './harness.js';
import type { WorkerSetup } from './worker.js';

const availability = chromiumAvailability();
const BUCKET = 'worker-bucket';
const KiB = 1024;
const DIST_BROWSER = fileURLToPath(new URL('../../dist/index.browser.js', import.meta.url));

let emu: Emulator;
let pages: PageServer;
let browser: Browser;
let page: Page;
let node: OssClient;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Sends the worker's import of the client to the built bundle when there is one. */
const useDist: Plugin = {
  name: 'osskit-dist-browser',
  setup(build) {
    build.onResolve({ filter: /src\/index\.browser\.js$/ }, () => (existsSync(DIST_BROWSER) ? { path: DIST_BROWSER } : undefined));
  },
};

/** Fresh temporary credentials for the worker, the way an app server would hand them out. */
function issued(): WorkerSetup {
  return issuedSetup(emu, BUCKET);
}

describe.runIf(availability.run)('in a dedicated Web Worker (Chromium)', () => {
  beforeAll(async () => {
    console.info(`[worker] client bundle from ${existsSync(DIST_BROWSER) ? 'dist/index.browser.js' : 'src/index.browser.ts (no build)'}`);
    const [pageScript, workerScript, emulator] = await Promise.all([
      bundleScript('./worker-page.ts'),
      bundleScript('./worker.ts', 'iife', [useDist]),
      startEmulator({ port: 0 }),
    ]);
    emu = emulator;
    pages = await startPageServer(pageScript, { '/worker.js': workerScript });
    node = await prepareBucket(emu, BUCKET, pages.origin);
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${pages.origin}/`);
    await page.waitForFunction(() => document.title !== 'osskit-loading', undefined, { timeout: 10_000 });
    expect(await page.title()).toBe('osskit-ready');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await node?.close();
    await emu?.close();
  });

  it('runs in a worker global: no window, no document', async () => {
    const env = await page.evaluate(() => window.osskitWorker.call('environment'));
    expect(env).toEqual({ hasWindow: false, hasDocument: false, scope: '[object DedicatedWorkerGlobalScope]', hasXhr: true });
  });

  it('putObject and getObject with issued STS credentials; the bytes arrive intact', async () => {
    const size = 70 * KiB + 3;
    const result = await page.evaluate(([s, n]) => window.osskitWorker.call('putGet', s, 'w/put-get.bin', n, 11), [issued(), size] as const);
    expect(result).toMatchObject({ contentType: 'application/x-worker', contentLength: size, size, providerCalls: 1 });
    expect(result).toHaveProperty('sha256', sha256(patternBytes(size, 11)));
    expect(sha256((await (await node.getObject({ key: 'w/put-get.bin' })).bytes()))).toBe(sha256(patternBytes(size, 11)));
  });

  it('presigned PUT and GET with the STS token in the URL; an expiry past the token is refused', async () => {
    const size = 10 * KiB;
    const result = await page.evaluate(([s, n]) => window.osskitWorker.call('presigned', s, 'w/presigned.bin', n, 12), [issued(), size] as const);
    expect(result).toMatchObject({
      putStatus: 200,
      urlHasToken: true,
      getStatus: 200,
      contentType: 'application/x-presigned',
      size,
      sha256: sha256(patternBytes(size, 12)),
      refused: { name: 'OssClientError', code: 'InvalidArgument' },
    });
  });

  it('client.upload() of a Blob bigger than one part goes multipart, progress reaching the total', async () => {
    const size = 300 * KiB + 7;
    const partSize = 100 * KiB;
    const result = await page.evaluate(([s, n, p]) => window.osskitWorker.call('upload', s, 'w/multi.bin', n, 13, p), [issued(), size, partSize] as const);
    expect(result).toMatchObject({ lastLoaded: size, monotonic: true, providerCalls: 1 });
    expect(result).toHaveProperty('etag', expect.stringMatching(/-4"$/));
    const stored = emu.storage.getObject(BUCKET, 'w/multi.bin');
    expect(stored && sha256(stored.data)).toBe(sha256(patternBytes(size, 13)));
    expect(emu.storage.listUploads(BUCKET)).toEqual([]);
  });

  it('a worker holding a forged token is refused with InvalidSecurityToken', async () => {
    const setup = { ...issued(), securityToken: 'CAISforged' };
    const result = await page.evaluate((s) => window.osskitWorker.call('putGet', s, 'w/forged.bin', 10, 1), setup);
    expect(result).toMatchObject({ failed: true, name: 'OssError', code: 'InvalidSecurityToken' });
    expect(emu.storage.getObject(BUCKET, 'w/forged.bin')).toBeUndefined();
  });
});
