// Managed upload end to end: a generated file (default 256 MiB) uploaded to the emulator started
// with a data directory (objects written to disk, as `osskit-emulator --data-dir` does) with osskit
// `uploadFile` and with ali-oss `multipartUpload` (same part size and parallelism), plus osskit with
// its CRC-64 check off. Each client runs in its own child process so its peak RSS is measured alone;
// the emulator lives in this parent process, never in a client's. Prints one JSON line.
// The children run in alternating rounds (default 3) and each reports the median of its rounds, so
// load from elsewhere on the machine is less likely to land on one side only.
// Run after `npm run build`: node bench/upload.mjs [sizeMiB] [partSizeMiB] [parallel] [rounds]
import { randomFillSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, runChild as runChildScript } from './child.mjs';

const MiB = 1024 * 1024;
const BUCKET = 'bench-upload';

if (process.argv[2] === 'child') {
  await child(JSON.parse(process.argv[3]));
} else {
  await parent();
}

async function parent() {
  const sizeMiB = Number(process.argv[2] ?? 256);
  const partSize = Number(process.argv[3] ?? 8) * MiB;
  const parallel = Number(process.argv[4] ?? 4);
  const rounds = Math.max(1, Number(process.argv[5] ?? 3));
  const { startEmulator } = await import('../dist/emulator/index.js');
  const { OssClient } = await import('../dist/index.node.js');

  const dir = await mkdtemp(join(tmpdir(), 'osskit-bench-'));
  const file = join(dir, 'source.bin');
  await writeRandomFile(file, sizeMiB * MiB);
  const emu = await startEmulator({ port: 0, dataDir: join(dir, 'data') });
  const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET });
  await client.putBucket({});
  await client.close();

  const base = { endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, file, partSize, parallel };
  const results = {};
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['ali-oss', 'osskit', 'osskit-nocrc'] : ['osskit', 'ali-oss', 'osskit-nocrc'];
      for (const lib of order) {
        (results[lib] ??= []).push(await runChild({ ...base, lib, key: `bench/${lib}.bin` }));
        // Free the emulator's copy before the next run so every run starts alike.
        emu.storage.deleteObject(BUCKET, `bench/${lib}.bin`);
      }
    }
  } finally {
    await emu.close();
    await rm(dir, { recursive: true, force: true });
  }
  for (const lib of Object.keys(results)) {
    results[lib] = { ms: median(results[lib].map((r) => r.ms)), maxRssKiB: median(results[lib].map((r) => r.maxRssKiB)) };
  }
  const mbps = (r) => sizeMiB / (r.ms / 1000);
  console.log(
    JSON.stringify({
      bench: 'upload',
      sizeMiB,
      partSizeMiB: partSize / MiB,
      parallel,
      rounds,
      osskit: { MBps: round(mbps(results.osskit)), peakRssMiB: round(results.osskit.maxRssKiB / 1024) },
      aliOss: { MBps: round(mbps(results['ali-oss'])), peakRssMiB: round(results['ali-oss'].maxRssKiB / 1024) },
      // ali-oss checks no CRC by default; this run shows what osskit's end-to-end CRC-64 costs.
      osskitCrcOff: { MBps: round(mbps(results['osskit-nocrc'])), peakRssMiB: round(results['osskit-nocrc'].maxRssKiB / 1024) },
      speedRatio: round(mbps(results.osskit) / mbps(results['ali-oss'])),
      rssRatio: round(results.osskit.maxRssKiB / results['ali-oss'].maxRssKiB),
    }),
  );
}

async function child(config) {
  // Sampled, not getrusage's maxRSS: Linux carries ru_maxrss across exec, so a child would report
  // the (emulator-holding) parent's peak instead of its own.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 5);
  let start;
  if (config.lib.startsWith('osskit')) {
    const { OssClient } = await import('../dist/index.node.js');
    const crc64Check = config.lib === 'osskit';
    const client = new OssClient({ endpoint: config.endpoint, region: config.region, credentials: config.credentials, bucket: BUCKET, crc64Check });
    start = performance.now();
    await client.uploadFile({ key: config.key, file: config.file, partSize: config.partSize, parallel: config.parallel });
    await client.close();
  } else {
    const OSS = createRequire(import.meta.url)('ali-oss');
    const client = new OSS({
      region: `oss-${config.region}`,
      endpoint: config.endpoint,
      accessKeyId: config.credentials.accessKeyId,
      accessKeySecret: config.credentials.accessKeySecret,
      bucket: BUCKET,
      timeout: 600_000,
    });
    start = performance.now();
    await client.multipartUpload(config.key, config.file, { partSize: config.partSize, parallel: config.parallel });
  }
  const ms = performance.now() - start;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  process.stdout.write(`${JSON.stringify({ ms, maxRssKiB: peakRss / 1024 })}\n`);
}

function runChild(config) {
  return runChildScript(fileURLToPath(import.meta.url), config);
}

/** Writes `size` pseudo-random bytes in 8 MiB chunks (never the whole file in memory). */
async function writeRandomFile(path, size) {
  const handle = await open(path, 'w');
  const chunk = new Uint8Array(8 * MiB);
  try {
    for (let written = 0; written < size; written += chunk.byteLength) {
      randomFillSync(chunk);
      await handle.write(chunk, 0, Math.min(chunk.byteLength, size - written));
    }
  } finally {
    await handle.close();
  }
}

function round(n) {
  return Math.round(n * 100) / 100;
}
