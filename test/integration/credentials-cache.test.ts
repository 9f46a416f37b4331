/** A credentials provider is asked a bounded number of times, however short the token's life. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.close();
});

describe('credentials provider caching', () => {
  it.each([
    ['4 minutes', 4 * 60_000],
    ['an hour', 3_600_000],
  ])('30 sequential PUTs with credentials that have %s left call the provider once', async (_name, lifetime) => {
    let calls = 0;
    const client = new OssClient({
      endpoint: emu.endpoint,
      region: emu.region,
      bucket: 'creds-cache',
      credentials: async () => {
        calls++;
        return { ...emu.credentials, expiration: new Date(Date.now() + lifetime) };
      },
    });
    for (let i = 0; i < 30; i++) {
      if (i === 0) await client.putBucket({}).catch(() => undefined);
      await client.putObject({ key: `k${i}`, body: 'x' });
    }
    expect(calls).toBe(1);
    await client.close();
  });
});
