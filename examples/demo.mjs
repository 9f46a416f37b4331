// The main job, end to end: start the embedded emulator (or use real OSS when OSS_REGION,
// OSS_BUCKET and credentials are in the environment), create a bucket, upload, list, download
// and verify. Run with `npm run demo`.
import { randomBytes, createHash } from 'node:crypto';
import { OssClient } from '../dist/index.node.js';
import { startEmulator } from '../dist/emulator/index.js';

const real = Boolean(process.env.OSS_REGION && process.env.OSS_BUCKET && process.env.OSS_ACCESS_KEY_ID);
const step = (what) => console.log(`• ${what}`);
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

let emulator;
let client;
let bucket;
if (real) {
  bucket = process.env.OSS_BUCKET;
  client = new OssClient({ region: process.env.OSS_REGION, bucket });
  step(`using real OSS: region ${process.env.OSS_REGION}, bucket ${bucket}`);
} else {
  emulator = await startEmulator({ port: 0 });
  bucket = `osskit-demo-${Date.now().toString(36)}`;
  client = new OssClient({
    region: emulator.region,
    endpoint: emulator.endpoint,
    bucket,
    credentials: emulator.credentials,
  });
  step(`emulator listening on ${emulator.endpoint} (region ${emulator.region})`);
  await client.putBucket({ bucket });
  step(`created bucket ${bucket}`);
}

const prefix = `demo/${Date.now().toString(36)}/`;
try {
  const small = `hello from osskit at ${new Date().toISOString()}\n`;
  const put = await client.putObject({ key: `${prefix}hello world.txt`, body: small, metadata: { origin: 'demo' } });
  step(`putObject ${prefix}hello world.txt → etag ${put.etag}, crc64 ${put.crc64}`);

  const big = randomBytes(20 * 1024 * 1024 + 12345);
  let lastPct = -1;
  const up = await client.upload({
    key: `${prefix}big.bin`,
    body: big,
    partSize: 5 * 1024 * 1024,
    parallel: 4,
    onProgress: ({ loadedBytes, totalBytes }) => {
      const pct = Math.floor((loadedBytes / totalBytes) * 100);
      if (pct >= lastPct + 25 || pct === 100) {
        lastPct = pct;
        step(`  upload progress ${pct}% (${loadedBytes}/${totalBytes} bytes)`);
      }
    },
  });
  step(`multipart upload ${prefix}big.bin (${big.length} bytes) → etag ${up.etag}, crc64 ${up.crc64}`);

  const listed = await client.listObjectsV2({ prefix });
  step(`listObjectsV2 ${prefix} → ${listed.contents.map((o) => `${o.key} (${o.size} B)`).join(', ')}`);

  const got = await client.getObject({ key: `${prefix}hello world.txt` });
  const text = await got.text();
  if (text !== small) throw new Error('downloaded text differs from what was uploaded');
  step(`getObject ${prefix}hello world.txt → ${JSON.stringify(text.trim())}, metadata ${JSON.stringify(got.metadata)}`);

  const gotBig = await client.getObject({ key: `${prefix}big.bin` });
  const bytes = await gotBig.bytes();
  if (Buffer.compare(Buffer.from(bytes), big) !== 0) throw new Error('downloaded object differs from the source');
  step(`getObject ${prefix}big.bin → ${bytes.length} bytes, sha256 ${sha(bytes)} = source ${sha(big)} ✓`);

  const head = await client.headObject({ key: `${prefix}big.bin` });
  step(`headObject → ${head.contentLength} bytes, ${head.contentType}, crc64 ${head.crc64}`);
} finally {
  for (const key of [`${prefix}hello world.txt`, `${prefix}big.bin`]) {
    await client.deleteObject({ key }).catch(() => {});
  }
  step('deleted the demo objects');
  if (emulator) {
    await client.deleteBucket({ bucket }).catch(() => {});
    await emulator.close();
    step('emulator stopped');
  }
}
console.log('demo finished: every byte verified');
