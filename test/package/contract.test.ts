/**
 * The built package as outside users (and the acceptance checks) load it: by its name, through
 * package.json `exports`, in ESM and CJS, from plain Node — not through vitest's resolver.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

async function node(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: root, timeout: 60_000 });
  return stdout.trim();
}

const esmScript = `
import { OssClient, OssError, OssClientError, verifyCallback } from 'osskit';
import { startEmulator } from 'osskit/emulator';
const emu = await startEmulator({ port: 0 });
const client = new OssClient({ region: 'oss-' + emu.region, endpoint: emu.endpoint, bucket: 'contract-check', credentials: emu.credentials });
await client.putBucket({});
const put = await client.putObject({ key: 'dir/a b+c.txt', body: 'hello', metadata: { k: 'v' } });
const got = await client.getObject({ key: 'dir/a b+c.txt' });
const text = await got.text();
const listed = await client.listObjectsV2({ prefix: 'dir/' });
let missing;
try { await client.headObject({ key: 'nope' }); } catch (e) { missing = e instanceof OssError ? e.code : String(e); }
let refused;
try { await client.putObject({ key: '', body: 'x' }); } catch (e) { refused = e instanceof OssClientError ? e.code : String(e); }
const signed = await client.presign({ key: 'dir/a b+c.txt', expires: 60 });
const viaUrl = await (await fetch(signed.url)).text();
const policy = await client.createPostPolicy({ keyPrefix: 'forms/', contentLengthRange: [0, 1024] });
await emu.close();
console.log(JSON.stringify({
  etag: put.etag, requestId: typeof put.requestId, text, metadata: got.metadata, keys: listed.contents.map((o) => o.key),
  missing, refused, viaUrl, method: signed.method, expiration: signed.expiration instanceof Date,
  policyFields: Object.keys(policy.fields).sort(), verifyCallback: typeof verifyCallback,
}));
`;

const cjsScript = `
const osskit = require('osskit');
const emulator = require('osskit/emulator');
console.log(JSON.stringify({
  client: typeof osskit.OssClient, error: typeof osskit.OssError, clientError: typeof osskit.OssClientError,
  verify: typeof osskit.verifyCallback, start: typeof emulator.startEmulator,
}));
`;

describe('the built package, loaded by name', () => {
  it('ESM: the public names work end to end against the emulator', async () => {
    const out = JSON.parse(await node(['--input-type=module', '-e', esmScript]));
    expect(out).toMatchObject({
      requestId: 'string',
      text: 'hello',
      metadata: { k: 'v' },
      keys: ['dir/a b+c.txt'],
      missing: 'NoSuchKey',
      refused: 'InvalidArgument',
      viaUrl: 'hello',
      method: 'GET',
      expiration: true,
      verifyCallback: 'function',
    });
    expect(out.etag).toMatch(/^"[0-9A-F]{32}"$/);
    expect(out.policyFields).toEqual(
      ['policy', 'x-oss-credential', 'x-oss-date', 'x-oss-signature', 'x-oss-signature-version'].sort(),
    );
  });

  it('CJS: require() resolves the client and the emulator', async () => {
    expect(JSON.parse(await node(['-e', cjsScript]))).toEqual({
      client: 'function',
      error: 'function',
      clientError: 'function',
      verify: 'function',
      start: 'function',
    });
  });

  it('the browser condition names a build without Node-only exports', async () => {
    // Node always matches its own `node` condition first, so read the map as a bundler would.
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    const target = pkg.exports['.'].browser.import.default as string;
    expect(pkg.exports['.'].default.import.default).toBe(target);
    expect(pkg.exports['./browser'].import.default).toBe(target);
    const out = await node([
      '--input-type=module',
      '-e',
      `import * as m from '${root}/${target}'; console.log(JSON.stringify({ client: typeof m.OssClient, verify: typeof m.verifyCallback, file: typeof m.uploadFile }));`,
    ]);
    expect(JSON.parse(out)).toEqual({ client: 'function', verify: 'undefined', file: 'undefined' });
  });

  it('ships the osskit-emulator bin as an executable script', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
    const bin = readFileSync(`${root}/${pkg.bin['osskit-emulator']}`, 'utf8');
    expect(bin.startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
