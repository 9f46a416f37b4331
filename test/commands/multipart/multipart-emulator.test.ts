import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64 } from '../../../src/integrity/crc64.js';
import { KiB } from '../../../src/defaults.js';
import { OssError } from '../../../src/errors.js';
import { randomBytes } from '../../helpers/prng.js';
import { sameBytes } from '../../upload/fake-api.js';
import { startHarness, type Harness } from '../../upload/emulator-setup.js';

const PART = 100 * KiB;
let h: Harness;

beforeAll(async () => {
  h = await startHarness('multipart-cmds');
});
afterAll(async () => {
  await h.client.close();
  await h.emu.close();
});

describe('multipart commands against the emulator', () => {
  it('initiate → upload parts → copy a part → list (paged) → complete', async () => {
    const key = 'dir/ünï cøde+%~.mp4';
    const source = randomBytes(3 * PART, 1);
    await h.client.putObject({ key: 'copy-source.bin', body: source });
    const init = await h.client.initiateMultipartUpload({ key, metadata: { owner: 'me' } });
    expect(init.key).toBe(key);

    const p1 = randomBytes(PART, 2);
    const p3 = randomBytes(1234, 3);
    const u1 = await h.client.uploadPart({ key, uploadId: init.uploadId, partNumber: 1, body: p1, contentMd5: true });
    expect(u1.crc64).toBe(crc64(p1));
    const u3 = await h.client.uploadPart({ key, uploadId: init.uploadId, partNumber: 3, body: p3 });
    const c2 = await h.client.uploadPartCopy({
      key,
      uploadId: init.uploadId,
      partNumber: 2,
      source: { key: 'copy-source.bin' },
      range: { start: PART, end: 2 * PART - 1 },
    });
    expect(c2.etag).toMatch(/^"[0-9A-F]+"$/);

    const pages = [];
    for await (const page of h.client.paginateListParts({ key, uploadId: init.uploadId, maxParts: 2 })) pages.push(page);
    expect(pages.map((p) => p.parts.map((x) => x.partNumber))).toEqual([[1, 2], [3]]);
    expect(pages[0]!.parts[0]).toMatchObject({ etag: u1.etag, size: PART, crc64: crc64(p1) });

    const done = await h.client.completeMultipartUpload({
      key,
      uploadId: init.uploadId,
      parts: [
        { partNumber: 3, etag: u3.etag },
        { partNumber: 1, etag: u1.etag },
        { partNumber: 2, etag: c2.etag },
      ],
    });
    const expected = new Uint8Array([...p1, ...source.subarray(PART, 2 * PART), ...p3]);
    expect(done.key).toBe(key);
    expect(done.crc64).toBe(crc64(expected));
    const object = await h.client.getObject({ key });
    expect(object.contentType).toBe('video/mp4');
    expect(object.metadata).toEqual({ owner: 'me' });
    expect(sameBytes(await object.bytes(), expected)).toBe(true);
  });

  it('completeAll joins every uploaded part', async () => {
    const key = 'all.bin';
    const { uploadId } = await h.client.initiateMultipartUpload({ key });
    const a = randomBytes(PART, 4);
    const b = randomBytes(10, 5);
    await h.client.uploadPart({ key, uploadId, partNumber: 1, body: a });
    await h.client.uploadPart({ key, uploadId, partNumber: 2, body: b });
    const done = await h.client.completeMultipartUpload({ key, uploadId, completeAll: true });
    expect(done.crc64).toBe(crc64(new Uint8Array([...a, ...b])));
  });

  it('lists uploads page by page with decoded keys and common prefixes; abort removes one', async () => {
    const keys = ['up/a b', 'up/c+d', 'up/é', 'up/sub/x'];
    const ids = new Map<string, string>();
    for (const key of keys) ids.set(key, (await h.client.initiateMultipartUpload({ key })).uploadId);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of h.client.paginateListMultipartUploads({ prefix: 'up/', maxUploads: 2 })) {
      pages += 1;
      seen.push(...page.uploads.map((u) => u.key));
      for (const u of page.uploads) expect(u.initiated).toBeInstanceOf(Date);
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.sort()).toEqual([...keys].sort());
    const rolled = await h.client.listMultipartUploads({ prefix: 'up/', delimiter: '/' });
    expect(rolled.commonPrefixes).toEqual(['up/sub/']);
    expect(rolled.uploads.map((u) => u.key).sort()).toEqual(['up/a b', 'up/c+d', 'up/é']);

    await h.client.abortMultipartUpload({ key: 'up/a b', uploadId: ids.get('up/a b')! });
    const error = await h.client.listParts({ key: 'up/a b', uploadId: ids.get('up/a b')! }).catch((e) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error.code).toBe('NoSuchUpload');
    for (const key of keys.slice(1)) await h.client.abortMultipartUpload({ key, uploadId: ids.get(key)! });
  });

  it('refuses bad input before any request', async () => {
    h.emu.stats.reset();
    const bad = [
      h.client.uploadPart({ key: 'k', uploadId: 'u', partNumber: 0, body: 'x' }),
      h.client.uploadPart({ key: 'k', uploadId: 'u', partNumber: 10001, body: 'x' }),
      h.client.uploadPart({ key: 'k', uploadId: '', partNumber: 1, body: 'x' }),
      h.client.completeMultipartUpload({ key: 'k', uploadId: 'u', parts: [] }),
      h.client.abortMultipartUpload({ key: '', uploadId: 'u' }),
      h.client.listParts({ key: 'k', uploadId: 'u', maxParts: 5000 }),
      h.client.initiateMultipartUpload({ key: 'x'.repeat(1024) }),
    ];
    for (const call of bad) expect((await call.catch((e) => e)).code).toBe('InvalidArgument');
    expect(h.emu.stats.count()).toBe(0);
  });
});
