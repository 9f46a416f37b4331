import { describe, expect, it } from 'vitest';
import { getBucketInfo } from '../../../src/commands/bucket/get-bucket-info.js';
import { getBucketLocation } from '../../../src/commands/bucket/get-bucket-location.js';
import { listBuckets } from '../../../src/commands/bucket/list-buckets.js';
import { putBucket } from '../../../src/commands/bucket/put-bucket.js';
import { deleteBucket } from '../../../src/commands/bucket/delete-bucket.js';
import { response } from '../fixtures.js';

describe('bucket commands', () => {
  it('listBuckets is a service-level GET with paging', async () => {
    const request = listBuckets.serialize({ prefix: 'p', marker: 'm', maxKeys: 10 });
    expect(request).toEqual({ method: 'GET', query: { prefix: 'p', marker: 'm', 'max-keys': '10' }, headers: {} });
    expect(request.bucket).toBeUndefined();
    const xml = `<ListAllMyBucketsResult><Owner><ID>1</ID><DisplayName>me</DisplayName></Owner><IsTruncated>true</IsTruncated><NextMarker>b2</NextMarker>
      <Buckets><Bucket><Name>b1x</Name><Location>oss-cn-hangzhou</Location><Region>cn-hangzhou</Region><CreationDate>2024-01-01T00:00:00.000Z</CreationDate><StorageClass>Standard</StorageClass></Bucket></Buckets></ListAllMyBucketsResult>`;
    const out = await listBuckets.deserialize(response(200, {}, xml), {});
    expect(out).toMatchObject({
      isTruncated: true,
      nextMarker: 'b2',
      owner: { id: '1', displayName: 'me' },
      buckets: [{ name: 'b1x', location: 'oss-cn-hangzhou', region: 'cn-hangzhou', storageClass: 'Standard' }],
    });
  });

  it('putBucket sends ACL as a header and the configuration as XML', () => {
    const request = putBucket.serialize({ bucket: 'bk1', acl: 'public-read', storageClass: 'IA', dataRedundancyType: 'ZRS' });
    expect(request.headers).toMatchObject({ 'x-oss-acl': 'public-read', 'content-type': 'application/xml' });
    expect(request.body).toContain('<CreateBucketConfiguration><StorageClass>IA</StorageClass><DataRedundancyType>ZRS</DataRedundancyType></CreateBucketConfiguration>');
    expect(putBucket.serialize({ bucket: 'bk1' })).toEqual({ method: 'PUT', bucket: 'bk1', query: {}, headers: {} });
    expect(() => putBucket.serialize({})).toThrow(/no bucket/);
  });

  it('deleteBucket, getBucketLocation and getBucketInfo', async () => {
    expect(deleteBucket.serialize({ bucket: 'bk1' }).method).toBe('DELETE');
    expect(getBucketLocation.serialize({ bucket: 'bk1' }).query).toEqual({ location: '' });
    const location = await getBucketLocation.deserialize(response(200, {}, '<LocationConstraint>oss-cn-beijing</LocationConstraint>'), {});
    expect(location.location).toBe('oss-cn-beijing');
    expect(getBucketInfo.serialize({ bucket: 'bk1' }).query).toEqual({ bucketInfo: '' });
    const info = await getBucketInfo.deserialize(
      response(
        200,
        {},
        `<BucketInfo><Bucket><Name>bk1</Name><Location>oss-cn-hangzhou</Location><CreationDate>2024-01-01T00:00:00.000Z</CreationDate>
         <StorageClass>IA</StorageClass><AccessControlList><Grant>private</Grant></AccessControlList><DataRedundancyType>LRS</DataRedundancyType></Bucket></BucketInfo>`,
      ),
      {},
    );
    expect(info).toMatchObject({ name: 'bk1', location: 'oss-cn-hangzhou', storageClass: 'IA', acl: 'private', dataRedundancyType: 'LRS' });
  });
});
