/** Multipart handlers called directly with an in-memory storage (no HTTP). */
import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { crc64 } from '../../src/integrity/crc64.js';
import { EmulatorError, type EmulatorEnv, type EmulatorRequest, type EmulatorResponse } from '../../src/emulator/context.js';
import { multipartHandlers } from '../../src/emulator/handlers/multipart.js';
import { MemoryStorage } from '../../src/emulator/storage.js';
import { children, childText, parseXml, type ParsedXml } from '../../src/emulator/xml.js';

const KiB = 1024;
let env: EmulatorEnv;
let clock: number;

beforeEach(() => {
  clock = Date.UTC(2024, 0, 1);
  const storage = new MemoryStorage();
  storage.createBucket({ name: 'bkt', created: new Date(clock), region: 'cn-hangzhou', storageClass: 'Standard', acl: 'private', configs: new Map() });
  env = { storage, region: 'cn-hangzhou', endpoint: 'http://127.0.0.1:9', secretFor: () => undefined, now: () => new Date((clock += 1000)), record: () => {} };
});

function req(method: string, key: string | undefined, query: Record<string, string>, headers: Record<string, string> = {}, body: Uint8Array | string = new Uint8Array()): EmulatorRequest {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return { method, bucket: 'bkt', key, query, headers, rawUrl: '/', body: async () => bytes, requestId: 'RID' };
}

async function call(op: string, request: EmulatorRequest): Promise<EmulatorResponse> {
  return multipartHandlers[op]!(request, env);
}

async function failure(op: string, request: EmulatorRequest): Promise<EmulatorError> {
  try {
    await call(op, request);
  } catch (err) {
    expect(err).toBeInstanceOf(EmulatorError);
    return err as EmulatorError;
  }
  throw new Error(`${op} succeeded`);
}

function xml(res: EmulatorResponse, root: string): ParsedXml {
  const doc = parseXml(String(res.body));
  expect(doc?.[root]).toBeDefined();
  return doc![root] as ParsedXml;
}

function bytes(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7) & 0xff;
  return out;
}

const md5Hex = (data: Uint8Array): string => createHash('md5').update(data).digest('hex').toUpperCase();

async function initiate(key = 'big.bin', headers: Record<string, string> = {}): Promise<string> {
  const res = await call('InitiateMultipartUpload', req('POST', key, { uploads: '' }, headers));
  return childText(xml(res, 'InitiateMultipartUploadResult'), 'UploadId')!;
}

async function uploadPart(key: string, uploadId: string, partNumber: number, data: Uint8Array, headers: Record<string, string> = {}): Promise<EmulatorResponse> {
  return call('UploadPart', req('PUT', key, { partNumber: String(partNumber), uploadId }, headers, data));
}

function completeBody(parts: { n: number; etag: string }[]): string {
  return `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
}

describe('InitiateMultipartUpload', () => {
  it('answers an upload id and stores type, metadata and headers for the object', async () => {
    const id = await initiate('docs/a.txt', {
      'content-type': 'text/markdown',
      'x-oss-meta-owner': 'me',
      'cache-control': 'no-cache',
      'content-disposition': 'attachment',
      'x-oss-storage-class': 'IA',
      'x-oss-unrelated': 'x',
    });
    expect(id).toMatch(/^[0-9A-F]{32}$/);
    const upload = env.storage.getUpload('bkt', id)!;
    expect(upload.key).toBe('docs/a.txt');
    expect(upload.contentType).toBe('text/markdown');
    expect(upload.metadata).toEqual({ owner: 'me' });
    expect(upload.headers).toEqual({ 'cache-control': 'no-cache', 'content-disposition': 'attachment', 'x-oss-storage-class': 'IA' });
  });

  it('guesses the type from the key when none is given', async () => {
    const id = await initiate('pic.png');
    expect(env.storage.getUpload('bkt', id)!.contentType).toBe('image/png');
  });

  it('url-encodes the key with encoding-type=url', async () => {
    const res = await call('InitiateMultipartUpload', req('POST', 'a b/中.txt', { uploads: '', 'encoding-type': 'url' }));
    const root = xml(res, 'InitiateMultipartUploadResult');
    expect(childText(root, 'EncodingType')).toBe('url');
    expect(childText(root, 'Key')).toBe('a%20b%2F%E4%B8%AD.txt');
    expect((await failure('InitiateMultipartUpload', req('POST', 'k', { uploads: '', 'encoding-type': 'base64' }))).code).toBe('InvalidArgument');
  });
});

describe('UploadPart', () => {
  it('answers the quoted upper-case MD5 ETag and the CRC-64', async () => {
    const id = await initiate();
    const data = bytes(1000, 1);
    const res = await uploadPart('big.bin', id, 1, data);
    expect(res.status).toBe(200);
    expect(res.headers!.etag).toBe(`"${md5Hex(data)}"`);
    expect(res.headers!['x-oss-hash-crc64ecma']).toBe(crc64(data));
  });

  it('refuses part numbers outside 1…10000', async () => {
    const id = await initiate();
    for (const n of ['0', '10001', 'abc', '-1', '1.5']) {
      const err = await failure('UploadPart', req('PUT', 'big.bin', { partNumber: n, uploadId: id }, {}, 'x'));
      expect([err.status, err.code]).toEqual([400, 'InvalidArgument']);
    }
    expect((await uploadPart('big.bin', id, 10000, bytes(1, 1))).status).toBe(200);
  });

  it('checks Content-MD5', async () => {
    const id = await initiate();
    const data = bytes(10, 2);
    const good = createHash('md5').update(data).digest('base64');
    expect((await uploadPart('big.bin', id, 1, data, { 'content-md5': good })).status).toBe(200);
    const wrong = createHash('md5').update('other').digest('base64');
    const mismatch = await failure('UploadPart', req('PUT', 'big.bin', { partNumber: '1', uploadId: id }, { 'content-md5': wrong }, data));
    expect([mismatch.status, mismatch.code]).toEqual([400, 'InvalidDigest']);
    const malformed = await failure('UploadPart', req('PUT', 'big.bin', { partNumber: '1', uploadId: id }, { 'content-md5': 'abc' }, data));
    expect([malformed.status, malformed.code]).toEqual([400, 'InvalidDigest']);
  });

  it('answers NoSuchUpload for an unknown id or another key', async () => {
    const id = await initiate();
    expect((await failure('UploadPart', req('PUT', 'big.bin', { partNumber: '1', uploadId: 'FFFF' }, {}, 'x'))).code).toBe('NoSuchUpload');
    const err = await failure('UploadPart', req('PUT', 'other.bin', { partNumber: '1', uploadId: id }, {}, 'x'));
    expect([err.status, err.code]).toEqual([404, 'NoSuchUpload']);
  });
});

describe('CompleteMultipartUpload', () => {
  async function threeParts(): Promise<{ id: string; parts: Uint8Array[]; etags: string[] }> {
    const id = await initiate('big.bin', { 'content-type': 'application/x-test', 'x-oss-meta-k': 'v' });
    const parts = [bytes(100 * KiB, 1), bytes(150 * KiB, 2), bytes(7, 3)];
    const etags: string[] = [];
    for (const [i, p] of parts.entries()) etags.push((await uploadPart('big.bin', id, i + 1, p)).headers!.etag!);
    return { id, parts, etags };
  }

  it('joins the parts: multipart ETag, combined CRC-64 equal to the data CRC, metadata kept', async () => {
    const { id, parts, etags } = await threeParts();
    const res = await call('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, completeBody(etags.map((etag, i) => ({ n: i + 1, etag })))));
    const all = Buffer.concat(parts);
    const expectedEtag = `"${md5Hex(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest())))}-3"`;
    const root = xml(res, 'CompleteMultipartUploadResult');
    expect(childText(root, 'ETag')).toBe(expectedEtag);
    expect(childText(root, 'Key')).toBe('big.bin');
    expect(childText(root, 'Bucket')).toBe('bkt');
    expect(res.headers!.etag).toBe(expectedEtag);
    expect(res.headers!['x-oss-hash-crc64ecma']).toBe(crc64(all));
    const stored = env.storage.getObject('bkt', 'big.bin')!;
    expect(Buffer.from(stored.data).equals(all)).toBe(true);
    expect(stored.crc64).toBe(crc64(all));
    expect(stored.etag).toBe(expectedEtag);
    expect(stored.contentType).toBe('application/x-test');
    expect(stored.metadata).toEqual({ k: 'v' });
    expect(env.storage.getUpload('bkt', id)).toBeUndefined();
  });

  it('accepts unquoted or lower-case ETags in the list, and x-oss-complete-all without a body', async () => {
    const { id, parts, etags } = await threeParts();
    const res = await call('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, { 'x-oss-complete-all': 'yes' }));
    expect(res.headers!['x-oss-hash-crc64ecma']).toBe(crc64(Buffer.concat(parts)));
    const again = await threeParts();
    const body = completeBody(again.etags.map((etag, i) => ({ n: i + 1, etag: etag.replace(/"/g, '').toLowerCase() })));
    expect((await call('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: again.id }, {}, body))).status).toBe(200);
    expect(etags).toHaveLength(3);
  });

  it('refuses a part that is missing or has another ETag (InvalidPart)', async () => {
    const { id, etags } = await threeParts();
    const missing = completeBody([{ n: 1, etag: etags[0]! }, { n: 4, etag: etags[1]! }]);
    let err = await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, missing));
    expect([err.status, err.code]).toEqual([400, 'InvalidPart']);
    const wrongTag = completeBody([{ n: 1, etag: etags[1]! }, { n: 2, etag: etags[1]! }]);
    err = await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, wrongTag));
    expect([err.status, err.code]).toEqual([400, 'InvalidPart']);
    expect(env.storage.getObject('bkt', 'big.bin')).toBeUndefined();
  });

  it('refuses parts out of order or repeated (InvalidPartOrder)', async () => {
    const { id, etags } = await threeParts();
    for (const order of [[2, 1, 3], [1, 1, 3]]) {
      const body = completeBody(order.map((n) => ({ n, etag: etags[n - 1]! })));
      const err = await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, body));
      expect([err.status, err.code]).toEqual([400, 'InvalidPartOrder']);
    }
  });

  it('refuses a part under 100 KiB that is not the last (EntityTooSmall)', async () => {
    const id = await initiate();
    const a = await uploadPart('big.bin', id, 1, bytes(100 * KiB - 1, 1));
    const b = await uploadPart('big.bin', id, 2, bytes(10, 2));
    const body = completeBody([{ n: 1, etag: a.headers!.etag! }, { n: 2, etag: b.headers!.etag! }]);
    const err = await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, body));
    expect([err.status, err.code]).toEqual([400, 'EntityTooSmall']);
    // A single small part is fine: it is the last one.
    const one = completeBody([{ n: 2, etag: b.headers!.etag! }]);
    expect((await call('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, one))).status).toBe(200);
  });

  it('answers NoSuchUpload after completion or abort, MalformedXML for a bad body', async () => {
    const { id, etags } = await threeParts();
    const body = completeBody(etags.map((etag, i) => ({ n: i + 1, etag })));
    expect((await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, '<nope'))).code).toBe('MalformedXML');
    expect((await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, '<CompleteMultipartUpload/>'))).code).toBe('MalformedXML');
    await call('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, body));
    expect((await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, {}, body))).code).toBe('NoSuchUpload');
    const other = await initiate();
    expect((await call('AbortMultipartUpload', req('DELETE', 'big.bin', { uploadId: other }))).status).toBe(204);
    const err = await failure('AbortMultipartUpload', req('DELETE', 'big.bin', { uploadId: other }));
    expect([err.status, err.code]).toEqual([404, 'NoSuchUpload']);
  });

  it('honours x-oss-forbid-overwrite from the complete request or the initiation', async () => {
    const first = await threeParts();
    await call('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: first.id }, { 'x-oss-complete-all': 'yes' }));
    const second = await threeParts();
    const err = await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: second.id }, { 'x-oss-complete-all': 'yes', 'x-oss-forbid-overwrite': 'true' }));
    expect([err.status, err.code]).toEqual([409, 'FileAlreadyExists']);
    const initErr = await failure('InitiateMultipartUpload', req('POST', 'big.bin', { uploadId: '' }, { 'x-oss-forbid-overwrite': 'true' }));
    expect(initErr.code).toBe('FileAlreadyExists');
  });

  it('refuses a malformed callback before storing anything', async () => {
    const { id } = await threeParts();
    const err = await failure('CompleteMultipartUpload', req('POST', 'big.bin', { uploadId: id }, { 'x-oss-complete-all': 'yes', 'x-oss-callback': 'bm90IGpzb24=' }));
    expect([err.status, err.code]).toEqual([400, 'InvalidArgument']);
    expect(env.storage.getObject('bkt', 'big.bin')).toBeUndefined();
  });
});

describe('UploadPartCopy', () => {
  const source = bytes(300 * KiB, 9);

  async function putSource(): Promise<string> {
    const etag = `"${md5Hex(source)}"`;
    env.storage.putObject('bkt', { key: 'src/object', data: source, etag, crc64: crc64(source), lastModified: new Date(Date.UTC(2023, 5, 1)), contentType: 'application/octet-stream', metadata: {}, headers: {} });
    return etag;
  }

  function copy(id: string, n: number, headers: Record<string, string>): EmulatorRequest {
    return req('PUT', 'copy.bin', { partNumber: String(n), uploadId: id }, { 'x-oss-copy-source': '/bkt/src%2Fobject', ...headers });
  }

  it('copies a byte range into a part and answers CopyPartResult', async () => {
    await putSource();
    const id = await initiate('copy.bin');
    const res = await call('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-range': 'bytes=100-102499' }));
    const slice = source.slice(100, 102500);
    const root = xml(res, 'CopyPartResult');
    expect(childText(root, 'ETag')).toBe(`"${md5Hex(slice)}"`);
    expect(childText(root, 'LastModified')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    const part = env.storage.getUpload('bkt', id)!.parts.get(1)!;
    expect(Buffer.from(part.data).equals(Buffer.from(slice))).toBe(true);
    expect(part.crc64).toBe(crc64(slice));
    // Whole object when there is no range.
    await call('UploadPartCopy', copy(id, 2, {}));
    expect(env.storage.getUpload('bkt', id)!.parts.get(2)!.data.length).toBe(source.length);
  });

  it('applies the four copy conditions', async () => {
    const etag = await putSource();
    const id = await initiate('copy.bin');
    const before = 'Wed, 01 Jan 2020 00:00:00 GMT';
    const after = 'Mon, 01 Jan 2030 00:00:00 GMT';
    expect((await call('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-if-match': etag }))).status).toBe(200);
    expect((await failure('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-if-match': '"0000"' }))).status).toBe(412);
    expect((await call('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-if-none-match': etag }))).status).toBe(304);
    expect((await call('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-if-none-match': '"0000"' }))).status).toBe(200);
    const unmod = await failure('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-if-unmodified-since': before }));
    expect([unmod.status, unmod.code]).toEqual([412, 'PreconditionFailed']);
    expect((await call('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-if-unmodified-since': after }))).status).toBe(200);
    expect((await call('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-if-modified-since': after }))).status).toBe(304);
    expect((await call('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-if-modified-since': before }))).status).toBe(200);
  });

  it('refuses bad sources and ranges', async () => {
    await putSource();
    const id = await initiate('copy.bin');
    expect((await failure('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source': '/bkt/missing' }))).code).toBe('NoSuchKey');
    expect((await failure('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source': '/nobucket/k' }))).code).toBe('NoSuchBucket');
    expect((await failure('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source': 'junk' }))).code).toBe('InvalidArgument');
    expect((await failure('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-range': 'bytes=5-1' }))).status).toBe(416);
    expect((await failure('UploadPartCopy', copy(id, 1, { 'x-oss-copy-source-range': `bytes=0-${source.length}` }))).status).toBe(416);
  });
});

describe('ListParts', () => {
  it('pages with max-parts and part-number-marker and reports size and CRC per part', async () => {
    const id = await initiate('p.bin');
    const datas = [1, 2, 3, 4, 5].map((n) => bytes(n * 10, n));
    for (const n of [5, 1, 3, 2, 4]) await uploadPart('p.bin', id, n, datas[n - 1]!);
    const page1 = xml(await call('ListParts', req('GET', 'p.bin', { uploadId: id, 'max-parts': '2' })), 'ListPartsResult');
    expect(children(page1, 'Part').map((p) => childText(p, 'PartNumber'))).toEqual(['1', '2']);
    expect(childText(page1, 'IsTruncated')).toBe('true');
    expect(childText(page1, 'NextPartNumberMarker')).toBe('2');
    expect(childText(page1, 'MaxParts')).toBe('2');
    const first = children(page1, 'Part')[0]!;
    expect(childText(first, 'Size')).toBe('10');
    expect(childText(first, 'HashCrc64ecma')).toBe(crc64(datas[0]!));
    expect(childText(first, 'ETag')).toBe(`"${md5Hex(datas[0]!)}"`);
    const page2 = xml(await call('ListParts', req('GET', 'p.bin', { uploadId: id, 'max-parts': '2', 'part-number-marker': '2' })), 'ListPartsResult');
    expect(children(page2, 'Part').map((p) => childText(p, 'PartNumber'))).toEqual(['3', '4']);
    const page3 = xml(await call('ListParts', req('GET', 'p.bin', { uploadId: id, 'max-parts': '2', 'part-number-marker': '4' })), 'ListPartsResult');
    expect(children(page3, 'Part').map((p) => childText(p, 'PartNumber'))).toEqual(['5']);
    expect(childText(page3, 'IsTruncated')).toBe('false');
    expect((await failure('ListParts', req('GET', 'p.bin', { uploadId: id, 'max-parts': '0' }))).code).toBe('InvalidArgument');
  });

  it('url-encodes the key with encoding-type=url', async () => {
    const id = await initiate('a b.bin');
    const root = xml(await call('ListParts', req('GET', 'a b.bin', { uploadId: id, 'encoding-type': 'url' })), 'ListPartsResult');
    expect(childText(root, 'Key')).toBe('a%20b.bin');
    expect(childText(root, 'EncodingType')).toBe('url');
  });
});

describe('ListMultipartUploads', () => {
  async function list(query: Record<string, string>): Promise<ParsedXml> {
    return xml(await call('ListMultipartUploads', req('GET', undefined, { uploads: '', ...query })), 'ListMultipartUploadsResult');
  }

  it('pages with key and upload-id markers, keeping several uploads of one key apart', async () => {
    const ids = [await initiate('a'), await initiate('b'), await initiate('b'), await initiate('c')];
    const seen: string[] = [];
    let query: Record<string, string> = { 'max-uploads': '1' };
    for (let i = 0; i < 10; i++) {
      const page = await list(query);
      seen.push(...children(page, 'Upload').map((u) => childText(u, 'UploadId')!));
      if (childText(page, 'IsTruncated') !== 'true') break;
      query = { 'max-uploads': '1', 'key-marker': childText(page, 'NextKeyMarker')!, 'upload-id-marker': childText(page, 'NextUploadIdMarker')! };
    }
    expect(seen).toEqual(ids);
    const all = await list({});
    expect(children(all, 'Upload').map((u) => childText(u, 'Key'))).toEqual(['a', 'b', 'b', 'c']);
    expect(childText(children(all, 'Upload')[0], 'Initiated')).toMatch(/\.000Z$/);
  });

  it('filters by prefix and groups by delimiter', async () => {
    for (const key of ['photos/2023/a.jpg', 'photos/2024/b.jpg', 'photos/2024/c.jpg', 'photos/top.jpg', 'video/x.mp4']) await initiate(key);
    const page = await list({ prefix: 'photos/', delimiter: '/' });
    expect(children(page, 'Upload').map((u) => childText(u, 'Key'))).toEqual(['photos/top.jpg']);
    expect(children(page, 'CommonPrefixes').map((p) => childText(p, 'Prefix'))).toEqual(['photos/2023/', 'photos/2024/']);
    // Common prefixes count towards max-uploads and are not repeated on the next page.
    const first = await list({ prefix: 'photos/', delimiter: '/', 'max-uploads': '2' });
    expect(children(first, 'CommonPrefixes').map((p) => childText(p, 'Prefix'))).toEqual(['photos/2023/', 'photos/2024/']);
    expect(childText(first, 'IsTruncated')).toBe('true');
    const second = await list({ prefix: 'photos/', delimiter: '/', 'max-uploads': '2', 'key-marker': childText(first, 'NextKeyMarker')! });
    expect(children(second, 'CommonPrefixes')).toEqual([]);
    expect(children(second, 'Upload').map((u) => childText(u, 'Key'))).toEqual(['photos/top.jpg']);
  });

  it('url-encodes keys and prefixes with encoding-type=url', async () => {
    await initiate('dir one/file two');
    const page = await list({ 'encoding-type': 'url', delimiter: '/' });
    expect(children(page, 'CommonPrefixes').map((p) => childText(p, 'Prefix'))).toEqual(['dir%20one%2F']);
    const flat = await list({ 'encoding-type': 'url' });
    expect(children(flat, 'Upload').map((u) => childText(u, 'Key'))).toEqual(['dir%20one%2Ffile%20two']);
  });
});
