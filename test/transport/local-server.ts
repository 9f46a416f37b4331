/** A local node:http server whose handler each test scripts, for the transport tests. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface LocalServer {
  url: string;
  /** Sockets opened so far: shows whether connections are reused. */
  connections: number;
  handle(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  close(): Promise<void>;
}

export async function startLocalServer(): Promise<LocalServer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => handler(req, res));
  const state = { connections: 0 };
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return state.connections;
    },
    handle(next) {
      handler = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function readRequest(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Reads a request body slowly but steadily: `burst` bytes, then a pause of `pauseMs`, until the end.
 * Resolves with the number of bytes read.
 */
export function readSlowly(req: IncomingMessage, burst: number, pauseMs: number): Promise<number> {
  return new Promise((resolve) => {
    let total = 0;
    let sinceBreak = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      sinceBreak += chunk.length;
      if (sinceBreak >= burst) {
        sinceBreak = 0;
        req.pause();
        setTimeout(() => req.resume(), pauseMs);
      }
    });
    req.on('end', () => resolve(total));
    // A client that gave up: nothing to answer, and nothing to fail the server with.
    req.on('error', () => resolve(total));
  });
}
