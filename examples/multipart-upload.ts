/**
 * A large file upload the way production code does it: multipart with a progress bar, a
 * checkpoint so an interrupted run resumes where it stopped, and a callback to the application
 * server when the object is complete.
 *
 *   npm run example:multipart -- [file]      # builds, then runs on the embedded emulator
 *
 * Without a file argument it makes a 64 MiB file of random bytes. Press Ctrl-C during the upload and
 * run it again with the same file and `--data .tmp/emulator` to see it resume.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OssClient } from 'osskit';
import { startEmulator } from 'osskit/emulator';
import { startCallbackServer } from './callback-server.js';

const args = process.argv.slice(2);
const dataArg = args.indexOf('--data');
const dataDir = dataArg >= 0 ? args.splice(dataArg, 2)[1] : undefined;
let file = args[0];
if (!file) {
  file = join(tmpdir(), 'osskit-example-64MiB.bin');
  try {
    statSync(file);
  } catch {
    writeFileSync(file, randomBytes(64 * 1024 * 1024));
  }
}
if (dataDir) mkdirSync(dataDir, { recursive: true });

const emulator = await startEmulator({
  port: 0,
  dataDir,
  credentials: [{ accessKeyId: 'example-key', accessKeySecret: 'example-secret' }],
});
const app = await startCallbackServer({ trustedKeyUrlPrefixes: [`${emulator.endpoint}/`], log: () => {} });
const client = new OssClient({
  region: emulator.region,
  endpoint: emulator.endpoint,
  bucket: 'uploads',
  credentials: emulator.credentials,
});
await client.putBucket({}).catch(() => {}); // exists already when the data dir is reused

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());

const started = Date.now();
function bar(loaded: number, total: number | undefined): void {
  const ratio = total ? loaded / total : 0;
  const width = 30;
  const filled = Math.round(ratio * width);
  const mib = (n: number) => (n / 1048576).toFixed(1);
  const rate = loaded / 1048576 / Math.max((Date.now() - started) / 1000, 0.001);
  process.stdout.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ` +
      `${mib(loaded)}/${total === undefined ? '?' : mib(total)} MiB  ${rate.toFixed(1)} MiB/s`,
  );
}

try {
  const result = await client.uploadFile({
    key: 'big/upload.bin',
    file,
    partSize: 4 * 1024 * 1024,
    parallel: 4,
    checkpoint: true, // a file under the OS temp dir; the next run resumes from it
    signal: controller.signal,
    onProgress: ({ loadedBytes, totalBytes }) => bar(loadedBytes, totalBytes),
    callback: {
      url: `${app.url}/oss-callback`,
      body: 'object=${object}&size=${size}&etag=${etag}',
    },
  });
  process.stdout.write('\n');
  console.log(`uploaded ${file} → etag ${result.etag}, crc64 ${result.crc64}`);
  console.log('application server answered:', result.callbackResult);
} catch (error) {
  process.stdout.write('\n');
  console.error(`upload stopped: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await app.close();
  await emulator.close();
}
