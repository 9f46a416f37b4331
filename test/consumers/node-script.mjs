// A Node script bundled by esbuild as one ESM file (test/package/bundlers.test.ts) and run where no
// node_modules can be found: uploads, presigns and downloads through the emulator named by the env.
import { OssClient } from 'osskit';

const client = new OssClient({
  region: process.env.OSS_REGION,
  endpoint: process.env.OSS_ENDPOINT,
  bucket: process.env.OSS_BUCKET,
  credentials: { accessKeyId: process.env.OSS_ACCESS_KEY_ID, accessKeySecret: process.env.OSS_ACCESS_KEY_SECRET },
});

await client.putObject({ key: 'book.epub', body: 'bundled' });
const head = await client.headObject({ key: 'book.epub' });
const signed = await client.presign({ key: 'book.epub', expires: 60 });
const viaUrl = await (await fetch(signed.url)).text();
const object = await client.getObject({ key: 'book.epub' });
console.log(JSON.stringify({ contentType: head.contentType, viaUrl, text: await object.text() }));
