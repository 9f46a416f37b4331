/**
 * Real Chromium against the emulator: a page on one origin talks to the emulator on another, through
 * a bucket CORS rule set with putBucketCors. Presigned PUT/GET with plain fetch, a form POST from a
 * post policy, the XHR transport's byte progress, client.upload() multipart with an STS provider
 * handing out credentials issued by the emulator (progress and cancel), and getObject. Skipped with a notice without Chromium, except on CI.
 */
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OssClient } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { bundlePage, chromiumAvailability, issuedSetup, launchChromium, prepareBucket, patternBytes, startPageServer, type PageServer } from './harness.js';

const availability = chromiumAvailability();
const BUCKET = 'browser-bucket';
const KiB = 1024;

let emu: Emulator;
let pages: PageServer;
let browser: Browser;
let page: Page;
let node: OssClient;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** Temporary credentials issued by the emulator, which then insists on their token. */
const setup = () => issuedSetup(emu, BUCKET);

describe.runIf(availability.run)('in Chromium', () => {
  beforeAll(async () => {
    const [script, emulator] = await Promise.all([bundlePage(), startEmulator({ port: 0 })]);
    emu = emulator;
    pages = await startPageServer(script);
    node = await prepareBucket(emu, BUCKET, pages.origin);
    browser = await launchChromium();
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${pages.origin}/`);
    await page.waitForFunction(() => document.title === 'osskit-ready', undefined, { timeout: 10_000 }).catch(() => {
      throw new Error(`the test page did not start: ${errors.join('; ')}`);
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await node?.close();
    await emu?.close();
  });

  it('uploads a File by presigned PUT with fetch and the returned headers, and downloads it by presigned GET', async () => {
    const put = await node.presign({ key: 'b/presigned.bin', method: 'PUT', headers: { 'Content-Type': 'application/x-test' } });
    const result = await page.evaluate(([url, headers]) => window.osskitTest.presignedPut(url, headers, 200 * 1024, 1), [
      put.url,
      put.headers,
    ] as const);
    expect(result.status).toBe(200);
    expect(result.etag).toMatch(/^"[0-9A-F]{32}"$/);

    const get = await node.presign({ key: 'b/presigned.bin' });
    const got = await page.evaluate((url) => window.osskitTest.presignedGet(url), get.url);
    expect(got).toMatchObject({ status: 200, contentType: 'application/x-test', size: 200 * 1024 });
    expect(got.sha256).toBe(sha256(patternBytes(200 * 1024, 1)));
  });

  it('shows the Content-Type trap in a browser: another type than the signed one gets 403', async () => {
    const put = await node.presign({ key: 'b/trap.bin', method: 'PUT', headers: { 'Content-Type': 'image/png' } });
    const result = await page.evaluate(([url]) => window.osskitTest.presignedPut(url, { 'content-type': 'image/jpeg' }, 10, 2), [put.url] as const);
    expect(result.status).toBe(403);
    expect(result.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('uploads by form POST (FormData) with a post policy', async () => {
    const { url, fields } = await node.createPostPolicy({ keyPrefix: 'b/forms/', contentLengthRange: [1, 64 * KiB], successActionStatus: 201 });
    const result = await page.evaluate(([u, f]) => window.osskitTest.postForm(u, f, 'b/forms/f.txt', 5000, 3), [url, fields] as const);
    expect(result.status).toBe(201);
    expect(result.body).toContain('<Key>b/forms/f.txt</Key>');
    const stored = await (await node.getObject({ key: 'b/forms/f.txt' })).bytes();
    expect(sha256(stored)).toBe(sha256(patternBytes(5000, 3)));

    const outside = await page.evaluate(([u, f]) => window.osskitTest.postForm(u, f, 'elsewhere/f.txt', 10, 3), [url, fields] as const);
    expect(outside.status).toBe(403);
    expect(outside.body).toContain('<Code>AccessDenied</Code>');
  });

  it('the XHR transport reports byte-level upload progress, monotonic up to the total', async () => {
    const size = 3 * 1024 * 1024;
    const put = await node.presign({ key: 'b/xhr.bin', method: 'PUT' });
    const result = await page.evaluate(([url, h, n]) => window.osskitTest.xhrPut(url, h, n, 4), [put.url, put.headers, size] as const);
    expect(result.status).toBe(200);
    console.info(`[browser] XHR progress events for ${size} B: ${result.events.length}`);
    expect(result.events.length).toBeGreaterThan(0);
    expect(result.events.every((n, i) => i === 0 || n >= result.events[i - 1]!)).toBe(true);
    expect(result.events.at(-1)).toBe(size);
    const stored = await (await node.getObject({ key: 'b/xhr.bin' })).bytes();
    expect(sha256(stored)).toBe(sha256(patternBytes(size, 4)));
  });

  it('the XHR transport reports partial counts on a slow link, and aborts mid-upload with Aborted', async () => {
    const size = 8 * 1024 * 1024;
    const slow = `${pages.origin}/slow-sink`;
    const result = await page.evaluate(([url, n]) => window.osskitTest.xhrPut(url, {}, n, 7), [slow, size] as const);
    expect(result.status).toBe(200);
    const partial = result.events.filter((n) => n > 0 && n < size);
    console.info(`[browser] slow link: ${result.events.length} events, ${partial.length} partial`);
    expect(partial.length).toBeGreaterThan(0);
    expect(result.events.every((n, i) => i === 0 || n >= result.events[i - 1]!)).toBe(true);
    expect(result.events.at(-1)).toBe(size);

    const aborted = await page.evaluate(([url, n]) => window.osskitTest.xhrPutAbort(url, n, 256 * 1024), [slow, size] as const);
    expect(aborted.completed).toBe(false);
    expect(aborted.error).toMatchObject({ name: 'OssClientError', code: 'Aborted' });
    expect(aborted.events.at(-1)!).toBeLessThan(size);
  });

  it('the XHR transport ends a request that gets no answer with Timeout', async () => {
    const result = await page.evaluate((url) => window.osskitTest.xhrTimeout(url, 300), `${pages.origin}/stall`);
    expect(result).toMatchObject({ completed: false, error: { name: 'OssClientError', code: 'Timeout' } });
  });

  it('client.upload() sends a multipart upload with issued STS credentials, progress reaching the total', async () => {
    const size = 1024 * 1024 + 12_345;
    const result = await page.evaluate(([s, n]) => window.osskitTest.clientUpload(s, 'b/multi.bin', n, 5, 256 * 1024), [setup(), size] as const);
    expect(result.providerCalls).toBeGreaterThanOrEqual(1);
    expect(result.etag).toMatch(/-5"$/);
    expect(result.monotonic).toBe(true);
    expect(result.events.at(-1)).toMatchObject({ loadedBytes: size, totalBytes: size });
    expect(result.events.length).toBeGreaterThanOrEqual(5);

    const downloaded = await page.evaluate((s) => window.osskitTest.clientGet(s, 'b/multi.bin'), setup());
    expect(downloaded).toEqual({ size, contentLength: size, sha256: sha256(patternBytes(size, 5)) });
  });

  it('cancelling client.upload() mid-way rejects with Aborted and leaves no multipart upload behind', async () => {
    const size = 4 * 1024 * 1024;
    const result = await page.evaluate(([s, n]) => window.osskitTest.clientUploadAbort(s, 'b/cancel.bin', n, 256 * 1024, 600 * 1024), [
      setup(),
      size,
    ] as const);
    expect(result.completed).toBe(false);
    expect(result.error).toMatchObject({ name: 'OssClientError', code: 'Aborted' });
    expect(emu.storage.listUploads(BUCKET).filter((u) => u.key === 'b/cancel.bin')).toEqual([]);
    expect(emu.storage.getObject(BUCKET, 'b/cancel.bin')).toBeUndefined();
  });
});
