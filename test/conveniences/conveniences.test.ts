/**
 * Unit tests of the conveniences over a scripted transport: what each one sends, in what batches,
 * and how it reads the answers; item iterators over several pages of every listing.
 */
import { describe, expect, it } from 'vitest';
import { OssClient as CoreClient, type Platform } from '../../src/client/client.js';
import { ExtendedOssClient } from '../../src/client/client-extras.js';
import { isOssClientError, isOssError } from '../../src/errors.js';
import { presign } from '../../src/handoff/presign.js';
import type { TransportRequest } from '../../src/transport/types.js';
import { CREDS, errorXml, reply, scriptedTransport, type Script } from '../pipeline/send-fixtures.js';

const platform: Platform = { createTransport: () => scriptedTransport(() => reply(200)), contentTypeFor: () => undefined };

function clientWith(script: Script, options: { endpoint?: string; pathStyle?: boolean; cname?: boolean; bucket?: string } = {}) {
  const transport = scriptedTransport(script);
  // The Node client's class: listBucketsItems is one of its methods.
  const client = new ExtendedOssClient({ region: 'cn-hangzhou', bucket: 'bk1', credentials: CREDS, transport, ...options }, platform);
  return { client, transport };
}

const query = (request: TransportRequest) => new URL(request.url).searchParams;
const bodyText = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const keysSent = (bytes: Uint8Array | undefined) => [...bodyText(bytes).matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeURIComponent(m[1]!));

describe('objectExists', () => {
  it('is true after a 200 HEAD, false on NoSuchKey or a bare 404', async () => {
    const answers = [reply(200, { 'content-length': '3' }), reply(404, {}, errorXml('NoSuchKey')), reply(404)];
    const { client, transport } = clientWith((_r, n) => answers[n - 1]!);
    expect(await client.objectExists({ key: 'a.txt' })).toBe(true);
    expect(await client.objectExists({ key: 'b.txt' })).toBe(false);
    expect(await client.objectExists({ key: 'c.txt' })).toBe(false);
    expect(transport.calls.map((c) => `${c.request.method} ${new URL(c.request.url).pathname}`)).toEqual(['HEAD /a.txt', 'HEAD /b.txt', 'HEAD /c.txt']);
  });

  it('throws what is not "no such object": NoSuchBucket, AccessDenied, network failure', async () => {
    const answers = [reply(404, {}, errorXml('NoSuchBucket')), reply(403, {}, errorXml('AccessDenied'))];
    const { client } = clientWith((_r, n) => answers[n - 1]!);
    await expect(client.objectExists({ key: 'a.txt' })).rejects.toSatisfy((e) => isOssError(e) && e.code === 'NoSuchBucket');
    await expect(client.objectExists({ key: 'a.txt' })).rejects.toSatisfy((e) => isOssError(e) && e.code === 'AccessDenied');
    const down = clientWith(() => new TypeError('fetch failed'));
    const refused = new CoreClient({ region: 'cn-hangzhou', bucket: 'bk1', credentials: CREDS, maxAttempts: 1, transport: down.transport }, platform);
    await expect(refused.objectExists({ key: 'a.txt' })).rejects.toSatisfy((e) => !isOssError(e));
  });
});

describe('deleteObjects', () => {
  it('sends keys 1000 per quiet request and counts them', async () => {
    const { client, transport } = clientWith(() => reply(200, {}, '<DeleteResult></DeleteResult>'));
    const keys = Array.from({ length: 2345 }, (_, i) => `dir/k${i}`);
    const out = await client.deleteObjects({ keys });
    expect(out.deleted).toBe(2345);
    expect(out.requestIds).toHaveLength(3);
    expect(transport.calls.map((c) => keysSent(c.body).length)).toEqual([1000, 1000, 345]);
    expect(transport.calls.flatMap((c) => keysSent(c.body))).toEqual(keys);
    for (const call of transport.calls) {
      expect(call.request.method).toBe('POST');
      expect(query(call.request).has('delete')).toBe(true);
      expect(bodyText(call.body)).toContain('<Quiet>true</Quiet>');
    }
  });

  it('with a prefix: lists 1000 at a time and deletes each page', async () => {
    const page = (keys: string[], next?: string) =>
      reply(
        200,
        {},
        `<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${
          next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''
        }${keys.map((k) => `<Contents><Key>${k}</Key><Size>1</Size></Contents>`).join('')}</ListBucketResult>`,
      );
    const lists = [page(['p/a', 'p/b'], 't1'), page(['p/c'])];
    const { client, transport } = clientWith((request) =>
      request.method === 'GET' ? lists.shift()! : reply(200, { 'x-oss-request-id': `del-${transport.calls.length}` }, '<DeleteResult/>'),
    );
    const out = await client.deleteObjects({ prefix: 'p/' });
    expect(out).toMatchObject({ deleted: 3, requestIds: ['del-2', 'del-4'], requestId: 'del-4' });
    const lines = transport.calls.map((c) => `${c.request.method} ${query(c.request).get('prefix') ?? ''} ${query(c.request).get('max-keys') ?? ''}`);
    expect(lines).toEqual(['GET p/ 1000', 'POST  ', 'GET p/ 1000', 'POST  ']);
    expect(transport.calls.map((c) => keysSent(c.body))).toEqual([[], ['p/a', 'p/b'], [], ['p/c']]);
  });

  it('refuses an empty prefix and bad keys before sending anything', async () => {
    const { client, transport } = clientWith(() => reply(200, {}, '<DeleteResult/>'));
    await expect(client.deleteObjects({ prefix: '' })).rejects.toSatisfy((e) => isOssClientError(e, 'InvalidArgument'));
    const keys = [...Array.from({ length: 1500 }, (_, i) => `k${i}`), ''];
    await expect(client.deleteObjects({ keys })).rejects.toSatisfy((e) => isOssClientError(e, 'InvalidArgument'));
    expect(transport.calls).toHaveLength(0);
    expect(await client.deleteObjects({ keys: [] })).toEqual({ deleted: 0, requestIds: [], requestId: '' });
  });
});

describe('item iterators', () => {
  it('flatten every page of every listing, one item at a time', async () => {
    const xml: Record<string, string[]> = {
      objects: [
        '<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>t</NextContinuationToken><NextMarker>t</NextMarker><Contents><Key>a</Key><Size>1</Size></Contents><Contents><Key>b</Key><Size>2</Size></Contents></ListBucketResult>',
        '<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Contents><Key>c</Key><Size>3</Size></Contents></ListBucketResult>',
      ],
      uploads: [
        '<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextKeyMarker>k1</NextKeyMarker><NextUploadIdMarker>u1</NextUploadIdMarker><Upload><Key>k1</Key><UploadId>u1</UploadId><Initiated>2024-01-01T00:00:00.000Z</Initiated></Upload></ListMultipartUploadsResult>',
        '<ListMultipartUploadsResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Upload><Key>k2</Key><UploadId>u2</UploadId><Initiated>2024-01-01T00:00:00.000Z</Initiated></Upload></ListMultipartUploadsResult>',
      ],
      parts: [
        '<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>1</NextPartNumberMarker><Part><PartNumber>1</PartNumber><ETag>"e1"</ETag><Size>5</Size></Part></ListPartsResult>',
        '<ListPartsResult><IsTruncated>false</IsTruncated><Part><PartNumber>2</PartNumber><ETag>"e2"</ETag><Size>6</Size></Part></ListPartsResult>',
      ],
      buckets: [
        '<ListAllMyBucketsResult><IsTruncated>true</IsTruncated><NextMarker>b1</NextMarker><Buckets><Bucket><Name>b1</Name></Bucket></Buckets></ListAllMyBucketsResult>',
        '<ListAllMyBucketsResult><IsTruncated>false</IsTruncated><Buckets><Bucket><Name>b2</Name></Bucket><Bucket><Name>b3</Name></Bucket></Buckets></ListAllMyBucketsResult>',
      ],
    };
    let served = 0;
    const { client } = clientWith((request) => {
      const q = query(request);
      const kind = q.has('uploads') ? 'uploads' : q.has('uploadId') ? 'parts' : new URL(request.url).host.startsWith('bk1.') ? 'objects' : 'buckets';
      const next = q.has('continuation-token') || q.has('marker') || q.has('key-marker') || q.has('part-number-marker');
      served++;
      return reply(200, {}, xml[kind]![next ? 1 : 0]!);
    });
    const collect = async <T>(items: AsyncIterable<T>, pick: (item: T) => unknown) => {
      const out: unknown[] = [];
      for await (const item of items) out.push(pick(item));
      return out;
    };
    expect(await collect(client.listObjectsV2Items({ prefix: '' }), (o) => [o.key, o.size])).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(await collect(client.listObjectsItems(), (o) => o.key)).toEqual(['a', 'b', 'c']);
    expect(await collect(client.listMultipartUploadsItems(), (u) => `${u.key}:${u.uploadId}`)).toEqual(['k1:u1', 'k2:u2']);
    expect(await collect(client.listPartsItems({ key: 'k', uploadId: 'u' }), (p) => [p.partNumber, p.size])).toEqual([[1, 5], [2, 6]]);
    expect(await collect(client.listBucketsItems(), (b) => b.name)).toEqual(['b1', 'b2', 'b3']);
    expect(served).toBe(10);
  });

  it('ask for the next page only when the caller has taken every item of this one', async () => {
    const { client, transport } = clientWith(() =>
      reply(200, {}, '<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>t</NextContinuationToken><Contents><Key>a</Key><Size>1</Size></Contents><Contents><Key>b</Key><Size>1</Size></Contents></ListBucketResult>'),
    );
    for await (const object of client.listObjectsV2Items()) {
      if (object.key === 'b') break;
    }
    expect(transport.calls).toHaveLength(1);
  });
});

describe('getObjectUrl', () => {
  const key = "dir/a b+c*d'(!)~é.txt";
  const encoded = "dir/a%20b%2Bc%2Ad%27%28%21%29~%C3%A9.txt";

  it('addresses like a request: virtual host, path style for IPs, CNAME, an explicit bucket', () => {
    expect(clientWith(() => reply(200)).client.getObjectUrl({ key })).toBe(`https://bk1.oss-cn-hangzhou.aliyuncs.com/${encoded}`);
    expect(clientWith(() => reply(200), { endpoint: 'http://127.0.0.1:9000' }).client.getObjectUrl({ key: 'x' })).toBe('http://127.0.0.1:9000/bk1/x');
    expect(clientWith(() => reply(200), { endpoint: 'oss-cn-hangzhou.aliyuncs.com', pathStyle: true }).client.getObjectUrl({ key: 'x' })).toBe(
      'https://oss-cn-hangzhou.aliyuncs.com/bk1/x',
    );
    expect(clientWith(() => reply(200), { endpoint: 'https://static.example.com', cname: true }).client.getObjectUrl({ key })).toBe(
      `https://static.example.com/${encoded}`,
    );
    expect(clientWith(() => reply(200)).client.getObjectUrl({ key: 'x', bucket: 'other-bk' })).toBe('https://other-bk.oss-cn-hangzhou.aliyuncs.com/x');
  });

  it('encodes the key exactly as a presigned URL (the signed path) does', async () => {
    const config = { endpoint: 'https://oss-cn-hangzhou.aliyuncs.com', region: 'cn-hangzhou', bucket: 'bk1', credentials: async () => CREDS };
    for (const signatureVersion of ['v4', 'v1'] as const) {
      const signed = new URL((await presign({ ...config, signatureVersion }, { key })).url);
      expect(clientWith(() => reply(200)).client.getObjectUrl({ key })).toBe(`${signed.origin}${signed.pathname}`);
    }
  });

  it('refuses a missing bucket, a bad bucket name and an empty key', () => {
    const noBucket = new CoreClient({ region: 'cn-hangzhou', credentials: CREDS }, platform);
    expect(() => noBucket.getObjectUrl({ key: 'x' })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
    expect(() => noBucket.getObjectUrl({ key: 'x', bucket: 'Bad_Bucket' })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
    expect(() => clientWith(() => reply(200)).client.getObjectUrl({ key: '' })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});
