import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/select/encode-frame.js';
import { decodeFrames, type SelectFrame } from '../../src/select/frames.js';

const utf8 = new TextEncoder();

async function decodeAll(bytes: Uint8Array, chunkSize = bytes.length || 1, checkCrc = true): Promise<SelectFrame[]> {
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
  }
  const frames: SelectFrame[] = [];
  for await (const frame of decodeFrames(chunks(), { checkCrc })) frames.push(frame);
  return frames;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

const FRAMES: SelectFrame[] = [
  { type: 'continuous', offset: 1024 },
  { type: 'data', offset: 2048, data: utf8.encode('a,b\nc,d\n') },
  { type: 'data', offset: 2 ** 40 + 5, data: utf8.encode('中文,😀\n') },
  { type: 'end', offset: 2 ** 40 + 9, scannedBytes: 2 ** 40 + 9, status: 200, errorMessage: '' },
];

describe('select frames', () => {
  it('round-trips every frame type, whatever the chunking', async () => {
    const bytes = concat(FRAMES.map((f) => encodeFrame(f)));
    for (const size of [1, 3, 13, 64, bytes.length]) expect(await decodeAll(bytes, size)).toEqual(FRAMES);
    const meta: SelectFrame[] = [
      { type: 'metaEnd', format: 'csv', offset: 9, scannedBytes: 9, status: 200, splits: 2, rows: 7, columns: 3, errorMessage: '' },
    ];
    expect(await decodeAll(encodeFrame(meta[0]!))).toEqual(meta);
    const json: SelectFrame = { type: 'metaEnd', format: 'json', offset: 9, scannedBytes: 9, status: 400, splits: 0, rows: 0, errorMessage: 'bad' };
    expect(await decodeAll(encodeFrame(json))).toEqual([json]);
  });

  it('lays a frame out as the reference does: version 1, 3-byte type, length, zero header checksum, CRC-32 of the payload', () => {
    const frame = encodeFrame({ type: 'continuous', offset: 0x0102 });
    const hex = Buffer.from(frame).toString('hex');
    expect(hex.slice(0, 40)).toBe('01800004' + '00000008' + '00000000' + '0000000000000102');
    // The trailer is zlib's CRC-32 of the 8-byte payload; without checksums it is 0.
    expect(new DataView(frame.buffer).getUint32(20)).toBe(zlibCrc32(frame.subarray(12, 20)));
    expect(Buffer.from(encodeFrame({ type: 'continuous', offset: 0x0102 }, false)).toString('hex').slice(40)).toBe('00000000');
  });

  it('decodes the official Go SDK v2 test answer (data frame + end frame, checksums off)', async () => {
    const hex =
      '018000010000003e0000000000000000000002e1323031352c55532c2c4865616c746820496e737572616e63650d0a323031352c55532c2c4865616c746820496e737572616e63650d0a' +
      '0000000001800005000000140000000000000000000002e100000000000002e1000000c800000000';
    const frames = await decodeAll(new Uint8Array(Buffer.from(hex, 'hex')), 7);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ type: 'data', offset: 0x2e1 });
    expect(new TextDecoder().decode((frames[0] as { data: Uint8Array }).data)).toBe('2015,US,,Health Insurance\r\n2015,US,,Health Insurance\r\n');
    expect(frames[1]).toEqual({ type: 'end', offset: 0x2e1, scannedBytes: 0x2e1, status: 200, errorMessage: '' });
  });

  it('refuses a frame whose payload was corrupted (CrcMismatch), unless checks are off', async () => {
    const bytes = concat(FRAMES.map((f) => encodeFrame(f)));
    const corrupt = bytes.slice();
    const dataAt = encodeFrame(FRAMES[0]!).length + 12 + 8; // first byte of the first data frame's rows
    corrupt[dataAt] ^= 0x01;
    await expect(decodeAll(corrupt)).rejects.toMatchObject({ name: 'OssClientError', code: 'CrcMismatch' });
    await expect(decodeAll(corrupt, bytes.length, false)).resolves.toHaveLength(4);
    // A damaged checksum trailer is caught the same way.
    const badTrailer = bytes.slice();
    badTrailer[encodeFrame(FRAMES[0]!).length - 1] ^= 0xff;
    await expect(decodeAll(badTrailer)).rejects.toMatchObject({ code: 'CrcMismatch' });
  });

  it('refuses truncated answers, unknown frame types and versions (NetworkError)', async () => {
    const bytes = concat(FRAMES.map((f) => encodeFrame(f)));
    await expect(decodeAll(bytes.subarray(0, bytes.length - 3))).rejects.toMatchObject({ code: 'NetworkError' });
    await expect(decodeAll(concat(FRAMES.slice(0, 2).map((f) => encodeFrame(f))))).rejects.toThrow(/before the end frame/);
    const unknown = encodeFrame({ type: 'continuous', offset: 1 });
    unknown[3] = 0x09;
    await expect(decodeAll(unknown, unknown.length, false)).rejects.toThrow(/unknown frame type/);
    const version = encodeFrame({ type: 'continuous', offset: 1 });
    version[0] = 2;
    await expect(decodeAll(version)).rejects.toThrow(/version 2/);
  });
});
