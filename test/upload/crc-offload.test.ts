/**
 * uploadFile's CRC-64 in worker threads: the worker's CRC of each file range is what the part's
 * answer is checked against (a wrong range is caught), and a whole upload through it stores the
 * file with the right CRC. Also the pool itself against the in-thread CRC.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineCrc64, crc64 } from '../../src/integrity/crc64.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';
import { offloadPartCrc } from '../../src/upload/crc-offload.node.js';
import { CrcPool } from '../../src/upload/crc-pool.node.js';

const BUCKET = 'offload';
const PART = 100 * 1024;
let emu: Emulator;
let client: OssClient;
let dir: string;
let file: string;
const data = new Uint8Array(5 * PART + 77).map((_, i) => (i * 31 + (i >>> 9)) & 0xff);

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET });
  await client.putBucket({});
  dir = await mkdtemp(join(tmpdir(), 'osskit-offload-'));
  file = join(dir, 'source.bin');
  await writeFile(file, data);
});

afterAll(async () => {
  await client.close();
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CrcPool', () => {
  it('hashes file ranges as the in-thread CRC does, and combines to the whole', async () => {
    const pool = new CrcPool(2);
    try {
      const cut = 123_457;
      const [a, b, empty] = await Promise.all([
        pool.hashRange(file, 0, cut),
        pool.hashRange(file, cut, data.byteLength - cut),
        pool.hashRange(file, 10, 0),
      ]);
      expect(a).toBe(crc64(data.subarray(0, cut)));
      expect(combineCrc64(a, b, data.byteLength - cut)).toBe(crc64(data));
      expect(empty).toBe('0');
      await expect(pool.hashRange(join(dir, 'missing'), 0, 5)).rejects.toThrow(/cannot hash/);
      await expect(pool.hashRange(file, data.byteLength - 5, 10)).rejects.toThrow(/ended/);
    } finally {
      await pool.close();
    }
    await expect(pool.hashRange(file, 0, 5)).rejects.toThrow(/closed/);
  });

  it('hashes a buffer moved to a worker and back: same memory, same bytes, the in-thread CRC', async () => {
    const pool = new CrcPool(2);
    try {
      const buffer = data.slice(0, 3_000_001);
      const view = buffer.subarray(17, 2_500_017);
      const [one, other] = await Promise.all([pool.hashBytes(view), pool.hashBytes(data.slice(5, 10))]);
      expect(buffer.byteLength).toBe(0); // detached while the worker had it
      expect(one.crc).toBe(crc64(data.subarray(17, 2_500_017)));
      expect(Buffer.from(one.bytes).equals(data.subarray(17, 2_500_017))).toBe(true);
      expect(one.bytes.byteOffset).toBe(17);
      expect(other.crc).toBe(crc64(data.subarray(5, 10)));
    } finally {
      await pool.close();
    }
  });

});

describe('uploadFile with worker CRCs', () => {
  it('uploads a multi-part file whose stored CRC-64 is the file’s', async () => {
    const out = await client.uploadFile({ key: 'big.bin', file, partSize: PART, parallel: 3 });
    expect(out.crc64).toBe(crc64(data));
    const head = await client.headObject({ key: 'big.bin' });
    expect(head.crc64).toBe(crc64(data));
  });

  it('checks each part’s answer against the worker’s CRC of the part; the bytes sent win over bytes changed after hashing', async () => {
    const env = { partCrcChecked: true, crc64Check: true, bucket: BUCKET };
    const offload = offloadPartCrc(client, data.byteLength, { key: 'x', partSize: PART }, env);
    expect(offload).toBeDefined();
    try {
      const { uploadId } = await client.initiateMultipartUpload({ key: 'checked.bin' });
      // The part's memory goes to the worker and comes back (same bytes, a new view).
      const original = data.slice(0, PART);
      const body = await offload!.hashPart(1, original);
      expect(original.byteLength).toBe(0);
      expect(Buffer.from(body).equals(data.subarray(0, PART))).toBe(true);
      const good = await offload!.api.uploadPart({ key: 'checked.bin', uploadId, partNumber: 1, body });
      expect(good.crc64).toBe(crc64(body));
      // The worker hashed other bytes than those sent (as if they changed after hashing): the
      // answer matches the bytes sent, so the part keeps their CRC, not the worker's.
      await offload!.hashPart(2, data.slice(1, PART + 1));
      const second = await offload!.api.uploadPart({ key: 'checked.bin', uploadId, partNumber: 2, body });
      expect(second.crc64).toBe(crc64(body));
      expect(second.crc64).not.toBe(crc64(data.subarray(1, PART + 1)));
    } finally {
      await offload!.close();
    }
  });

  it('stays out of the way for small files, CRC checks off, and non-client apis', () => {
    const env = { partCrcChecked: true, crc64Check: true };
    expect(offloadPartCrc(client, 2 * PART, { key: 'x', partSize: PART }, env)).toBeUndefined();
    expect(offloadPartCrc(client, data.byteLength, { key: 'x', partSize: PART }, { ...env, crc64Check: false })).toBeUndefined();
    const fake = { ...client, context: undefined } as unknown as OssClient;
    expect(offloadPartCrc(fake, data.byteLength, { key: 'x', partSize: PART }, env)).toBeUndefined();
  });
});
