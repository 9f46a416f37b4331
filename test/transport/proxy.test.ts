/**
 * The Node transport's opt-in proxy support, through a small forward proxy on loopback that counts
 * what passes through it (CONNECT tunnels and absolute-form requests): `proxy: '<url>'` always uses
 * it, `proxy: true` follows HTTP_PROXY/NO_PROXY, and without the option the environment is ignored.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OssClient as CoreClient } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isOssClientError } from '../../src/errors.js';
import { OssClient } from '../../src/index.node.js';
import { createUndiciTransport } from '../../src/transport/undici.node.js';
import { createFetchTransport } from '../../src/transport/fetch.js';

let emu: Emulator;
let proxy: Server;
let proxyUrl: string;
let proxied = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  proxy = createServer((req, res) => {
    proxied++;
    const target = new URL(req.url!);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  proxy.on('connect', (req, socket: Socket, head: Buffer) => {
    proxied++;
    sockets.add(socket);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await emu.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function env(proxyTo: string, noProxy: string): void {
  for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']) vi.stubEnv(name, proxyTo);
  for (const name of ['NO_PROXY', 'no_proxy']) vi.stubEnv(name, noProxy);
}

async function roundTrip(client: OssClient, key: string): Promise<void> {
  await client.putBucket({}).catch(() => undefined);
  await client.putObject({ key, body: `via ${key}` });
  expect(await (await client.getObject({ key })).text()).toBe(`via ${key}`);
  await client.close();
}

function client(options: Record<string, unknown>): OssClient {
  return new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'proxied', ...options });
}

describe('proxy option', () => {
  it('proxy: <url> sends every request through that proxy', async () => {
    const before = proxied;
    await roundTrip(client({ proxy: proxyUrl }), 'url');
    expect(proxied).toBeGreaterThan(before);
  });

  it('proxy: true follows HTTP_PROXY', async () => {
    env(proxyUrl, '');
    const before = proxied;
    await roundTrip(client({ proxy: true }), 'env');
    expect(proxied).toBeGreaterThan(before);
  });

  it('proxy: true bypasses the proxy for hosts in NO_PROXY', async () => {
    env(proxyUrl, 'example.com,127.0.0.1');
    const before = proxied;
    await roundTrip(client({ proxy: true }), 'no-proxy');
    expect(proxied).toBe(before);
  });

  it('without the option the environment is ignored', async () => {
    env('http://127.0.0.1:1', '');
    const before = proxied;
    await roundTrip(client({}), 'direct');
    expect(proxied).toBe(before);
  });

  it('createUndiciTransport({ proxy }) does the same for a transport built by hand', async () => {
    const before = proxied;
    await roundTrip(client({ transport: createUndiciTransport({ proxy: proxyUrl }) }), 'transport');
    expect(proxied).toBeGreaterThan(before);
  });

  it('refuses a bad proxy, a proxy with a custom transport, and a proxy in the browser build', () => {
    const refused = (build: () => unknown) => {
      try {
        build();
      } catch (error) {
        return isOssClientError(error, 'InvalidArgument');
      }
      return false;
    };
    expect(refused(() => client({ proxy: 'ftp://proxy' }))).toBe(true);
    expect(refused(() => client({ proxy: 'not a url' }))).toBe(true);
    expect(refused(() => client({ proxy: proxyUrl, transport: createFetchTransport() }))).toBe(true);
    const browserPlatform = { createTransport: () => createFetchTransport(), contentTypeFor: () => undefined };
    expect(refused(() => new CoreClient({ region: 'cn-hangzhou', proxy: true }, browserPlatform))).toBe(true);
  });
});
