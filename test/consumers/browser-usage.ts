// A browser consumer (lib DOM, no @types/node): the client with browser-only helpers.
import { createIndexedDbCheckpointStore, createXhrTransport, OssClient, type Credentials } from 'osskit';

async function sts(): Promise<Credentials> {
  const response = await fetch('/sts');
  return (await response.json()) as Credentials;
}

export async function uploadPicked(input: HTMLInputElement): Promise<string> {
  const file: File = input.files![0]!;
  const client = new OssClient({ region: 'cn-hangzhou', bucket: 'my-bucket', credentials: sts, transport: createXhrTransport({ XMLHttpRequest }) });
  const checkpoint = createIndexedDbCheckpointStore({ indexedDB, locks: navigator.locks });
  const result = await client.upload({ key: file.name, body: file, checkpoint, onProgress: (p) => console.log(p.loadedBytes) });
  // The browser declarations have no Node-only method.
  // @ts-expect-error uploadFile is Node only
  client.uploadFile;
  return result.etag;
}
