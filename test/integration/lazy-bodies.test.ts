/**
 * The Node transport builds a response's web stream only when `body` is read (Node's ReadableStream
 * costs ~10 µs to construct, a share of every small request). bytes(), text(), XML answers and the
 * CRC-64 check read the transport's source directly; reading `body` still gives a working stream.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';

let emu: Emulator;
let client: OssClient;
let constructed = 0;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: 'lazy' });
  await client.putBucket({});
  await client.putObject({ key: 'small.txt', body: 'hello lazy body' });
  // Counts the web streams the client builds from here on (the emulator in this process builds none per answer).
  const Native = globalThis.ReadableStream;
  class Counting<T> extends Native<T> {
    constructor(...args: ConstructorParameters<typeof ReadableStream<T>>) {
      super(...args);
      constructed++;
    }
  }
  vi.stubGlobal('ReadableStream', Counting);
});
afterEach(() => {
  constructed = 0;
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await client.close();
  await emu.close();
});

describe('lazy response bodies', () => {
  it('bytes(), text() and destructured readers build no stream, and the CRC-64 is still checked', async () => {
    const out = await client.getObject({ key: 'small.txt' });
    expect(out.crc64).toBeDefined();
    expect(await out.text()).toBe('hello lazy body');
    const { bytes } = await client.getObject({ key: 'small.txt' });
    expect(new TextDecoder().decode(await bytes())).toBe('hello lazy body');
    const { text } = await client.getObject({ key: 'small.txt' });
    expect(await text()).toBe('hello lazy body');
    expect(constructed).toBe(0);
  });

  it('XML answers (listings, tagging) and errors build no stream', async () => {
    expect((await client.listObjectsV2({})).contents.map((c) => c.key)).toEqual(['small.txt']);
    await client.putObjectTagging({ key: 'small.txt', tags: { a: '1' } });
    expect((await client.getObjectTagging({ key: 'small.txt' })).tags).toEqual({ a: '1' });
    const missing = await client.getObject({ key: 'nope' }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'NoSuchKey', status: 404 });
    expect(constructed).toBe(0);
  });

  it('reading body builds one stream that delivers the bytes, and then bytes() refuses', async () => {
    const out = await client.getObject({ key: 'small.txt' });
    const reader = out.body.getReader();
    expect(out.body).toBe(out.body);
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(new TextDecoder().decode(Buffer.concat(chunks))).toBe('hello lazy body');
    expect(constructed).toBe(1);
    await expect(out.bytes()).rejects.toThrow(/already used/);
  });

  it('an unread body is released: the next requests on the pool go through', async () => {
    for (let i = 0; i < 40; i++) await client.getObject({ key: 'small.txt' });
    expect(await (await client.getObject({ key: 'small.txt' })).text()).toBe('hello lazy body');
  });
});
