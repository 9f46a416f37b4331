/** Shared setup for the uploader's integration tests: an emulator on port 0, a bucket and a client. */
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';

export interface Harness {
  emu: Emulator;
  client: OssClient;
  bucket: string;
}

export async function startHarness(bucket = 'upload-test'): Promise<Harness> {
  const emu = await startEmulator({ port: 0 });
  const client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket });
  await client.putBucket({});
  return { emu, client, bucket };
}
