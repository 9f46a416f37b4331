// Downloads from the null OSS endpoint (bench/null-oss.mjs serves a generated object with its real
// CRC-64): the client's own cost of receiving bytes. Each run in its own child process:
//   osskit          getObject, body read to the end and dropped (CRC-64 checked, the default)
//   osskit-nocrc    the same with crc64Check: false
//   ali-oss         getStream, stream read to the end and dropped (ali-oss checks no CRC)
//   osskit-file     downloadFile into a file (parallel ranged GETs, CRC-64 checked before rename)
//   osskit-stream-file  getObject's one stream written to a file (CRC-64 checked): downloadFile's baseline
// MiB/s and peak RSS, medians of the rounds. Run after `npm run build`:
//   node bench/download.mjs [--size-mib 1024] [--rounds 3] [--libs …] [--part-mib 8] [--parallel 4]
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alternate, med, round, rssSampler, runChild } from './child.mjs';
import { NULL_BUCKET, NULL_CREDENTIALS, startNullOss } from './null-oss.mjs';

const MiB = 1024 * 1024;
const BUCKET = NULL_BUCKET;
const KEY = 'bench/object.bin';
const CREDENTIALS = NULL_CREDENTIALS;

if (process.argv[2] === 'child') await child(JSON.parse(process.argv[3]));
else await parent();

async function parent() {
  const { values } = parseArgs({
    options: {
      'size-mib': { type: 'string', default: '1024' },
      rounds: { type: 'string', default: '3' },
      libs: { type: 'string', default: 'osskit,osskit-nocrc,ali-oss,osskit-file,osskit-stream-file' },
      'part-mib': { type: 'string', default: '8' },
      parallel: { type: 'string', default: '4' },
    },
  });
  const sizeMiB = Number(values['size-mib']);
  const libs = values.libs.split(',');
  const rounds = Math.max(1, Number(values.rounds));
  const server = await startNullOss({ objectSize: sizeMiB * MiB });
  const dir = await mkdtemp(join(tmpdir(), 'osskit-bench-download-'));
  let runs;
  try {
    runs = await alternate(libs, rounds, (lib) =>
      runChild(fileURLToPath(import.meta.url), {
        lib,
        endpoint: server.endpoint,
        size: sizeMiB * MiB,
        crc64: server.object.crc64,
        file: join(dir, `${lib}.bin`),
        partSize: Number(values['part-mib']) * MiB,
        parallel: Number(values.parallel),
      }),
    );
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  const speed = (lib) => (runs[lib] ? sizeMiB / (med(runs[lib], 'ms') / 1000) : undefined);
  const rss = (lib) => (runs[lib] ? med(runs[lib], 'rssMiB') : undefined);
  const where = `${sizeMiB} MiB, null endpoint, median of ${rounds}`;
  const ali = speed('ali-oss');
  const out = {
    bench: 'download',
    sizeMiB,
    rounds,
    mibPerSec: Object.fromEntries(libs.map((l) => [l, round(speed(l))])),
    peakRssMiB: Object.fromEntries(libs.map((l) => [l, round(rss(l), 1)])),
    rows: [],
    targets: [],
  };
  if (speed('osskit')) {
    out.rows.push({
      name: 'download stream: osskit (CRC-64 on)',
      unit: 'MiB/s',
      osskit: speed('osskit'),
      aliOss: ali,
      ratio: ali && speed('osskit') / ali,
      note: `${where}; CRC off ${round(speed('osskit-nocrc')) ?? '–'} MiB/s; peak RSS ${round(rss('osskit'), 1)} vs ${round(rss('ali-oss'), 1)} MiB`,
    });
    if (ali) out.targets.push({ name: '1 GiB download, CRC on ≥ 1.1× ali-oss', value: speed('osskit') / ali, min: 1.1 });
  }
  if (speed('osskit-file') && speed('osskit-stream-file')) {
    out.rows.push({
      name: 'downloadFile vs one stream to a file',
      unit: 'MiB/s',
      osskit: speed('osskit-file'),
      aliOss: ali,
      ratio: ali && speed('osskit-file') / ali,
      note: `one osskit stream to a file ${round(speed('osskit-stream-file'))} MiB/s (${round(speed('osskit-file') / speed('osskit-stream-file'))}×); ${values['part-mib']} MiB parts × ${values.parallel}; ${where}`,
    });
    out.targets.push({ name: 'downloadFile ≥ 1.5× one stream', value: speed('osskit-file') / speed('osskit-stream-file'), min: 1.5 });
  }
  console.log(JSON.stringify(out));
}

async function child(config) {
  const rss = rssSampler();
  const { lib, endpoint, size, file } = config;
  let start;
  let received = 0;
  if (lib.startsWith('osskit')) {
    const { OssClient } = await import('../dist/index.node.js');
    const client = new OssClient({ endpoint, region: 'cn-hangzhou', credentials: CREDENTIALS, bucket: BUCKET, crc64Check: lib !== 'osskit-nocrc' });
    start = performance.now();
    if (lib === 'osskit-file') {
      const out = await client.downloadFile({ key: KEY, file, partSize: config.partSize, parallel: config.parallel });
      if (out.crc64 !== config.crc64) throw new Error('downloadFile: wrong CRC-64');
      received = out.size;
    } else if (lib === 'osskit-stream-file') {
      const { body } = await client.getObject({ key: KEY });
      const sink = createWriteStream(file);
      await pipeline(Readable.fromWeb(body), sink);
      received = sink.bytesWritten;
    } else {
      const { body } = await client.getObject({ key: KEY });
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
      }
    }
    await client.close();
  } else {
    const OSS = createRequire(import.meta.url)('ali-oss');
    const client = new OSS({ region: 'oss-cn-hangzhou', endpoint, ...CREDENTIALS, bucket: BUCKET, timeout: 600_000 });
    start = performance.now();
    const { stream } = await client.getStream(KEY);
    await pipeline(
      stream,
      new Writable({
        write(chunk, _encoding, callback) {
          received += chunk.length;
          callback();
        },
      }),
    );
  }
  const ms = performance.now() - start;
  if (received !== size) throw new Error(`${lib}: received ${received} of ${size} bytes`);
  await rm(file, { force: true });
  process.stdout.write(`${JSON.stringify({ ms, rssMiB: rss.stop() })}\n`);
}
