/**
 * Presigned POST (issue 4 lists GET, PUT, HEAD, DELETE and POST): a multipart upload driven only by
 * presigned URLs — POST ?uploads, PUT ?partNumber&uploadId, POST ?uploadId — used with plain fetch,
 * for V4 and V1. A POST URL used for another sub-resource is refused.
 */
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

const between = (xml: string, tag: string): string | undefined => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];

describe.each(['v4', 'v1'] as const)('presigned POST (%s)', (signatureVersion) => {
  let client: OssClient;
  beforeAll(async () => {
    const bucket = `presign-post-${signatureVersion}`;
    client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket, signatureVersion });
    await client.putBucket({});
  });
  afterAll(async () => {
    await client.close();
  });

  it('initiates, uploads and completes a multipart upload with URLs only', async () => {
    const key = 'dir/posted file+1.bin';
    const initiate = await client.presign({ key, method: 'POST', query: { uploads: '' } });
    expect(initiate.method).toBe('POST');
    const initiated = await fetch(initiate.url, { method: 'POST', headers: initiate.headers });
    expect(initiated.status).toBe(200);
    const uploadId = between(await initiated.text(), 'UploadId')!;
    expect(uploadId).toBeTruthy();

    const bytes = new TextEncoder().encode('presigned parts');
    const part = await client.presign({ key, method: 'PUT', query: { partNumber: '1', uploadId } });
    const uploaded = await fetch(part.url, { method: 'PUT', headers: part.headers, body: bytes });
    expect(uploaded.status).toBe(200);
    const etag = uploaded.headers.get('etag')!;

    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    const complete = await client.presign({ key, method: 'POST', query: { uploadId } });
    const completed = await fetch(complete.url, { method: 'POST', headers: complete.headers, body: new TextEncoder().encode(xml) });
    expect(completed.status).toBe(200);
    expect(await (await client.getObject({ key })).text()).toBe('presigned parts');
  });

  it('a POST URL signed for ?uploads does not work for another sub-resource', async () => {
    const signed = await client.presign({ key: 'other.bin', method: 'POST', query: { uploads: '' } });
    const tampered = signed.url.replace('?uploads', '?uploadId=abc');
    const answer = await fetch(tampered, { method: 'POST', headers: signed.headers });
    expect(answer.status).toBe(403);
    expect(between(await answer.text(), 'Code')).toBe('SignatureDoesNotMatch');
  });
});
