// Multipart upload of a file to the null OSS endpoint (bench/null-oss.mjs): the client's own cost,
// with no server work behind it. osskit uploadFile (CRC-64 on, its default, and off), ali-oss
// multipartUpload, @aws-sdk/lib-storage Upload (S3 protocol, same endpoint) and `curl -T` (one
// plain PUT: what loopback carries), each run in its own child process; same part size and
// parallelism for the three SDKs. MiB/s and the child's peak RSS, medians of the rounds.
// `--sizes 256,4096 --sparse` runs the flat-memory check instead: the same upload at two sizes from
// sparse files (no disk), peak RSS must not grow with the size.
// Run after `npm run build`:
//   node bench/upload-null.mjs [--sizes 1024] [--libs osskit,osskit-nocrc,ali-oss,lib-storage,curl]
//                              [--part-mib 8] [--parallel 4] [--rounds 3] [--sparse] [--name upload-null] [--server-crc]
import { spawnSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, truncate } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alternate, med, round, rssSampler, runChild } from './child.mjs';
import { NULL_BUCKET, NULL_CREDENTIALS, startNullOss } from './null-oss.mjs';

const MiB = 1024 * 1024;
const BUCKET = NULL_BUCKET;
const CREDENTIALS = NULL_CREDENTIALS;

if (process.argv[2] === 'child') await child(JSON.parse(process.argv[3]));
else await parent();

async function parent() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1024' },
      libs: { type: 'string', default: 'osskit,osskit-nocrc,ali-oss,lib-storage,curl' },
      'part-mib': { type: 'string', default: '8' },
      parallel: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '3' },
      sparse: { type: 'boolean', default: false },
      name: { type: 'string', default: 'upload-null' },
      // The endpoint answers each part with its CRC-64, as OSS does (costs this process CPU).
      'server-crc': { type: 'boolean', default: false },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  let libs = values.libs.split(',');
  const notes = [];
  if (libs.includes('curl') && spawnSync('curl', ['--version']).status !== 0) {
    libs = libs.filter((l) => l !== 'curl');
    notes.push('curl not found: its row is skipped');
  }
  const rounds = Math.max(1, Number(values.rounds));
  const base = { partSize: Number(values['part-mib']) * MiB, parallel: Number(values.parallel) };
  const server = await startNullOss({ crc: values['server-crc'] });
  const dir = await mkdtemp(join(tmpdir(), 'osskit-bench-null-'));
  const bySize = {};
  try {
    for (const sizeMiB of sizes) {
      const file = join(dir, `source-${sizeMiB}.bin`);
      if (values.sparse) await makeSparse(file, sizeMiB * MiB);
      else await writeRandomFile(file, sizeMiB * MiB);
      bySize[sizeMiB] = await alternate(libs, rounds, (lib) =>
        lib === 'curl'
          ? curl(server.endpoint, file, sizeMiB)
          : runChild(fileURLToPath(import.meta.url), { ...base, lib, file, endpoint: server.endpoint, key: `bench/${lib}.bin` }),
      );
      await rm(file, { force: true });
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }

  const label = (lib) => ({ osskit: 'osskit (CRC-64 on)', 'osskit-nocrc': 'osskit (CRC-64 off)', 'ali-oss': 'ali-oss', 'lib-storage': 'lib-storage', curl: 'curl -T' })[lib];
  const endpoint = values['server-crc'] ? 'null endpoint answering CRC-64s' : 'null endpoint';
  const where = `${values.sparse ? 'sparse file' : 'file'}, ${values['part-mib']} MiB parts × ${values.parallel}, ${endpoint}, median of ${rounds}`;
  if (!values.sparse) {
    const size = sizes[0];
    const runs = bySize[size];
    const speed = (lib) => (runs[lib] ? size / (med(runs[lib], 'ms') / 1000) : undefined);
    const rss = (lib) => (runs[lib] ? med(runs[lib], 'rssMiB') : undefined);
    const ali = speed('ali-oss');
    const out = {
      bench: values.name,
      sizeMiB: size,
      rounds,
      mibPerSec: Object.fromEntries(libs.map((l) => [l, round(speed(l))])),
      peakRssMiB: Object.fromEntries(libs.filter((l) => l !== 'curl').map((l) => [l, round(rss(l), 1)])),
      rows: [],
      targets: [],
      notes,
    };
    for (const lib of libs) {
      if (lib === 'ali-oss') continue;
      const note = [where];
      if (lib === 'osskit' && speed('lib-storage')) note.push(`${round(speed('osskit') / speed('lib-storage'))}× lib-storage`);
      if (lib === 'osskit' && speed('osskit-nocrc')) note.push(`integrity cost ${round((1 - speed('osskit') / speed('osskit-nocrc')) * 100, 1)} %`);
      out.rows.push({ name: `upload ${size} MiB: ${label(lib)}`, unit: 'MiB/s', osskit: speed(lib), aliOss: ali, ratio: ali && speed(lib) / ali, note: note.join('; ') });
    }
    out.rows.push({
      name: `upload ${size} MiB: peak RSS`,
      unit: 'MiB',
      osskit: rss('osskit'),
      aliOss: rss('ali-oss'),
      ratio: rss('osskit') / rss('ali-oss'),
      note: `lower is better; lib-storage ${round(rss('lib-storage'), 1) ?? '–'} MiB, osskit CRC off ${round(rss('osskit-nocrc'), 1) ?? '–'} MiB`,
    });
    if (ali) out.targets.push({ name: 'multipart upload, CRC on ≥ 1.15× ali-oss', value: speed('osskit') / ali, min: 1.15 });
    if (speed('lib-storage')) out.targets.push({ name: 'multipart upload, CRC on ≥ 1.0× lib-storage', value: speed('osskit') / speed('lib-storage'), min: 1.0 });
    if (rss('ali-oss')) out.targets.push({ name: 'upload peak RSS ≤ ali-oss', value: rss('osskit') / rss('ali-oss'), max: 1.0 });
    if (speed('osskit-nocrc')) out.targets.push({ name: 'integrity (CRC on vs off) costs < 10 %', value: 1 - speed('osskit') / speed('osskit-nocrc'), max: 0.1, percent: true });
    console.log(JSON.stringify(out));
  } else {
    const [small, large] = sizes;
    const out = { bench: values.name, sizes, rounds, peakRssMiB: {}, rows: [], targets: [], notes };
    for (const lib of libs) {
      const a = med(bySize[small][lib], 'rssMiB');
      const b = med(bySize[large][lib], 'rssMiB');
      out.peakRssMiB[lib] = { [small]: round(a, 1), [large]: round(b, 1) };
    }
    const growth = (lib) => out.peakRssMiB[lib][large] / out.peakRssMiB[lib][small];
    out.rows.push({
      name: `upload peak RSS ${large} MiB ÷ ${small} MiB`,
      unit: '×',
      osskit: growth('osskit'),
      aliOss: growth('ali-oss'),
      note: `osskit ${out.peakRssMiB.osskit[small]} → ${out.peakRssMiB.osskit[large]} MiB, ali-oss ${out.peakRssMiB['ali-oss'][small]} → ${out.peakRssMiB['ali-oss'][large]} MiB; ${where}`,
    });
    out.targets.push({ name: `upload peak RSS flat (${large} MiB within 10 % of ${small} MiB)`, value: growth('osskit'), max: 1.1 });
    console.log(JSON.stringify(out));
  }
}

async function child(config) {
  const rss = rssSampler();
  const { lib, endpoint, file, key, partSize, parallel } = config;
  // Timed from the upload call: imports and client set-up are the cold-import bench's business.
  let start;
  if (lib.startsWith('osskit')) {
    const { OssClient } = await import('../dist/index.node.js');
    const client = new OssClient({ endpoint, region: 'cn-hangzhou', credentials: CREDENTIALS, bucket: BUCKET, crc64Check: lib === 'osskit' });
    start = performance.now();
    await client.uploadFile({ key, file, partSize, parallel });
    await client.close();
  } else if (lib === 'ali-oss') {
    const OSS = createRequire(import.meta.url)('ali-oss');
    const client = new OSS({ region: 'oss-cn-hangzhou', endpoint, ...CREDENTIALS, bucket: BUCKET, timeout: 600_000 });
    start = performance.now();
    await client.multipartUpload(key, file, { partSize, parallel });
  } else if (lib === 'lib-storage') {
    const { S3Client } = await import('@aws-sdk/client-s3');
    const { Upload } = await import('@aws-sdk/lib-storage');
    const s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: CREDENTIALS.accessKeyId, secretAccessKey: CREDENTIALS.accessKeySecret },
    });
    start = performance.now();
    await new Upload({ client: s3, params: { Bucket: BUCKET, Key: key, Body: createReadStream(file) }, partSize, queueSize: parallel }).done();
    s3.destroy();
  } else {
    throw new Error(`unknown lib ${lib}`);
  }
  const ms = performance.now() - start;
  process.stdout.write(`${JSON.stringify({ ms, rssMiB: rss.stop() })}\n`);
}

/** One `curl -T` PUT of the whole file: the loopback's limit for a single stream. */
function curl(endpoint, file, sizeMiB) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const proc = spawn('curl', ['-sS', '-o', '/dev/null', '-T', file, `${endpoint}/${BUCKET}/bench/curl.bin`], { stdio: 'inherit' });
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve({ ms: performance.now() - start, sizeMiB }) : reject(new Error(`curl exited ${code}`))));
  });
}

/** `size` bytes of one random 8 MiB block repeated (fast to write, never whole in memory). */
async function writeRandomFile(path, size) {
  const handle = await open(path, 'w');
  const chunk = randomFillSync(new Uint8Array(8 * MiB));
  try {
    for (let written = 0; written < size; written += chunk.byteLength) await handle.write(chunk, 0, Math.min(chunk.byteLength, size - written));
  } finally {
    await handle.close();
  }
}

/** A file of `size` zero bytes that takes no disk: reads come from the kernel's zero page. */
async function makeSparse(path, size) {
  await (await open(path, 'w')).close();
  await truncate(path, size);
}
