// A CommonJS consumer that loads the package with require (TypeScript's `import = require`).
import osskit = require('osskit');
import emulatorModule = require('osskit/emulator');

export async function start(file: string): Promise<string> {
  const emulator = await emulatorModule.startEmulator({ port: 0 });
  const client = new osskit.OssClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials });
  const result: osskit.UploadOutput = await client.uploadFile({ bucket: 'b', key: 'k', file });
  const ok: boolean = await osskit.verifyCallback({ url: '/', headers: {}, body: '' });
  osskit.createUndiciTransport();
  await emulator.close();
  return `${result.etag} ${ok}`;
}
