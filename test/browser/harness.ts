/**
 * Real-browser harness: finds the system Chromium (never downloads one), bundles the test page with
 * esbuild for the browser, and serves it from a node:http server on 127.0.0.1 (another origin than the
 * emulator, so CORS is exercised for real).
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import type { Platform } from '../../src/client/client.js';
import { ExtendedOssClient } from '../../src/client/client-extras.js';
import type { Emulator } from '../../src/emulator/index.js';
import { createFetchTransport } from '../../src/transport/fetch.js';
import { recordNodeBuiltins } from '../build/node-builtins.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether the browser suite can run. Without Chromium it is skipped with a notice, except on CI
 * (`CI=true`), where a missing browser is a failure, not a silent pass.
 */
export function chromiumAvailability(): { run: boolean; reason?: string } {
  if (existsSync(CHROMIUM_PATH)) return { run: true };
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; the browser tests must run on CI`);
  console.warn(`[browser tests skipped] ${reason}`);
  return { run: false, reason };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: LAUNCH_ARGS });
}

/** Bundles test/browser/page.ts (which imports src/index.browser.ts) for the browser; refuses Node built-ins. */
export function bundlePage(): Promise<string> {
  return bundleScript('./page.ts');
}

/**
 * Bundles a script beside this file for the browser (`iife` for a classic Worker); refuses Node
 * built-ins. `plugins` may redirect imports (e.g. to the built dist/ bundle).
 */
export async function bundleScript(entry: string, format: 'esm' | 'iife' = 'esm', plugins: Plugin[] = []): Promise<string> {
  const { plugin, found } = recordNodeBuiltins();
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    platform: 'browser',
    format,
    target: 'es2022',
    write: false,
    plugins: [...plugins, plugin],
    logLevel: 'silent',
  });
  if (found.length > 0) {
    throw new Error(`the browser bundle imports Node built-ins: ${found.map((f) => `${f.path} (from ${f.importer})`).join(', ')}`);
  }
  return result.outputFiles[0]!.text;
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>osskit-loading</title></head>
<body><script type="module" src="/page.js"></script></body></html>`;

export interface PageServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `/` (the page), `/page.js` (the bundle) and `PUT /slow-sink`, which reads the body slowly
 * (a pause after every chunk) so that the browser's upload progress has time to report partial counts
 * — over loopback a fast server takes megabytes before Chrome's first progress tick — and `PUT /stall`,
 * which never answers. `scripts` adds more scripts by path (e.g. `{ '/worker.js': code }`).
 */
export async function startPageServer(script: string, scripts: Record<string, string> = {}): Promise<PageServer> {
  const server: Server = createServer((request, response) => {
    if (request.url === '/slow-sink' && request.method === 'PUT') {
      let received = 0;
      request.on('data', (chunk: Buffer) => {
        received += chunk.length;
        request.pause();
        setTimeout(() => request.resume(), 15);
      });
      request.on('end', () => response.writeHead(200, { 'x-received': String(received) }).end(String(received)));
      return;
    }
    if (request.url === '/stall') {
      // Takes the whole body, then never answers: only an idle timeout can end the request.
      request.resume();
      return;
    }
    const extra = request.url === undefined ? undefined : scripts[request.url];
    if (request.url === '/page.js' || extra !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(extra ?? script);
    } else if (request.url === '/' || request.url === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(PAGE);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The bytes page.ts `pattern()` makes for the same size and seed. */
export function patternBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 17 + (i >>> 8)) & 255;
  return bytes;
}

/**
 * The server side of a browser test: a Node client with the emulator's long-term keys creates
 * `bucket` with a CORS rule for the test page's origin, exposing what the browser must read.
 */
export async function prepareBucket(emu: Emulator, bucket: string, origin: string): Promise<ExtendedOssClient> {
  const platform: Platform = { createTransport: () => createFetchTransport(), contentTypeFor: () => undefined };
  const client = new ExtendedOssClient({ endpoint: emu.endpoint, region: emu.region, bucket, credentials: emu.credentials }, platform);
  await client.putBucket({});
  await client.putBucketCors({
    rules: [
      {
        allowedOrigins: [origin],
        allowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
        allowedHeaders: ['*'],
        exposeHeaders: ['ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma', 'Content-Length'],
        maxAgeSeconds: 60,
      },
    ],
  });
  return client;
}

/** Temporary credentials issued by the emulator, as an app server would hand them to a page. */
export function issuedSetup(emu: Emulator, bucket: string) {
  const sts = emu.issueTemporaryCredentials();
  return { endpoint: emu.endpoint, region: emu.region, bucket, ...sts, expiration: sts.expiration.toISOString() };
}
