// Browser upload example: a tiny Node server that keeps the credentials and hands the page
// presigned URLs and post policies. Run `npm run build`, then `node examples/browser/server.mjs`.
//
// Without OSS_* variables it starts the local emulator; with OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET,
// OSS_REGION and OSS_BUCKET it uses that real bucket (and sets its CORS rule for this page's origin).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { OssClient } from '../../dist/index.node.js';
import { startEmulator } from '../../dist/emulator/index.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const PORT = Number(process.env.PORT ?? 8080);
const HOST = '127.0.0.1';
/** The server only signs keys under this prefix: a presign endpoint must never sign arbitrary keys. */
const PREFIX = 'uploads/';

async function storage() {
  const { OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN, OSS_REGION, OSS_BUCKET } = process.env;
  if (OSS_ACCESS_KEY_ID && OSS_ACCESS_KEY_SECRET && OSS_REGION && OSS_BUCKET) {
    const credentials = { accessKeyId: OSS_ACCESS_KEY_ID, accessKeySecret: OSS_ACCESS_KEY_SECRET, securityToken: OSS_SESSION_TOKEN };
    return { client: new OssClient({ region: OSS_REGION, bucket: OSS_BUCKET, credentials }), close: async () => {}, where: `oss://${OSS_BUCKET}` };
  }
  const emu = await startEmulator({ port: 0 });
  const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, bucket: 'osskit-demo', credentials: emu.credentials });
  await client.putBucket({});
  return { client, close: () => emu.close(), where: `the emulator at ${emu.endpoint}` };
}

/** The browser build of osskit, bundled once for the page (a real app's bundler does this). */
async function bundleClient() {
  const result = await build({
    stdin: { contents: `export * from './dist/index.browser.js';`, resolveDir: here('../../'), loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

function sendJson(response, status, value) {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(value));
}

function underPrefix(value) {
  return typeof value === 'string' && value.startsWith(PREFIX) && !value.includes('..') && value.length > PREFIX.length;
}

const { client, close, where } = await storage();
const [page, script] = await Promise.all([readFile(here('./index.html'), 'utf8'), bundleClient()]);

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
  try {
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else if (url.pathname === '/osskit.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(script);
    } else if (url.pathname === '/presign') {
      // GET /presign?key=uploads/a.png&contentType=image/png[&method=GET]
      const key = url.searchParams.get('key');
      if (!underPrefix(key)) return sendJson(response, 400, { error: `key must start with ${PREFIX}` });
      const method = url.searchParams.get('method') === 'GET' ? 'GET' : 'PUT';
      const contentType = url.searchParams.get('contentType');
      const headers = method === 'PUT' && contentType ? { 'Content-Type': contentType } : undefined;
      // The answer says which headers the browser must send: a signed Content-Type must match exactly.
      sendJson(response, 200, await client.presign({ key, method, headers, expires: 600 }));
    } else if (url.pathname === '/post-policy') {
      // GET /post-policy?keyPrefix=uploads/
      const keyPrefix = url.searchParams.get('keyPrefix') ?? PREFIX;
      if (!keyPrefix.startsWith(PREFIX)) return sendJson(response, 400, { error: `keyPrefix must start with ${PREFIX}` });
      sendJson(response, 200, await client.createPostPolicy({ keyPrefix, expires: 600, contentLengthRange: [0, 100 * 1024 * 1024] }));
    } else {
      response.writeHead(404).end('not found');
    }
  } catch (error) {
    sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
  }
});

await new Promise((resolve) => server.listen(PORT, HOST, resolve));
const origin = `http://${HOST}:${server.address().port}`;
// The page lives on another origin than the bucket, so the bucket needs a CORS rule for it. Exposing
// x-oss-hash-crc64ecma lets the page check the CRC-64 of what it uploads and downloads; without it the
// client warns once and skips those checks (or fails with crc64Check: 'strict').
await client.putBucketCors({
  rules: [
    {
      allowedOrigins: [origin, origin.replace(HOST, 'localhost')],
      allowedMethods: ['GET', 'PUT', 'POST', 'HEAD'],
      allowedHeaders: ['*'],
      exposeHeaders: ['ETag', 'x-oss-request-id', 'x-oss-hash-crc64ecma'],
      maxAgeSeconds: 600,
    },
  ],
});
console.log(`osskit browser example: open ${origin}/  (objects go to ${where}; Ctrl+C stops)`);

const stop = async () => {
  server.close();
  await client.close();
  await close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
