// The emulator's memory with a data directory: a child process runs the emulator (from dist/) and
// samples its own RSS; this process streams a big object into it by PutObject and by a multipart
// upload, then reads it back, and prints the emulator's peak RSS for each phase. Bodies are
// generated on the fly, so neither process needs the object in memory.
//   node bench/emulator-memory.mjs [sizeMiB=1024] [partMiB=64]      (after npm run build)
// Prints one JSON line per phase on stdout, a summary on stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MiB = 1024 * 1024;
const CREDENTIALS = { accessKeyId: 'LTAIbenchmemory', accessKeySecret: 'bench-memory-secret' };

if (process.argv[2] === 'child') {
  // The emulator side: report the peak RSS sampled since the previous report.
  const { startEmulator } = await import('../dist/emulator/index.js');
  const emu = await startEmulator({ dataDir: process.argv[3], credentials: [CREDENTIALS] });
  let peak = process.memoryUsage.rss();
  setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10).unref();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line === 'exit') {
      emu.close().then(() => process.exit(0));
      return;
    }
    peak = Math.max(peak, process.memoryUsage.rss());
    process.stdout.write(`${JSON.stringify({ peakRss: peak, rss: process.memoryUsage.rss() })}\n`);
    peak = process.memoryUsage.rss();
  });
  process.stdout.write(`${JSON.stringify({ endpoint: emu.endpoint, region: emu.region })}\n`);
} else {
  await main();
}

async function main() {
  const sizeMiB = Number(process.argv[2] ?? 1024);
  const partMiB = Number(process.argv[3] ?? 64);
  const size = sizeMiB * MiB;
  const { signV4 } = await import('../dist/index.node.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'osskit-bench-emu-'));
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'child', dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await replies.next()).value);
  const { endpoint, region } = await next();
  const url = new URL(endpoint);
  const measure = async () => {
    child.stdin.write('peak\n');
    return next();
  };

  /** One signed request; `body` is an async generator of chunks (streamed with backpressure). */
  function call(method, bucket, key, query = {}, body, length = 0) {
    const headers = signV4({ method, bucket, key, query, headers: {} }, CREDENTIALS, { now: new Date(), region });
    const search = new URLSearchParams(query).toString().replace(/=(&|$)/g, '$1');
    const path = `/${bucket}${key ? `/${key}` : ''}${search ? `?${search}` : ''}`;
    return new Promise((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, 'content-length': String(length) } }, (res) => {
        const chunks = [];
        let received = 0;
        res.on('data', (c) => {
          received += c.length;
          if (chunks.length < 64) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString(), received }));
        res.on('error', reject);
      });
      req.on('error', reject);
      (async () => {
        if (body) {
          for await (const chunk of body) if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })().catch(reject);
    });
  }

  /** `bytes` of a repeating 1 MiB pattern, one reused buffer. */
  async function* generate(bytes) {
    const chunk = Buffer.alloc(MiB, 'osskit emulator memory bench|');
    for (let sent = 0; sent < bytes; sent += MiB) yield sent + MiB <= bytes ? chunk : chunk.subarray(0, bytes - sent);
  }

  const results = [];
  const phase = async (name, run) => {
    await measure();
    const start = performance.now();
    await run();
    const seconds = (performance.now() - start) / 1000;
    const { peakRss, rss } = await measure();
    const line = {
      bench: `emulator-memory/${name}`,
      unit: 'MiB',
      sizeMiB,
      peakRssMiB: Math.round(peakRss / MiB),
      rssAfterMiB: Math.round(rss / MiB),
      MBps: Math.round(size / 1e6 / seconds),
    };
    results.push(line);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };

  const ok = (res, what) => {
    if (res.status !== 200) throw new Error(`${what}: ${res.status} ${res.text}`);
    return res;
  };
  try {
    ok(await call('PUT', 'bench-memory'), 'PutBucket');
    await phase('PutObject', async () => ok(await call('PUT', 'bench-memory', 'put.bin', {}, generate(size), size), 'PutObject'));
    await phase('multipart', async () => {
      const init = ok(await call('POST', 'bench-memory', 'mp.bin', { uploads: '' }), 'Initiate');
      const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.text)[1];
      const parts = [];
      for (let n = 1, offset = 0; offset < size; n++, offset += partMiB * MiB) {
        const length = Math.min(partMiB * MiB, size - offset);
        const res = ok(await call('PUT', 'bench-memory', 'mp.bin', { partNumber: String(n), uploadId }, generate(length), length), `UploadPart ${n}`);
        parts.push(`<Part><PartNumber>${n}</PartNumber><ETag>${res.headers.etag}</ETag></Part>`);
      }
      const xml = `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`;
      ok(await call('POST', 'bench-memory', 'mp.bin', { uploadId }, [Buffer.from(xml)], Buffer.byteLength(xml)), 'Complete');
    });
    await phase('GetObject', async () => {
      const res = ok(await call('GET', 'bench-memory', 'mp.bin'), 'GetObject');
      if (res.received !== size) throw new Error(`GetObject received ${res.received} of ${size} bytes`);
    });
  } finally {
    child.stdin.write('exit\n');
    await new Promise((resolve) => child.on('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
  for (const r of results) {
    process.stderr.write(`emulator ${r.bench.split('/')[1].padEnd(10)} ${sizeMiB} MiB: peak RSS ${r.peakRssMiB} MiB (after ${r.rssAfterMiB} MiB), ${r.MBps} MB/s\n`);
  }
}
