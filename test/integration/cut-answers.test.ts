/**
 * Answers cut mid-body (headers sent, then the connection dies): an XML answer is read inside the
 * retried attempt, so it is retried like any network failure; a CompleteMultipartUpload whose
 * answer was lost after the object was stored is confirmed with HEAD and reported as a success.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { OssClient } from '../../src/index.node.js';
import { randomBytes } from '../helpers/prng.js';
import { startHarness, type Harness } from '../upload/emulator-setup.js';
import { sameBytes } from '../upload/fake-api.js';

const PART = 100 * 1024;
let h: Harness;

beforeAll(async () => {
  h = await startHarness('cut-answers');
});

afterAll(async () => {
  await h.client.close();
  await h.emu.close();
});

beforeEach(() => {
  h.emu.faults.clear();
  h.emu.stats.reset();
});

async function stored(client: OssClient, key: string): Promise<Uint8Array> {
  return (await client.getObject({ key })).bytes();
}

describe('a CompleteMultipartUpload answer cut mid-body', () => {
  it('is retried, and the NoSuchUpload of the retry is confirmed with HEAD as a success', async () => {
    const key = 'complete-cut.bin';
    const body = randomBytes(3 * PART + 17, 21);
    h.emu.faults.dropMidBody('CompleteMultipartUpload', 1);
    const out = await h.client.upload({ key, body, partSize: PART });
    expect(h.emu.stats.count('CompleteMultipartUpload')).toBe(2);
    expect(h.emu.stats.count('HeadObject')).toBe(1);
    expect(out.crc64).toBe(crc64(body));
    expect(out.size).toBe(body.byteLength);
    expect(sameBytes(await stored(h.client, key), body)).toBe(true);
  });

  it('is retried by the uploader when the client itself does not retry', async () => {
    const client = new OssClient({
      endpoint: h.emu.endpoint,
      region: h.emu.region,
      credentials: h.emu.credentials,
      bucket: h.bucket,
      maxAttempts: 1,
    });
    try {
      const key = 'complete-cut-once.bin';
      const body = randomBytes(2 * PART + 3, 22);
      h.emu.faults.dropMidBody('CompleteMultipartUpload', 1);
      const out = await client.upload({ key, body, partSize: PART });
      expect(out.crc64).toBe(crc64(body));
      expect(sameBytes(await stored(client, key), body)).toBe(true);
    } finally {
      await client.close();
    }
  });
});

describe('XML answers cut mid-body are retried', () => {
  it('ListObjectsV2', async () => {
    for (const name of ['a', 'b', 'c']) await h.client.putObject({ key: `list/${name}`, body: name });
    h.emu.faults.dropMidBody('ListObjectsV2', 1);
    const out = await h.client.listObjectsV2({ prefix: 'list/' });
    expect(out.contents.map((c) => c.key)).toEqual(['list/a', 'list/b', 'list/c']);
    expect(h.emu.stats.count('ListObjectsV2')).toBe(2);
  });

  it('ListParts', async () => {
    const key = 'list-parts.bin';
    const { uploadId } = await h.client.initiateMultipartUpload({ key });
    await h.client.uploadPart({ key, uploadId, partNumber: 1, body: randomBytes(PART, 24) });
    h.emu.faults.dropMidBody('ListParts', 1);
    const out = await h.client.listParts({ key, uploadId });
    expect(out.parts.map((p) => p.partNumber)).toEqual([1]);
    await h.client.abortMultipartUpload({ key, uploadId });
  });
});
