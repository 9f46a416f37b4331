import { describe, expect, it } from 'vitest';
import {
  bucketCors,
  bucketEncryption,
  bucketLifecycle,
  bucketLogging,
  bucketPolicy,
  bucketReferer,
  bucketTagging,
  bucketVersioning,
  bucketWebsite,
  type SubresourceCommands,
} from '../../../src/commands/bucket/subresources.js';
import { md5, toBase64 } from '../../../src/integrity/hash.js';
import { response } from '../fixtures.js';

/** PUT body → GET answer → the same configuration back. */
async function roundTrip<C extends object>(commands: SubresourceCommands<C>, config: C): Promise<{ body: string; back: C }> {
  const request = commands.put.serialize({ bucket: 'bk1', ...config });
  const body = new TextDecoder().decode(request.body as Uint8Array);
  expect(request.headers['content-md5']).toBe(toBase64(md5(request.body as Uint8Array)));
  const { requestId, ...back } = await commands.get.deserialize(response(200, {}, body), { bucket: 'bk1' });
  expect(requestId).toBe('RID');
  return { body, back: back as unknown as C };
}

describe('bucket sub-resources table', () => {
  it('each row makes put/get/delete on its sub-resource', () => {
    for (const [commands, sub, config] of [
      [bucketCors, 'cors', { rules: [] }],
      [bucketTagging, 'tagging', { tags: {} }],
      [bucketPolicy, 'policy', { policy: {} }],
    ] as const) {
      const put = commands.put.serialize({ bucket: 'bk1', ...config } as never);
      expect(put).toMatchObject({ method: 'PUT', bucket: 'bk1', query: { [sub]: '' } });
      expect(commands.get.serialize({ bucket: 'bk1' })).toMatchObject({ method: 'GET', query: { [sub]: '' } });
      expect(commands.delete.serialize({ bucket: 'bk1' })).toMatchObject({ method: 'DELETE', query: { [sub]: '' } });
    }
    expect(bucketCors.put.name).toBe('PutBucketCors');
    expect(bucketCors.get.name).toBe('GetBucketCors');
    expect(bucketCors.delete.name).toBe('DeleteBucketCors');
    expect(() => bucketCors.get.serialize({})).toThrow(/no bucket/);
  });

  it('cors', async () => {
    const config = {
      rules: [
        { allowedOrigins: ['https://a.example', '*'], allowedMethods: ['GET', 'PUT'] as ('GET' | 'PUT')[], allowedHeaders: ['*'], exposeHeaders: ['ETag', 'x-oss-request-id'], maxAgeSeconds: 600 },
      ],
      responseVary: false,
    };
    const { body, back } = await roundTrip(bucketCors, config);
    expect(body).toContain('<CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>');
    expect(back).toMatchObject(config);
  });

  it('referer, tagging, lifecycle, website, logging, encryption, versioning, policy', async () => {
    expect((await roundTrip(bucketReferer, { allowEmptyReferer: false, refererList: ['https://*.example.com'], refererBlacklist: [] })).back).toEqual({
      allowEmptyReferer: false,
      refererList: ['https://*.example.com'],
      refererBlacklist: [],
    });
    const tags = await roundTrip(bucketTagging, { tags: { team: 'a&b', env: 'prod' } });
    expect(tags.body).toContain('<Tag><Key>team</Key><Value>a&amp;b</Value></Tag>');
    expect(tags.back.tags).toEqual({ team: 'a&b', env: 'prod' });
    const lifecycle = { rules: [{ id: 'r1', prefix: 'logs/', status: 'Enabled' as const, expiration: { days: 30 }, abortMultipartUpload: { days: 7 } }] };
    expect((await roundTrip(bucketLifecycle, lifecycle)).back).toEqual(lifecycle);
    expect((await roundTrip(bucketWebsite, { indexDocument: { suffix: 'index.html' }, errorDocument: { key: 'e.html' } })).back).toEqual({
      indexDocument: { suffix: 'index.html' },
      errorDocument: { key: 'e.html' },
    });
    expect((await roundTrip(bucketLogging, { targetBucket: 'logs-bk', targetPrefix: 'x/' })).back).toEqual({ targetBucket: 'logs-bk', targetPrefix: 'x/' });
    expect((await roundTrip(bucketEncryption, { algorithm: 'KMS' as const, kmsMasterKeyId: 'key-1' })).back).toEqual({ algorithm: 'KMS', kmsMasterKeyId: 'key-1' });
    expect((await roundTrip(bucketVersioning, { status: 'Enabled' as const })).back).toEqual({ status: 'Enabled' });
    const policy = { policy: { Version: '1', Statement: [{ Effect: 'Allow' }] } };
    const p = await roundTrip(bucketPolicy, policy);
    expect(bucketPolicy.put.serialize({ bucket: 'bk1', ...policy }).headers['content-type']).toBe('application/json');
    expect(p.back).toEqual(policy);
  });
});
