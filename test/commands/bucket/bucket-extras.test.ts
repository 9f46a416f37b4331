/**
 * Bucket ACL, statistics, full BucketInfo, and the rich website / lifecycle / referer documents:
 * request shapes, the reference's example documents read and written back, and the emulator.
 */
import { XMLParser } from 'fast-xml-parser';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBucketAcl, putBucketAcl } from '../../../src/commands/bucket/bucket-acl.js';
import { getBucketInfo } from '../../../src/commands/bucket/get-bucket-info.js';
import { getBucketStat } from '../../../src/commands/bucket/get-bucket-stat.js';
import { bucketLifecycle, bucketReferer, bucketWebsite, type SubresourceCommands } from '../../../src/commands/bucket/subresources.js';
import { startHarness, type Harness } from '../../upload/emulator-setup.js';
import { codeOf, response } from '../fixtures.js';

const tree = (xml: string) => new XMLParser({ parseTagValue: false, trimValues: true, ignoreDeclaration: true }).parse(xml) as unknown;

/** Reads `example` with the GET side of a row, writes it back with the PUT side: the same document tree. */
async function sameDocument<C extends object>(commands: SubresourceCommands<C>, example: string): Promise<C> {
  const { requestId: _id, ...config } = await commands.get.deserialize(response(200, {}, example), { bucket: 'bk1' });
  const put = commands.put.serialize({ bucket: 'bk1', ...(config as unknown as C) });
  expect(tree(new TextDecoder().decode(put.body as Uint8Array))).toEqual(tree(example));
  return config as unknown as C;
}

// Modelled on the PutBucketWebsite examples of the OSS API reference (mirroring, AliCDN and External rules).
const WEBSITE_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<WebsiteConfiguration>
  <IndexDocument><Suffix>index.html</Suffix><SupportSubDir>true</SupportSubDir><Type>0</Type></IndexDocument>
  <ErrorDocument><Key>error.html</Key><HttpStatus>404</HttpStatus></ErrorDocument>
  <RoutingRules>
    <RoutingRule>
      <RuleNumber>1</RuleNumber>
      <Condition><KeyPrefixEquals>abc/</KeyPrefixEquals><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition>
      <Redirect>
        <RedirectType>Mirror</RedirectType>
        <PassQueryString>true</PassQueryString>
        <MirrorURL>http://example.com/</MirrorURL>
        <MirrorPassQueryString>true</MirrorPassQueryString>
        <MirrorFollowRedirect>true</MirrorFollowRedirect>
        <MirrorCheckMd5>false</MirrorCheckMd5>
        <MirrorHeaders>
          <PassAll>true</PassAll>
          <Pass>myheader-key1</Pass><Pass>myheader-key2</Pass>
          <Remove>myheader-key3</Remove><Remove>myheader-key4</Remove>
          <Set><Key>myheader-key5</Key><Value>myheader-value5</Value></Set>
        </MirrorHeaders>
      </Redirect>
    </RoutingRule>
    <RoutingRule>
      <RuleNumber>2</RuleNumber>
      <Condition>
        <KeyPrefixEquals>abc/</KeyPrefixEquals>
        <HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals>
        <IncludeHeader><Key>host</Key><Equals>test.oss-cn-beijing-internal.aliyuncs.com</Equals></IncludeHeader>
      </Condition>
      <Redirect>
        <RedirectType>AliCDN</RedirectType>
        <Protocol>http</Protocol>
        <HostName>example.com</HostName>
        <PassQueryString>false</PassQueryString>
        <ReplaceKeyWith>prefix/\${key}.suffix</ReplaceKeyWith>
        <HttpRedirectCode>301</HttpRedirectCode>
      </Redirect>
    </RoutingRule>
    <RoutingRule>
      <Condition><HttpErrorCodeReturnedEquals>404</HttpErrorCodeReturnedEquals></Condition>
      <RuleNumber>3</RuleNumber>
      <Redirect>
        <ReplaceKeyPrefixWith>def/</ReplaceKeyPrefixWith>
        <HttpRedirectCode>302</HttpRedirectCode>
        <EnableReplacePrefix>true</EnableReplacePrefix>
        <PassQueryString>false</PassQueryString>
        <Protocol>https</Protocol>
        <HostName>example.com</HostName>
        <RedirectType>External</RedirectType>
      </Redirect>
    </RoutingRule>
  </RoutingRules>
</WebsiteConfiguration>`;

// Modelled on the PutBucketLifecycle examples of the OSS API reference.
const LIFECYCLE_EXAMPLE = `<?xml version="1.0" encoding="UTF-8"?>
<LifecycleConfiguration>
  <Rule>
    <ID>delete objects and parts after one day</ID>
    <Prefix>tmp/</Prefix>
    <Status>Enabled</Status>
    <Expiration><Days>1</Days></Expiration>
    <AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>
  </Rule>
  <Rule>
    <ID>transit by age</ID>
    <Prefix>log/</Prefix>
    <Status>Enabled</Status>
    <Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>
    <Transition><Days>60</Days><StorageClass>Archive</StorageClass></Transition>
    <Expiration><Days>3600</Days></Expiration>
  </Rule>
  <Rule>
    <ID>tagged and dated</ID>
    <Prefix>data/</Prefix>
    <Status>Disabled</Status>
    <Tag><Key>key1</Key><Value>value1</Value></Tag>
    <Tag><Key>key2</Key><Value>value2</Value></Tag>
    <Expiration><CreatedBeforeDate>2023-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration>
    <AbortMultipartUpload><CreatedBeforeDate>2023-01-01T00:00:00.000Z</CreatedBeforeDate></AbortMultipartUpload>
  </Rule>
  <Rule>
    <ID>versions</ID>
    <Prefix></Prefix>
    <Status>Enabled</Status>
    <Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>
    <NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration>
    <NoncurrentVersionTransition><NoncurrentDays>10</NoncurrentDays><StorageClass>IA</StorageClass></NoncurrentVersionTransition>
    <NoncurrentVersionTransition><NoncurrentDays>20</NoncurrentDays><StorageClass>ColdArchive</StorageClass></NoncurrentVersionTransition>
  </Rule>
  <Rule>
    <ID>access time, filter</ID>
    <Prefix>logs/</Prefix>
    <Status>Enabled</Status>
    <Filter>
      <Not><Prefix>logs/keep</Prefix><Tag><Key>keep</Key><Value>yes</Value></Tag></Not>
      <ObjectSizeGreaterThan>500</ObjectSizeGreaterThan>
      <ObjectSizeLessThan>64000</ObjectSizeLessThan>
    </Filter>
    <Transition><Days>30</Days><StorageClass>IA</StorageClass><IsAccessTime>true</IsAccessTime><ReturnToStdWhenVisit>true</ReturnToStdWhenVisit><AllowSmallFile>false</AllowSmallFile></Transition>
    <AtimeBase>1631698332</AtimeBase>
  </Rule>
</LifecycleConfiguration>`;

describe('website, lifecycle and referer documents', () => {
  it('reads and rewrites the reference website example, every routing field typed', async () => {
    const website = await sameDocument(bucketWebsite, WEBSITE_EXAMPLE);
    expect(website.indexDocument).toEqual({ suffix: 'index.html', supportSubDir: true, type: 0 });
    expect(website.errorDocument).toEqual({ key: 'error.html', httpStatus: 404 });
    expect(website.routingRules).toHaveLength(3);
    expect(website.routingRules![0]).toEqual({
      ruleNumber: 1,
      condition: { keyPrefixEquals: 'abc/', httpErrorCodeReturnedEquals: 404 },
      redirect: {
        redirectType: 'Mirror',
        passQueryString: true,
        mirrorURL: 'http://example.com/',
        mirrorPassQueryString: true,
        mirrorFollowRedirect: true,
        mirrorCheckMd5: false,
        mirrorHeaders: { passAll: true, pass: ['myheader-key1', 'myheader-key2'], remove: ['myheader-key3', 'myheader-key4'], set: [{ key: 'myheader-key5', value: 'myheader-value5' }] },
      },
    });
    expect(website.routingRules![1]!.condition.includeHeaders).toEqual([{ key: 'host', equals: 'test.oss-cn-beijing-internal.aliyuncs.com' }]);
    expect(website.routingRules![1]!.redirect).toMatchObject({ redirectType: 'AliCDN', replaceKeyWith: 'prefix/${key}.suffix', httpRedirectCode: 301 });
    expect(website.routingRules![2]!.redirect).toMatchObject({ redirectType: 'External', replaceKeyPrefixWith: 'def/', enableReplacePrefix: true, protocol: 'https' });
  });

  it('reads and rewrites the reference lifecycle example: transitions, tags, dates, versions, filters', async () => {
    const { rules } = await sameDocument(bucketLifecycle, LIFECYCLE_EXAMPLE);
    expect(rules.map((r) => r.id)).toEqual(['delete objects and parts after one day', 'transit by age', 'tagged and dated', 'versions', 'access time, filter']);
    expect(rules[1]!.transitions).toEqual([
      { days: 30, storageClass: 'IA' },
      { days: 60, storageClass: 'Archive' },
    ]);
    expect(rules[2]).toMatchObject({
      status: 'Disabled',
      tags: [
        { key: 'key1', value: 'value1' },
        { key: 'key2', value: 'value2' },
      ],
      expiration: { createdBeforeDate: '2023-01-01T00:00:00.000Z' },
    });
    expect(rules[3]).toMatchObject({ prefix: '', expiration: { expiredObjectDeleteMarker: true }, noncurrentVersionExpiration: { noncurrentDays: 5 } });
    expect(rules[3]!.noncurrentVersionTransitions).toEqual([
      { noncurrentDays: 10, storageClass: 'IA' },
      { noncurrentDays: 20, storageClass: 'ColdArchive' },
    ]);
    expect(rules[4]).toMatchObject({
      filter: { not: [{ prefix: 'logs/keep', tag: { key: 'keep', value: 'yes' } }], objectSizeGreaterThan: 500, objectSizeLessThan: 64000 },
      transitions: [{ days: 30, storageClass: 'IA', isAccessTime: true, returnToStdWhenVisit: true, allowSmallFile: false }],
      atimeBase: 1631698332,
    });
  });

  it('writes the referer document with lists, blacklist and truncation flags', async () => {
    const put = bucketReferer.put.serialize({
      bucket: 'bk1',
      allowEmptyReferer: false,
      allowTruncateQueryString: true,
      truncatePath: true,
      refererList: ['http://www.aliyun.com', 'https://*.example.com'],
      refererBlacklist: ['http://evil.example'],
    });
    expect(new TextDecoder().decode(put.body as Uint8Array)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<RefererConfiguration><AllowEmptyReferer>false</AllowEmptyReferer>' +
        '<AllowTruncateQueryString>true</AllowTruncateQueryString><TruncatePath>true</TruncatePath>' +
        '<RefererList><Referer>http://www.aliyun.com</Referer><Referer>https://*.example.com</Referer></RefererList>' +
        '<RefererBlacklist><Referer>http://evil.example</Referer></RefererBlacklist></RefererConfiguration>',
    );
    // An empty list is still sent (OSS needs the element), and read back as [].
    const empty = await sameDocument(bucketReferer, '<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList></RefererList></RefererConfiguration>');
    expect(empty).toEqual({ allowEmptyReferer: true, refererList: [] });
  });
});

describe('bucket ACL, stat and info commands', () => {
  it('PutBucketAcl sends x-oss-acl on ?acl and refuses unknown ACLs; GetBucketAcl reads AccessControlPolicy', async () => {
    expect(putBucketAcl.serialize({ bucket: 'bk1', acl: 'public-read' })).toEqual({
      method: 'PUT',
      bucket: 'bk1',
      query: { acl: '' },
      headers: { 'x-oss-acl': 'public-read' },
    });
    expect(codeOf(() => putBucketAcl.serialize({ bucket: 'bk1', acl: 'default' as 'private' }))).toBe('InvalidArgument');
    const acl = await getBucketAcl.deserialize(
      response(200, {}, '<AccessControlPolicy><Owner><ID>0022012****</ID><DisplayName>user_example</DisplayName></Owner><AccessControlList><Grant>public-read</Grant></AccessControlList></AccessControlPolicy>'),
      {},
    );
    expect(acl).toEqual({ requestId: 'RID', acl: 'public-read', owner: { id: '0022012****', displayName: 'user_example' } });
  });

  it('GetBucketStat reads every counter of the reference example', async () => {
    expect(getBucketStat.serialize({ bucket: 'bk1' }).query).toEqual({ stat: '' });
    const stat = await getBucketStat.deserialize(
      response(200, {}, `<BucketStat><Storage>1600</Storage><ObjectCount>230</ObjectCount><MultipartUploadCount>40</MultipartUploadCount>
<LiveChannelCount>4</LiveChannelCount><LastModifiedTime>1643341269</LastModifiedTime><StandardStorage>430</StandardStorage>
<StandardObjectCount>66</StandardObjectCount><InfrequentAccessStorage>2359296</InfrequentAccessStorage><InfrequentAccessRealStorage>360</InfrequentAccessRealStorage>
<InfrequentAccessObjectCount>54</InfrequentAccessObjectCount><ArchiveStorage>2949120</ArchiveStorage><ArchiveRealStorage>450</ArchiveRealStorage>
<ArchiveObjectCount>74</ArchiveObjectCount><ColdArchiveStorage>2359296</ColdArchiveStorage><ColdArchiveRealStorage>360</ColdArchiveRealStorage>
<ColdArchiveObjectCount>36</ColdArchiveObjectCount></BucketStat>`),
      {},
    );
    expect(stat).toMatchObject({
      storage: 1600,
      objectCount: 230,
      multipartUploadCount: 40,
      liveChannelCount: 4,
      lastModifiedTime: 1643341269,
      standardStorage: 430,
      standardObjectCount: 66,
      infrequentAccessStorage: 2359296,
      infrequentAccessRealStorage: 360,
      infrequentAccessObjectCount: 54,
      archiveStorage: 2949120,
      archiveRealStorage: 450,
      archiveObjectCount: 74,
      coldArchiveStorage: 2359296,
      coldArchiveRealStorage: 360,
      coldArchiveObjectCount: 36,
      deepColdArchiveStorage: 0,
    });
  });

  it('GetBucketInfo reads every field of the reference example, None as unset', async () => {
    const info = await getBucketInfo.deserialize(
      response(200, {}, `<BucketInfo><Bucket>
<AccessMonitor>Enabled</AccessMonitor><CreationDate>2013-07-31T10:56:21.000Z</CreationDate>
<ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint><IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint>
<Location>oss-cn-hangzhou</Location><StorageClass>Standard</StorageClass><TransferAcceleration>Disabled</TransferAcceleration>
<CrossRegionReplication>Disabled</CrossRegionReplication><Name>oss-example</Name><ResourceGroupId>rg-aek27tc****</ResourceGroupId>
<Owner><DisplayName>username</DisplayName><ID>27183473914****</ID></Owner>
<AccessControlList><Grant>private</Grant></AccessControlList><Comment>test</Comment>
<DataRedundancyType>LRS</DataRedundancyType><Versioning>Enabled</Versioning>
<ServerSideEncryptionRule><SSEAlgorithm>KMS</SSEAlgorithm><KMSMasterKeyID>key-1</KMSMasterKeyID><KMSDataEncryption>SM4</KMSDataEncryption></ServerSideEncryptionRule>
<BucketPolicy><LogBucket>examplebucket</LogBucket><LogPrefix>log/</LogPrefix></BucketPolicy>
</Bucket></BucketInfo>`),
      {},
    );
    expect(info).toEqual({
      requestId: 'RID',
      name: 'oss-example',
      location: 'oss-cn-hangzhou',
      creationDate: new Date('2013-07-31T10:56:21.000Z'),
      storageClass: 'Standard',
      acl: 'private',
      extranetEndpoint: 'oss-cn-hangzhou.aliyuncs.com',
      intranetEndpoint: 'oss-cn-hangzhou-internal.aliyuncs.com',
      dataRedundancyType: 'LRS',
      accessMonitor: 'Enabled',
      versioning: 'Enabled',
      crossRegionReplication: 'Disabled',
      transferAcceleration: 'Disabled',
      resourceGroupId: 'rg-aek27tc****',
      comment: 'test',
      owner: { id: '27183473914****', displayName: 'username' },
      serverSideEncryptionRule: { sseAlgorithm: 'KMS', kmsMasterKeyId: 'key-1', kmsDataEncryption: 'SM4' },
      bucketPolicy: { logBucket: 'examplebucket', logPrefix: 'log/' },
    });
    const none = await getBucketInfo.deserialize(
      response(200, {}, '<BucketInfo><Bucket><Name>b</Name><ServerSideEncryptionRule><SSEAlgorithm>None</SSEAlgorithm></ServerSideEncryptionRule></Bucket></BucketInfo>'),
      {},
    );
    expect(none.serverSideEncryptionRule).toEqual({});
  });
});

interface AliOss {
  putBucketACL(name: string, acl: string): Promise<unknown>;
  getBucketACL(name: string): Promise<{ acl: string; owner: { id: string } }>;
  putBucketLifecycle(name: string, rules: object[]): Promise<unknown>;
  getBucketLifecycle(name: string): Promise<{ rules: Record<string, unknown>[] }>;
  putBucketWebsite(name: string, config: object): Promise<unknown>;
  getBucketWebsite(name: string): Promise<{ index: string; error: string | null; supportSubDir: string; routingRules: Record<string, unknown>[] }>;
  putBucketReferer(name: string, allowEmpty: boolean, referers: string[]): Promise<unknown>;
  getBucketReferer(name: string): Promise<{ allowEmpty: boolean; referers: string[] | null }>;
  getBucketStat(name: string): Promise<{ stat: Record<string, string> }>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

describe('bucket extras against the emulator', () => {
  let h: Harness;
  let ali: AliOss;
  beforeAll(async () => {
    h = await startHarness('bucket-extras');
    ali = new OSS({
      endpoint: `http://localhost:${h.emu.port}`,
      sldEnable: true,
      bucket: h.bucket,
      region: `oss-${h.emu.region}`,
      accessKeyId: h.emu.credentials.accessKeyId,
      accessKeySecret: h.emu.credentials.accessKeySecret,
    });
  });
  afterAll(async () => {
    await h.client.close();
    await h.emu.close();
  });

  it('bucket ACL: osskit writes, ali-oss reads, and back', async () => {
    expect((await h.client.getBucketAcl()).acl).toBe('private');
    await h.client.putBucketAcl({ acl: 'public-read' });
    expect((await ali.getBucketACL(h.bucket)).acl).toBe('public-read');
    await ali.putBucketACL(h.bucket, 'public-read-write');
    const acl = await h.client.getBucketAcl();
    expect(acl.acl).toBe('public-read-write');
    expect(acl.owner.id).not.toBe('');
    await h.client.putBucketAcl({ acl: 'private' });
  });

  it('lifecycle: each client reads what the other wrote', async () => {
    await h.client.putBucketLifecycle({
      rules: [
        { id: 'r1', prefix: 'logs/', status: 'Enabled', transitions: [{ days: 30, storageClass: 'IA' }], expiration: { days: 90 }, tags: [{ key: 'k', value: 'v' }] },
        { id: 'r2', prefix: 'tmp/', status: 'Disabled', abortMultipartUpload: { days: 3 } },
      ],
    });
    const seen = (await ali.getBucketLifecycle(h.bucket)).rules;
    // ali-oss gives a single Transition as an object, not a list.
    expect(seen).toEqual([
      { id: 'r1', prefix: 'logs/', status: 'Enabled', tag: [{ key: 'k', value: 'v' }], expiration: { days: '90' }, transition: { days: '30', storageClass: 'IA' } },
      { id: 'r2', prefix: 'tmp/', status: 'Disabled', abortMultipartUpload: { days: '3' } },
    ].map((rule) => expect.objectContaining(rule)));
    await ali.putBucketLifecycle(h.bucket, [
      { id: 'ali', prefix: 'a/', status: 'Enabled', expiration: { createdBeforeDate: '2030-01-01T00:00:00.000Z' }, transition: { days: 10, storageClass: 'Archive' } },
    ]);
    expect((await h.client.getBucketLifecycle()).rules).toEqual([
      { id: 'ali', prefix: 'a/', status: 'Enabled', expiration: { createdBeforeDate: '2030-01-01T00:00:00.000Z' }, transitions: [{ days: 10, storageClass: 'Archive' }] },
    ]);
  });

  it('website: each client reads what the other wrote, routing rules included', async () => {
    await h.client.putBucketWebsite({
      indexDocument: { suffix: 'home.html', supportSubDir: true, type: 1 },
      errorDocument: { key: '404.html', httpStatus: 404 },
      routingRules: [
        { ruleNumber: 1, condition: { keyPrefixEquals: 'old/' }, redirect: { redirectType: 'External', hostName: 'example.com', replaceKeyPrefixWith: 'new/', httpRedirectCode: 301 } },
      ],
    });
    const seen = await ali.getBucketWebsite(h.bucket);
    expect(seen).toMatchObject({ index: 'home.html', error: '404.html', supportSubDir: 'true' });
    expect(seen.routingRules).toEqual([
      { RuleNumber: '1', Condition: { KeyPrefixEquals: 'old/' }, Redirect: { RedirectType: 'External', HostName: 'example.com', ReplaceKeyPrefixWith: 'new/', HttpRedirectCode: '301' } },
    ]);
    await ali.putBucketWebsite(h.bucket, {
      index: 'i.html',
      error: 'e.html',
      routingRules: [{ RuleNumber: 2, Condition: { HttpErrorCodeReturnedEquals: 404 }, Redirect: { RedirectType: 'Mirror', MirrorURL: 'https://origin.example/' } }],
    });
    expect(await h.client.getBucketWebsite()).toMatchObject({
      indexDocument: { suffix: 'i.html' },
      errorDocument: { key: 'e.html' },
      routingRules: [{ ruleNumber: 2, condition: { httpErrorCodeReturnedEquals: 404 }, redirect: { redirectType: 'Mirror', mirrorURL: 'https://origin.example/' } }],
    });
  });

  it('referer: each client reads what the other wrote', async () => {
    await h.client.putBucketReferer({ allowEmptyReferer: false, refererList: ['https://*.example.com', 'http://a.example'] });
    expect(await ali.getBucketReferer(h.bucket)).toMatchObject({ allowEmpty: false, referers: ['https://*.example.com', 'http://a.example'] });
    await ali.putBucketReferer(h.bucket, true, ['http://b.example']);
    expect(await h.client.getBucketReferer()).toMatchObject({ allowEmptyReferer: true, refererList: ['http://b.example'] });
  });

  it('GetBucketStat counts objects per class, uploads, parts and channels (ali-oss agrees)', async () => {
    await h.client.putObject({ key: 'stat/a.txt', body: 'x'.repeat(100) });
    await h.client.putObject({ key: 'stat/b.txt', body: 'y'.repeat(10), headers: { 'x-oss-storage-class': 'IA' } });
    const upload = await h.client.initiateMultipartUpload({ key: 'stat/big.bin' });
    await h.client.uploadPart({ key: 'stat/big.bin', uploadId: upload.uploadId, partNumber: 1, body: 'z'.repeat(7) });
    await h.client.putLiveChannel({ channel: 'stat-cam' });
    const stat = await h.client.getBucketStat();
    expect(stat).toMatchObject({
      objectCount: 2,
      standardObjectCount: 1,
      standardStorage: 100,
      infrequentAccessObjectCount: 1,
      infrequentAccessRealStorage: 10,
      infrequentAccessStorage: 64 * 1024,
      multipartUploadCount: 1,
      multipartPartCount: 1,
      liveChannelCount: 1,
      storage: 117,
    });
    expect(stat.lastModifiedTime).toBeGreaterThan(0);
    expect((await ali.getBucketStat(h.bucket)).stat).toMatchObject({ ObjectCount: '2', LiveChannelCount: '1', StandardStorage: '100' });
    await h.client.abortMultipartUpload({ key: 'stat/big.bin', uploadId: upload.uploadId });
  });

  it('refuses configurations OSS refuses, leaving the stored one unchanged', async () => {
    await h.client.putBucketLifecycle({ rules: [{ id: 'keep', status: 'Enabled', expiration: { days: 5 } }] });
    const refused = async (promise: Promise<unknown>) => ((await promise.catch((e: unknown) => e)) as { code?: string }).code;
    expect(await refused(h.client.putBucketLifecycle({ rules: [{ id: 'no action', status: 'Enabled' }] }))).toBe('InvalidArgument');
    expect(
      await refused(h.client.putBucketLifecycle({ rules: [{ status: 'Enabled', transitions: [{ days: 1, storageClass: 'Standard' as 'IA' }] }] })),
    ).toBe('InvalidArgument');
    expect(await refused(h.client.putBucketLifecycle({ rules: [{ status: 'On' as 'Enabled', expiration: { days: 1 } }] }))).toBe('MalformedXML');
    expect((await h.client.getBucketLifecycle()).rules).toEqual([{ id: 'keep', status: 'Enabled', expiration: { days: 5 } }]);
    expect(await refused(h.client.putBucketWebsite({}))).toBe('MalformedXML');
    expect(
      await refused(h.client.putBucketWebsite({ routingRules: [{ ruleNumber: 1, condition: {}, redirect: { redirectType: 'Mirror' } }] })),
    ).toBe('InvalidArgument');
  });

  it('GetBucketInfo reflects the stored versioning, encryption and logging configurations', async () => {
    const before = await h.client.getBucketInfo();
    expect(before).toMatchObject({ name: h.bucket, acl: 'private', accessMonitor: 'Disabled', serverSideEncryptionRule: {}, bucketPolicy: {} });
    expect(before.versioning).toBeUndefined();
    await h.client.putBucketVersioning({ status: 'Enabled' });
    await h.client.putBucketEncryption({ algorithm: 'KMS', kmsMasterKeyId: 'kms-key' });
    await h.client.putBucketLogging({ targetBucket: h.bucket, targetPrefix: 'access/' });
    const after = await h.client.getBucketInfo();
    expect(after).toMatchObject({
      versioning: 'Enabled',
      serverSideEncryptionRule: { sseAlgorithm: 'KMS', kmsMasterKeyId: 'kms-key' },
      bucketPolicy: { logBucket: h.bucket, logPrefix: 'access/' },
      dataRedundancyType: 'LRS',
      transferAcceleration: 'Disabled',
      crossRegionReplication: 'Disabled',
      resourceGroupId: 'rg-default',
    });
  });
});
