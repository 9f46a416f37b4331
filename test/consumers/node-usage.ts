// A Node consumer of the packed package: Node-only APIs, strict types, no DOM library.
// test/package/types.test.ts copies it as .ts, .mts or .cts into each module-resolution setup.
import { createUndiciTransport, OssClient, OssClientError, OssError, verifyCallback, type UploadOutput } from 'osskit';
import { startEmulator, type Emulator } from 'osskit/emulator';

export async function roundTrip(file: string): Promise<{ upload: UploadOutput; text: string; verified: boolean }> {
  const emulator: Emulator = await startEmulator({ port: 0 });
  try {
    const client = new OssClient({
      region: emulator.region,
      endpoint: emulator.endpoint,
      bucket: 'consumer',
      credentials: emulator.credentials,
      transport: createUndiciTransport(),
    });
    const upload = await client.uploadFile({ key: 'file.txt', file, partSize: 100 * 1024, checkpoint: true });
    const object = await client.getObject({ key: 'file.txt' });
    const text: string = await object.text();
    const signed = await client.presign({ key: 'file.txt', expires: 60 });
    const url: string = signed.url;
    const verified: boolean = await verifyCallback({ url, headers: {}, body: '' }, { publicKey: 'PEM' });
    return { upload, text, verified };
  } catch (error) {
    if (error instanceof OssError) throw new Error(`${error.code} ${error.status}`);
    if (error instanceof OssClientError) throw new Error(error.code);
    throw error;
  } finally {
    await emulator.close();
  }
}
