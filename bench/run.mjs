// Runs every bench in sequence, each in its own child process, collects the JSON lines they print
// and shows them as one table. `npm run bench` builds first, then runs this.
//   node bench/run.mjs [--only crc64,signer,objects,upload] [--quick] [--out results.json]
// --quick shrinks every workload (a smoke run: the numbers are noisier). --out writes the raw JSON
// lines to a file; by default nothing is written, results are printed only.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BENCHES = {
  crc64: { full: [], quick: [] },
  signer: { full: [], quick: ['5000'] },
  objects: { full: [], quick: ['--scale', '0.1', '--rounds', '1'] },
  upload: { full: [], quick: ['32'] },
};

const { values } = parseArgs({
  options: { only: { type: 'string' }, quick: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const names = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(BENCHES);
for (const name of names) if (!BENCHES[name]) throw new Error(`unknown bench '${name}' (have: ${Object.keys(BENCHES).join(', ')})`);

const lines = [];
const failed = [];
for (const name of names) {
  const args = values.quick ? BENCHES[name].quick : BENCHES[name].full;
  process.stderr.write(`… ${name}${args.length ? ` ${args.join(' ')}` : ''}\n`);
  const start = performance.now();
  const { code, output } = await runBench(name, args);
  const parsed = jsonLines(output);
  lines.push(...parsed);
  process.stderr.write(`  ${name}: ${parsed.length} result line(s) in ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  if (code !== 0) failed.push(`${name} (exit ${code})`);
}

printTable(lines.flatMap(toRows));
if (values.out) await writeFile(values.out, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
if (failed.length > 0) {
  process.stderr.write(`failed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}

function runBench(name, args) {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(new URL(`./${name}.mjs`, import.meta.url));
    const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
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
 * One bench line → table rows of { name, unit, osskit, aliOss, ratio, note }. Each bench prints its
 * own shape; an unknown one is shown as raw JSON rather than dropped.
 */
function toRows(r) {
  const rss = r.peakRssMiB === undefined ? '' : `process peak RSS ${r.peakRssMiB} MiB`;
  if (r.bench === 'crc64') {
    return [
      { name: 'crc64 stream', unit: 'MB/s', osskit: r.mbPerSec, note: `native zlib CRC-32 ${r.nativeCrc32MbPerSec ?? '?'} MB/s; ${rss}` },
      { name: 'crc64 combine', unit: 'ops/s', osskit: r.combineOpsPerSec, note: 'ali-oss has no CRC-64' },
    ];
  }
  if (r.bench.startsWith('signer/')) {
    return [{ name: r.bench, unit: 'ops/s', osskit: r.osskitOpsPerSec, aliOss: r.aliOssOpsPerSec, ratio: r.ratio, note: rss }];
  }
  if (r.bench === 'upload') {
    const size = `${r.sizeMiB} MiB, ${r.partSizeMiB} MiB parts × ${r.parallel}`;
    return [
      { name: 'upload file', unit: 'MB/s', osskit: r.osskit.MBps, aliOss: r.aliOss.MBps, ratio: r.speedRatio, note: `${size}; CRC off: ${r.osskitCrcOff?.MBps} MB/s` },
      { name: 'upload peak RSS', unit: 'MiB', osskit: r.osskit.peakRssMiB, aliOss: r.aliOss.peakRssMiB, ratio: r.rssRatio, note: 'lower is better' },
    ];
  }
  if (typeof r.osskit === 'number' && typeof r.aliOss === 'number') {
    const notes = [];
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
    row.ratio === undefined ? '' : typeof row.ratio === 'number' ? `${row.ratio.toFixed(2)}×` : String(row.ratio),
    String(row.note ?? ''),
  ]);
  const widths = cells[0].map((_, col) => Math.max(...cells.map((c) => c[col].length)));
  const render = (c) => c.map((cell, col) => (col >= 2 && col <= 4 ? cell.padStart(widths[col]) : cell.padEnd(widths[col]))).join('  ').trimEnd();
  console.log(render(cells[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells.slice(1)) console.log(render(c));
}

function fmt(value) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'number') return String(value);
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}
