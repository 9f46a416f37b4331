// Cold import time of the Node entry: a fresh `node` process per sample imports the built
// package (dist/index.node.js) or requires ali-oss, timing only the import itself (not node's own
// start-up). Alternating order, median of the rounds (default 7); the RSS the import added is shown.
// Run after `npm run build`: node bench/import.mjs [rounds]
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { alternate, med, round } from './child.mjs';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ROUNDS = Math.max(3, Number(process.argv[2] ?? 7));
const LOADERS = {
  osskit: `await import(${JSON.stringify(`${ROOT}dist/index.node.js`)})`,
  'ali-oss': `(await import('node:module')).createRequire(${JSON.stringify(`${ROOT}package.json`)})('ali-oss')`,
};

const runs = await alternate(Object.keys(LOADERS), ROUNDS, async (lib) => {
  const code = `const rss = process.memoryUsage.rss(); const t = performance.now(); ${LOADERS[lib]};
    console.log(JSON.stringify({ ms: performance.now() - t, rssMiB: (process.memoryUsage.rss() - rss) / 1048576 }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT });
  return JSON.parse(stdout.trim().split('\n').at(-1));
});
const ours = med(runs.osskit, 'ms');
const theirs = med(runs['ali-oss'], 'ms');
console.log(
  JSON.stringify({
    bench: 'import',
    rounds: ROUNDS,
    ms: { osskit: round(ours, 1), 'ali-oss': round(theirs, 1) },
    rows: [
      {
        name: 'cold import, Node entry',
        unit: 'ms',
        osskit: ours,
        aliOss: theirs,
        ratio: ours / theirs,
        note: `lower is better; fresh process each, median of ${ROUNDS}; RSS added ${round(med(runs.osskit, 'rssMiB'), 1)} vs ${round(med(runs['ali-oss'], 'rssMiB'), 1)} MiB`,
      },
    ],
  }),
);
