// Runs every bench in sequence, each in its own child process (which starts one child per client),
// collects the JSON lines they print, shows one table with each figure's ratio to ali-oss measured
// in the same run, says which targets hold, and writes everything to bench/results.json.
// `npm run bench` builds first, then runs this (under 10 minutes on 2 cores).
//   node bench/run.mjs [--only crc64,signer,…] [--quick] [--out path.json]
// --quick (or BENCH_QUICK=1) shrinks every workload for a smoke run: numbers are noisier and some
// targets (1 GiB, ≥ 3 rounds) are not what they say.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Each bench: script and its arguments for a full and a quick run. */
const BENCHES = {
  'upload-null': { script: 'upload-null', full: [], quick: ['--sizes', '128', '--rounds', '3'] },
  'upload-rss': {
    script: 'upload-null',
    full: ['--name', 'upload-rss', '--sparse', '--sizes', '256,4096', '--libs', 'osskit,ali-oss', '--rounds', '3'],
    quick: ['--name', 'upload-rss', '--sparse', '--sizes', '64,512', '--libs', 'osskit,ali-oss', '--rounds', '3'],
  },
  download: { script: 'download', full: [], quick: ['--size-mib', '128'] },
  'upload-emulator': { script: 'upload', full: ['256'], quick: ['32'] },
  objects: { script: 'objects', full: [], quick: ['--scale', '0.1'] },
  signer: { script: 'signer', full: [], quick: ['5000'] },
  crc64: { script: 'crc64', full: [], quick: ['3'] },
  bundle: { script: 'bundle', full: [], quick: [] },
  import: { script: 'import', full: [], quick: ['3'] },
};
/** What the client rows of bench/signer.mjs compare (the other rows compare the signer functions). */
const CLIENT_SIGNER_ROWS = {
  'signer/client-presign-v4': 'client.presign vs ali-oss signatureUrlV4',
  'signer/client-presign-v1': 'client.presign (V1) vs ali-oss signatureUrl',
};

// Written by the emulator's own work (peak RSS of the emulator holding a data dir), when present.
if (existsSync(fileURLToPath(new URL('./emulator-memory.mjs', import.meta.url)))) {
  BENCHES['emulator-memory'] = { script: 'emulator-memory', full: [], quick: [] };
}

const { values } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const quick = values.quick || process.env.BENCH_QUICK === '1';
const names = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(BENCHES);
for (const name of names) if (!BENCHES[name]) throw new Error(`unknown bench '${name}' (have: ${Object.keys(BENCHES).join(', ')})`);

const began = performance.now();
const lines = [];
const failed = [];
for (const name of names) {
  const { script } = BENCHES[name];
  const args = quick ? BENCHES[name].quick : BENCHES[name].full;
  process.stderr.write(`… ${name}${args.length ? ` ${args.join(' ')}` : ''}\n`);
  const start = performance.now();
  const { code, output } = await runBench(script, args);
  const parsed = jsonLines(output);
  lines.push(...parsed);
  process.stderr.write(`  ${name}: ${parsed.length} result line(s) in ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  if (code !== 0) failed.push(`${name} (exit ${code})`);
}

const rows = lines.flatMap(toRows);
const targets = lines.flatMap((l) => l.targets ?? []).map((t) => ({ ...t, holds: t.min !== undefined ? t.value >= t.min : t.value <= t.max }));
printTable(rows);
printTargets(targets);
const seconds = (performance.now() - began) / 1000;
console.log(`\n${quick ? 'quick run (smaller workloads)' : 'full run'} in ${seconds.toFixed(0)} s on ${availableParallelism()} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
const out = values.out ?? fileURLToPath(new URL('./results.json', import.meta.url));
await writeFile(
  out,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      quick,
      seconds: Math.round(seconds),
      machine: { cores: availableParallelism(), cpu: cpus()[0]?.model, node: process.version, platform: process.platform },
      rows: rows.map((r) => ({ ...r, ratio: r.ratio === undefined ? undefined : Math.round(r.ratio * 100) / 100 })),
      targets,
      raw: lines,
    },
    null,
    2,
  )}\n`,
);
process.stderr.write(`results written to ${out}\n`);
if (failed.length > 0) {
  process.stderr.write(`failed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}

function runBench(script, args) {
  return new Promise((resolve, reject) => {
    const path = fileURLToPath(new URL(`./${script}.mjs`, import.meta.url));
    // The AWS SDK warns once per process that Node 20 is nearing its end of support: not a result.
    const env = { ...process.env, AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' };
    const proc = spawn(process.execPath, [path, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let output = '';
    proc.stdout.on('data', (chunk) => (output += chunk));
    proc.on('error', reject);
    proc.on('exit', (code) => resolve({ code, output }));
  });
}

/** The lines of a bench's stdout that are JSON objects; anything else is passed through to stderr. */
function jsonLines(output) {
  const out = [];
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line);
      if (value && typeof value === 'object' && typeof value.bench === 'string') {
        out.push(value);
        continue;
      }
    } catch {
      // not JSON: fall through
    }
    process.stderr.write(`  | ${line}\n`);
  }
  return out;
}

/**
 * One bench line → table rows of { name, unit, osskit, aliOss, ratio, note }. Benches that print
 * `rows` give them ready-made; the older shapes are mapped here; an unknown one is shown as raw JSON.
 */
function toRows(r) {
  if (Array.isArray(r.rows)) return r.rows;
  if (r.bench === 'crc64') {
    return [
      {
        name: 'crc64 stream (1 MiB updates)',
        unit: 'MB/s',
        osskit: r.mbPerSec,
        ...(r.crc64Ecma182MbPerSec ? { aliOss: r.crc64Ecma182MbPerSec, ratio: r.mbPerSec / r.crc64Ecma182MbPerSec } : {}),
        note: `ali-oss column: crc64-ecma182.js; native zlib CRC-32 ${r.nativeCrc32MbPerSec} MB/s; median of ${r.rounds}${r.note ? `; ${r.note}` : ''}`,
      },
      { name: 'crc64 combine', unit: 'ops/s', osskit: r.combineOpsPerSec, note: 'how part CRCs are folded into the object’s' },
    ];
  }
  if (r.bench.startsWith('signer/')) {
    // The target is V4's (signer functions and the client's presign); V1 rows are shown for reference.
    r.targets = r.bench.includes('v4') ? [{ name: `${r.bench} ≥ 3× ali-oss`, value: r.ratio, min: 3 }] : [];
    const compared = CLIENT_SIGNER_ROWS[r.bench] ?? 'signer functions';
    return [{ name: r.bench, unit: 'ops/s', osskit: r.osskitOpsPerSec, aliOss: r.aliOssOpsPerSec, ratio: r.ratio, note: `${compared}; median of ${r.rounds}, ${r.iterations} signatures each; one process` }];
  }
  if (r.bench === 'upload') {
    const size = `${r.sizeMiB} MiB, ${r.partSizeMiB} MiB parts × ${r.parallel}, emulator with data dir, median of ${r.rounds}`;
    return [
      { name: 'upload via emulator (end to end)', unit: 'MiB/s', osskit: r.osskit.MBps, aliOss: r.aliOss.MBps, ratio: r.speedRatio, note: `${size}; CRC off: ${r.osskitCrcOff?.MBps} MiB/s` },
      { name: 'upload via emulator: peak RSS', unit: 'MiB', osskit: r.osskit.peakRssMiB, aliOss: r.aliOss.peakRssMiB, ratio: r.rssRatio, note: 'lower is better' },
    ];
  }
  if (r.bench === 'objects/get-4KiB') r.targets = [{ name: 'getObject 4 KiB ≥ 1.1× ali-oss', value: r.ratio, min: 1.1 }];
  if (typeof r.osskit === 'number' && typeof r.aliOss === 'number') {
    const notes = ['emulator'];
    if (r.count !== undefined) notes.push(`n=${r.count}`);
    if (r.signature) notes.push(r.signature);
    if (r.osskitCrcOff !== undefined) notes.push(`CRC off: ${r.osskitCrcOff} ${r.unit}`);
    if (r.unit === 'MiB') notes.push('lower is better');
    return [{ name: r.bench, unit: r.unit, osskit: r.osskit, aliOss: r.aliOss, ratio: r.ratio, note: notes.join('; ') }];
  }
  return [{ name: r.bench, unit: '', note: JSON.stringify(r) }];
}

function printTable(rows) {
  const header = { name: 'bench', unit: 'unit', osskit: 'osskit', aliOss: 'ali-oss', ratio: 'osskit/ali-oss', note: 'notes' };
  const cells = [header, ...rows].map((row) => [
    String(row.name),
    String(row.unit ?? ''),
    fmt(row.osskit),
    fmt(row.aliOss),
    row === header ? row.ratio : row.ratio === undefined || !Number.isFinite(row.ratio) ? '' : `${row.ratio.toFixed(2)}×`,
    String(row.note ?? ''),
  ]);
  const widths = cells[0].map((_, col) => Math.max(...cells.map((c) => c[col].length)));
  const render = (c) => c.map((cell, col) => (col >= 2 && col <= 4 ? cell.padStart(widths[col]) : cell.padEnd(widths[col]))).join('  ').trimEnd();
  console.log(render(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells.slice(1)) console.log(render(c));
}

function printTargets(list) {
  if (list.length === 0) return;
  console.log('\ntargets:');
  for (const t of list) {
    const value = t.percent ? `${(t.value * 100).toFixed(1)} %` : t.unit ? `${t.value.toFixed(1)} ${t.unit}` : `${t.value.toFixed(2)}×`;
    console.log(`  ${t.holds ? 'holds ' : 'MISSED'}  ${t.name}: ${value}`);
  }
  const held = list.filter((t) => t.holds).length;
  console.log(`  ${held} of ${list.length} targets hold`);
}

function fmt(value) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'number') return String(value);
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}
