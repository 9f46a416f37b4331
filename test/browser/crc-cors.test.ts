/**
 * Real Chromium, the CRC header behind CORS: with a bucket CORS rule that does not expose
 * `x-oss-hash-crc64ecma`, the page cannot see the CRC OSS sent. The client warns once (naming the
 * CORS ExposeHeader fix), stops hashing uploads after the first answer without the header, and under
 * `crc64Check: 'strict'` fails uploads and downloads with CrcMismatch. With a rule that exposes the
 * header nothing is hidden: no warning, every upload hashed and checked. Skipped with a notice without
 * Chromium, except on CI.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OssClient } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { bundleScript, chromiumAvailability, issuedSetup, launchChromium, prepareBucket, startPageServer, type PageServer } from './harness.js';

const availability = chromiumAvailability();
const HIDDEN = 'crc-hidden-bucket';
const EXPOSED = 'crc-exposed-bucket';

let emu: Emulator;
let pages: PageServer;
let browser: Browser;
let nodeClients: OssClient[] = [];

/** A fresh page (a fresh client state) whose console warnings are collected. */
async function openPage(): Promise<{ page: Page; warnings: string[] }> {
  const page = await browser.newPage();
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  await page.goto(`${pages.origin}/`);
  await page.waitForFunction(() => document.title === 'osskit-ready', undefined, { timeout: 10_000 });
  return { page, warnings };
}

describe.runIf(availability.run)('CRC header hidden by CORS, in Chromium', () => {
  beforeAll(async () => {
    const [script, emulator] = await Promise.all([bundleScript('./crc-page.ts'), startEmulator({ port: 0 })]);
    emu = emulator;
    pages = await startPageServer(script);
    const exposed = await prepareBucket(emu, EXPOSED, pages.origin);
    const hidden = await prepareBucket(emu, HIDDEN, pages.origin);
    // The same rule without the CRC header among the exposed ones.
    await hidden.putBucketCors({
      rules: [
        {
          allowedOrigins: [pages.origin],
          allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
          allowedHeaders: ['*'],
          exposeHeaders: ['ETag', 'x-oss-request-id', 'Content-Length'],
          maxAgeSeconds: 60,
        },
      ],
    });
    nodeClients = [exposed, hidden];
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    for (const client of nodeClients) await client.close();
    await emu?.close();
  });

  it('hidden header: one warning naming the ExposeHeader fix, the first Blob hashed, the next ones not', async () => {
    const { page, warnings } = await openPage();
    const out = await page.evaluate((s) => window.osskitCrc.uploads(s, 'hidden/'), issuedSetup(emu, HIDDEN));
    expect(out.results).toEqual([
      { reads: 1, crc64: null },
      { reads: 0, crc64: null },
      { reads: 0, crc64: null },
    ]);
    expect(out.downloaded).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/x-oss-hash-crc64ecma/);
    expect(warnings[0]).toMatch(/ExposeHeader.*CORS rule/);
    // The objects arrived whole all the same.
    const stored = await (await nodeClients[1]!.getObject({ key: 'hidden/2.txt' })).text();
    expect(stored).toBe('body 2 '.repeat(1000));
    await page.close();
  });

  it("crc64Check: 'strict' fails the upload and the download with CrcMismatch", async () => {
    const { page, warnings } = await openPage();
    const out = await page.evaluate((s) => window.osskitCrc.strict(s, 'strict/a.txt'), issuedSetup(emu, HIDDEN));
    expect(out.put?.code).toBe('CrcMismatch');
    expect(out.put?.message).toMatch(/no x-oss-hash-crc64ecma header.*'strict'.*ExposeHeader/);
    expect(out.get?.code).toBe('CrcMismatch');
    expect(warnings).toEqual([]);
    await page.close();
  });

  it('exposed header: every upload hashed and checked, no warning', async () => {
    const { page, warnings } = await openPage();
    const out = await page.evaluate((s) => window.osskitCrc.uploads(s, 'exposed/'), issuedSetup(emu, EXPOSED));
    const heads = await Promise.all([0, 1, 2].map((i) => nodeClients[0]!.headObject({ key: `exposed/${i}.txt` })));
    expect(out.results).toEqual(heads.map((head) => ({ reads: 1, crc64: head.crc64 })));
    expect(out.downloaded).toBe(true);
    expect(warnings).toEqual([]);
    await page.close();
  });
});
