/**
 * CompleteMultipartUpload joins part files by streaming, which takes time for big objects: a part
 * uploaded again meanwhile must not end up half in the object. The emulator then refuses with
 * 409 StaleFile (OSS's answer to racing modifications) and the upload stays, to be completed again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import type { BodyWriter } from '../../src/emulator/context.js';
import { startEmulator } from '../../src/emulator/index.js';
import { createBucket, send, xmlText } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'osskit-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a part uploaded again while Complete joins the parts gives 409 StaleFile, then Complete works', async () => {
  const emu = await startEmulator({ dataDir: dir });
  try {
    await createBucket(emu, 'race');
    const init = await send(emu, { method: 'POST', bucket: 'race', key: 'obj', query: { uploads: '' } });
    const uploadId = xmlText(init.text, 'UploadId')!;
    const part = async (n: number, fill: number) =>
      (await send(emu, { method: 'PUT', bucket: 'race', key: 'obj', query: { partNumber: String(n), uploadId }, body: new Uint8Array(200 * 1024).fill(fill) })).headers['etag']!;
    const etags = [await part(1, 1), await part(2, 2)];
    const xml = (tags: string[]) =>
      `<CompleteMultipartUpload>${tags.map((e, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;

    // The first write of the join re-uploads part 2 (same bytes, so the listed ETag still matches).
    const create = emu.storage.createBodyWriter.bind(emu.storage);
    emu.storage.createBodyWriter = (limit?: number): BodyWriter => {
      const writer = create(limit);
      const write = writer.write.bind(writer);
      let first = true;
      writer.write = async (chunk) => {
        if (first) {
          first = false;
          emu.storage.createBodyWriter = create;
          const again = emu.storage.getUpload('race', uploadId)!.parts.get(2)!;
          emu.storage.putPart('race', uploadId, { ...again, data: new Uint8Array(200 * 1024).fill(2), lastModified: new Date() });
        }
        return write(chunk);
      };
      return writer;
    };
    const raced = await send(emu, { method: 'POST', bucket: 'race', key: 'obj', query: { uploadId }, body: xml(etags) });
    expect(raced.status).toBe(409);
    expect(xmlText(raced.text, 'Code')).toBe('StaleFile');
    expect(emu.storage.getObject('race', 'obj')).toBeUndefined();

    const done = await send(emu, { method: 'POST', bucket: 'race', key: 'obj', query: { uploadId }, body: xml(etags) });
    expect(done.status).toBe(200);
    const got = await send(emu, { bucket: 'race', key: 'obj' });
    const expected = new Uint8Array(400 * 1024);
    expected.fill(1, 0, 200 * 1024).fill(2, 200 * 1024);
    expect(new Uint8Array(got.body)).toEqual(expected);
    expect(got.headers['x-oss-hash-crc64ecma']).toBe(crc64(expected));
  } finally {
    await emu.close();
  }
});
