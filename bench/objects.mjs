// Object round trips against one emulator: osskit vs ali-oss, same emulator, same keys, same
// signature version. Workloads, each run one request at a time (per-request overhead, not
// parallelism): 1000 × putObject 4 KiB, 1000 × getObject 4 KiB (body read fully), 100 ×
// listObjectsV2 of 100 keys, 20 × put + get of 8 MiB. Each client runs in its own child process so
// its peak RSS is its own; the emulator lives in this parent process (never in a client's). A third
// child runs the 8 MiB workloads with osskit's CRC-64 check off, to show what the check costs.
// Prints one JSON line per workload plus one for memory.
// The children run in alternating rounds (default 3) and each workload reports the median of its
// rounds, so a burst of load from elsewhere on the machine hits both clients alike.
// Run after `npm run build`: node bench/objects.mjs [--sig v4|v1] [--scale 1] [--rounds 3]
//   --scale 0.1 runs a tenth of every count (a quick smoke run).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, runChild as runChildScript } from './child.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;
const BUCKET = 'bench-objects';
const LIST_KEYS = 100;

if (process.argv[2] === 'child') {
  await child(JSON.parse(process.argv[3]));
} else {
  await parent();
}

/** Counts of each workload; `scale` shrinks them for a smoke run. */
function plan(scale) {
  const n = (count) => Math.max(1, Math.round(count * scale));
  return { small: n(1000), list: n(100), large: n(20), warmup: n(50) };
}

async function parent() {
  const { values } = parseArgs({
    options: {
      sig: { type: 'string', default: 'v4' },
      scale: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const rounds = Math.max(1, Number(values.rounds));
  const sig = values.sig === 'v1' ? 'v1' : 'v4';
  const counts = plan(Number(values.scale));
  const { startEmulator } = await import('../dist/emulator/index.js');
  const { OssClient } = await import('../dist/index.node.js');

  const emu = await startEmulator({ port: 0 });
  const results = {};
  try {
    const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET });
    await client.putBucket({});
    // The listing fixture: 100 small keys under one prefix, shared by both clients.
    for (let i = 0; i < LIST_KEYS; i++) await client.putObject({ key: `list/${String(i).padStart(3, '0')}`, body: `item ${i}` });
    await client.close();

    const base = { endpoint: emu.endpoint, port: emu.port, region: emu.region, credentials: emu.credentials, sig, counts };
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first, so neither always runs on a warmer (or busier) machine.
      const order = round % 2 ? ['ali-oss', 'osskit', 'osskit-nocrc'] : ['osskit', 'ali-oss', 'osskit-nocrc'];
      for (const lib of order) (results[lib] ??= []).push(await runChild({ ...base, lib }));
    }
  } finally {
    await emu.close();
  }

  const ours = medians(results.osskit);
  const theirs = medians(results['ali-oss']);
  const noCrc = medians(results['osskit-nocrc']);
  // `osskitCrcOff`: osskit with its CRC-64 check off (ali-oss checks none by default), to show its cost.
  const line = (bench, unit, a, b, extra = {}, c) =>
    console.log(
      JSON.stringify({
        bench, unit, signature: sig, ...extra, osskit: round(a), aliOss: round(b), ratio: round(a / b),
        ...(c === undefined ? {} : { osskitCrcOff: round(c) }),
      }),
    );
  line('objects/put-4KiB', 'ops/s', ops(counts.small, ours.putSmallMs), ops(counts.small, theirs.putSmallMs), { count: counts.small });
  line('objects/get-4KiB', 'ops/s', ops(counts.small, ours.getSmallMs), ops(counts.small, theirs.getSmallMs), { count: counts.small });
  line('objects/list-100', 'ops/s', ops(counts.list, ours.listMs), ops(counts.list, theirs.listMs), { count: counts.list });
  const mbps = (ms) => (counts.large * 8) / (ms / 1000);
  line('objects/put-8MiB', 'MB/s', mbps(ours.putLargeMs), mbps(theirs.putLargeMs), { count: counts.large }, mbps(noCrc.putLargeMs));
  line('objects/get-8MiB', 'MB/s', mbps(ours.getLargeMs), mbps(theirs.getLargeMs), { count: counts.large }, mbps(noCrc.getLargeMs));
  // Lower is better here, so the ratio reads "osskit uses N× the memory of ali-oss".
  line('objects/peak-rss', 'MiB', ours.maxRssKiB / 1024, theirs.maxRssKiB / 1024, { rounds });
}

/** Per workload the median of the rounds (peak RSS too). */
function medians(runs) {
  return Object.fromEntries(Object.keys(runs[0]).map((name) => [name, median(runs.map((r) => r[name]))]));
}

/** A client's operations behind one small interface, so the workloads below are shared. */
async function makeClient(config) {
  if (config.lib.startsWith('osskit')) {
    const { OssClient } = await import('../dist/index.node.js');
    const client = new OssClient({
      endpoint: config.endpoint,
      region: config.region,
      credentials: config.credentials,
      bucket: BUCKET,
      signatureVersion: config.sig,
      crc64Check: config.lib === 'osskit',
    });
    return {
      put: (key, body) => client.putObject({ key, body }),
      get: async (key) => (await client.getObject({ key })).bytes(),
      list: async () => (await client.listObjectsV2({ prefix: 'list/', maxKeys: LIST_KEYS })).contents.length,
      close: () => client.close(),
    };
  }
  const OSS = createRequire(import.meta.url)('ali-oss');
  // Path-style addressing against localhost, as in test/emulator/ali-oss.test.ts.
  const client = new OSS({
    region: `oss-${config.region}`,
    endpoint: `http://localhost:${config.port}`,
    sldEnable: true,
    accessKeyId: config.credentials.accessKeyId,
    accessKeySecret: config.credentials.accessKeySecret,
    bucket: BUCKET,
    authorizationV4: config.sig === 'v4',
    timeout: 120_000,
  });
  return {
    put: (key, body) => client.put(key, Buffer.from(body.buffer, body.byteOffset, body.byteLength)),
    get: async (key) => (await client.get(key)).content,
    list: async () => (await client.listV2({ prefix: 'list/', 'max-keys': LIST_KEYS })).objects.length,
    close: async () => {},
  };
}

async function child(config) {
  // Sampled, not getrusage's maxRSS: Linux carries ru_maxrss across exec, so a child would report
  // the (emulator-holding) parent's peak when that is higher than its own.
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 5);
  const { counts } = config;
  // The CRC-off run only needs the large objects; its small workloads are skipped.
  if (config.lib === 'osskit-nocrc') counts.small = counts.list = counts.warmup = 1;
  const client = await makeClient(config);
  const prefix = `${config.lib}/`;
  const small = fill(4 * KiB, 1);
  const large = fill(8 * MiB, 2);

  // Warm-up: connections, JIT, lazy imports. Not timed.
  for (let i = 0; i < counts.warmup; i++) {
    await client.put(`${prefix}warm`, small);
    await client.get(`${prefix}warm`);
    await client.list();
  }

  const timed = async (fn) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  const result = {};
  result.putSmallMs = await timed(async () => {
    for (let i = 0; i < counts.small; i++) await client.put(`${prefix}small/${i}`, small);
  });
  result.getSmallMs = await timed(async () => {
    for (let i = 0; i < counts.small; i++) check(await client.get(`${prefix}small/${i}`), small.byteLength);
  });
  result.listMs = await timed(async () => {
    for (let i = 0; i < counts.list; i++) if ((await client.list()) !== LIST_KEYS) throw new Error('listing came back short');
  });
  result.putLargeMs = await timed(async () => {
    for (let i = 0; i < counts.large; i++) await client.put(`${prefix}large`, large);
  });
  result.getLargeMs = await timed(async () => {
    for (let i = 0; i < counts.large; i++) check(await client.get(`${prefix}large`), large.byteLength);
  });
  await client.close();
  clearInterval(sampler);
  result.maxRssKiB = Math.max(peakRss, process.memoryUsage.rss()) / 1024;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** A read that came back short would make the numbers meaningless: refuse it. */
function check(body, length) {
  if (body.byteLength !== length) throw new Error(`expected ${length} bytes, got ${body.byteLength}`);
}

function fill(size, seed) {
  const out = new Uint8Array(size);
  let x = 0x9e3779b9 ^ seed;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function runChild(config) {
  return runChildScript(fileURLToPath(import.meta.url), config);
}

function ops(count, ms) {
  return count / (ms / 1000);
}

function round(n) {
  return Math.round(n * 100) / 100;
}
