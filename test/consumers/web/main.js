// A small page that uploads the picked file with osskit (bundled by Vite and webpack in test/package/bundlers.test.ts).
import { OssClient, OssError } from 'osskit';

const client = new OssClient({
  region: 'cn-hangzhou',
  bucket: 'my-bucket',
  credentials: async () => (await fetch('/sts')).json(),
});

document.querySelector('#file').addEventListener('change', async (event) => {
  const file = event.target.files[0];
  const out = document.querySelector('#out');
  try {
    const result = await client.upload({ key: file.name, body: file, onProgress: (p) => (out.textContent = `${p.loadedBytes}`) });
    const link = await client.presign({ key: file.name, expires: 600 });
    out.textContent = `${result.etag} ${link.url}`;
  } catch (error) {
    out.textContent = error instanceof OssError ? error.code : String(error);
  }
});
