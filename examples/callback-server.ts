/**
 * An application server that receives OSS upload callbacks, verifies that OSS (here: the emulator)
 * really sent them, and answers JSON — which OSS hands back to the uploader as `callbackResult`.
 *
 *   npm run example:callback                                        # self-contained demo on the emulator
 *   npx tsx examples/callback-server.ts --serve --port 3000          # just the server, for real OSS
 */
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { verifyCallback } from 'osskit';

export interface CallbackServerOptions {
  port?: number;
  /** Where OSS's public key may come from. Default: OSS's own (gosspublic.alicdn.com). */
  trustedKeyUrlPrefixes?: string[];
  log?: (line: string) => void;
}

/** Starts the application server; resolves with its base URL and a close function. */
export async function startCallbackServer(
  options: CallbackServerOptions = {},
): Promise<{ url: string; close(): Promise<void>; server: Server }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // Never trust a callback that does not verify: anyone can POST to this URL.
    const ok = await verifyCallback(
      { url: req.url ?? '/', headers: req.headers, body },
      options.trustedKeyUrlPrefixes ? { trustedKeyUrlPrefixes: options.trustedKeyUrlPrefixes } : undefined,
    );
    if (!ok) {
      log(`callback refused: signature does not verify (${req.url})`);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false }));
      return;
    }
    const fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    log(`callback verified: ${JSON.stringify(fields)}`);
    const answer = JSON.stringify({ ok: true, received: fields, at: new Date().toISOString() });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function demo(): Promise<void> {
  const { OssClient } = await import('osskit');
  const { startEmulator } = await import('osskit/emulator');
  const emulator = await startEmulator({ port: 0 });
  // The emulator signs callbacks with its own key, served from its own endpoint: trust only that.
  const app = await startCallbackServer({ trustedKeyUrlPrefixes: [`${emulator.endpoint}/`] });
  const client = new OssClient({
    region: emulator.region,
    endpoint: emulator.endpoint,
    bucket: 'callback-demo',
    credentials: emulator.credentials,
  });
  try {
    await client.putBucket({});
    const result = await client.putObject({
      key: 'photos/cat.jpg',
      body: 'not really a cat',
      callback: {
        url: `${app.url}/oss-callback`,
        body: 'bucket=${bucket}&object=${object}&size=${size}&etag=${etag}&user=${x:user}',
        vars: { 'x:user': 'alice' },
      },
    });
    console.log('putObject returned callbackResult:', result.callbackResult);
  } finally {
    await app.close();
    await emulator.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const portArg = process.argv.indexOf('--port');
  if (process.argv.includes('--serve')) {
    const app = await startCallbackServer({ port: portArg > 0 ? Number(process.argv[portArg + 1]) : 3000 });
    console.log(`callback server listening on ${app.url}`);
  } else {
    await demo();
  }
}
