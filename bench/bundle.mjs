// Browser bundle size as a web app ships it: esbuild (bundle, minify, platform browser, ES2022) of
// an entry that imports from the built package, gzipped (level 9). Sizes are deterministic, so one
// build each is the figure.
//   whole client     import * as osskit from 'osskit' (everything kept)
//   client usage     new OssClient(...) with putObject/getObject/upload (what an app keeps)
//   presign only     presign() with fixed credentials: no client, transport, XML or uploads
// ali-oss's own browser build (dist/aliyun-oss-sdk.min.js) gzipped is the comparison.
// Run after `npm run build`: node bench/bundle.mjs
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const ENTRY = './dist/index.browser.js';
const KiB = 1024;

const entries = {
  whole: `import * as osskit from '${ENTRY}'; globalThis.osskit = osskit;`,
  client: `import { OssClient } from '${ENTRY}';
    const c = new OssClient({ region: 'cn-hangzhou', bucket: 'b', credentials: { accessKeyId: 'a', accessKeySecret: 's' } });
    globalThis.run = async (file) => { await c.putObject({ key: 'k', body: 'x' }); await (await c.getObject({ key: 'k' })).text(); await c.upload({ key: 'f', body: file }); };`,
  presign: `import { presign } from '${ENTRY}';
    globalThis.sign = (key) => presign({ region: 'cn-hangzhou', bucket: 'b', credentials: { accessKeyId: 'a', accessKeySecret: 's' } }, { key });`,
};

const sizes = {};
for (const [name, contents] of Object.entries(entries)) {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: `${name}.js`, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  sizes[name] = { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}
const aliPath = join(dirname(createRequire(import.meta.url).resolve('ali-oss/package.json')), 'dist', 'aliyun-oss-sdk.min.js');
const ali = await readFile(aliPath);
const aliGzip = gzipSync(ali, { level: 9 }).byteLength;

const kib = (n) => Math.round((n / KiB) * 10) / 10;
console.log(
  JSON.stringify({
    bench: 'bundle',
    sizes,
    aliOss: { minified: ali.byteLength, gzip: aliGzip },
    rows: [
      { name: 'browser bundle: whole client', unit: 'KiB gz', osskit: kib(sizes.whole.gzip), aliOss: kib(aliGzip), ratio: sizes.whole.gzip / aliGzip, note: `lower is better; minified ${kib(sizes.whole.minified)} KiB; ali-oss = its dist/aliyun-oss-sdk.min.js` },
      { name: 'browser bundle: client put/get/upload', unit: 'KiB gz', osskit: kib(sizes.client.gzip), aliOss: kib(aliGzip), ratio: sizes.client.gzip / aliGzip, note: 'lower is better; tree-shaken app entry' },
      { name: 'browser bundle: presign only', unit: 'KiB gz', osskit: kib(sizes.presign.gzip), aliOss: kib(aliGzip), ratio: sizes.presign.gzip / aliGzip, note: 'lower is better; tree-shaken presign() entry (ali-oss cannot be tree-shaken)' },
    ],
    targets: [
      { name: 'browser whole client ≤ 40 KiB gzip', value: sizes.whole.gzip / KiB, max: 40, unit: 'KiB' },
      { name: 'browser presign-only ≤ 10 KiB gzip', value: sizes.presign.gzip / KiB, max: 10, unit: 'KiB' },
    ],
  }),
);
