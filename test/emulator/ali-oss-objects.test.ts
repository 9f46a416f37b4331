/**
 * Interop for the object sub-resources with the official ali-oss client (V1 and V4 signing, path
 * style): what osskit writes ali-oss reads back (object ACL, tags, symlinks, appended data), and what
 * ali-oss writes osskit reads back — both through the emulator.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { OssClient } from '../../src/index.node.js';

/** The slice of the ali-oss client (CommonJS, untyped) these tests call. */
interface AliOss {
  putBucket(name: string): Promise<unknown>;
  put(name: string, body: Buffer, options?: Record<string, unknown>): Promise<{ res: { status: number } }>;
  get(name: string): Promise<{ content: Buffer }>;
  head(name: string): Promise<{ res: { headers: Record<string, string> } }>;
  putACL(name: string, acl: string): Promise<unknown>;
  getACL(name: string): Promise<{ acl: string; owner: { id: string; displayName: string } }>;
  putObjectTagging(name: string, tags: Record<string, string>): Promise<{ status: number }>;
  getObjectTagging(name: string): Promise<{ tag: Record<string, string> }>;
  deleteObjectTagging(name: string): Promise<{ status: number }>;
  putSymlink(name: string, target: string): Promise<unknown>;
  getSymlink(name: string): Promise<{ targetName: string }>;
  append(name: string, body: Buffer, options?: Record<string, unknown>): Promise<{ nextAppendPosition: string }>;
  restore(name: string, options?: Record<string, unknown>): Promise<{ res: { status: number } }>;
  deleteMulti(names: string[]): Promise<unknown>;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

let emu: Emulator;
let client: OssClient;
const BUCKET = 'alioss-objects';

beforeAll(async () => {
  emu = await startEmulator({ restoreDelayMs: 0 });
  client = new OssClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials, bucket: BUCKET });
  await client.putBucket({});
});
afterAll(async () => {
  await client.close();
  await emu.close();
});

function ali(v4: boolean): AliOss {
  return new OSS({
    region: `oss-${emu.region}`,
    accessKeyId: emu.credentials.accessKeyId,
    accessKeySecret: emu.credentials.accessKeySecret,
    bucket: BUCKET,
    authorizationV4: v4,
    endpoint: `http://localhost:${emu.port}`,
    sldEnable: true,
  });
}

describe.each([false, true])('ali-oss authorizationV4=%s', (v4) => {
  const p = v4 ? 'v4/' : 'v1/';

  test('object ACL both ways', async () => {
    const oss = ali(v4);
    await client.putObject({ key: `${p}acl-a.txt`, body: 'a' });
    await client.putObjectAcl({ key: `${p}acl-a.txt`, acl: 'public-read' });
    const read = await oss.getACL(`${p}acl-a.txt`);
    expect(read.acl).toBe('public-read');
    const ours = await client.getObjectAcl({ key: `${p}acl-a.txt` });
    expect(read.owner).toEqual(ours.owner);

    await oss.put(`${p}acl-b.txt`, Buffer.from('b'));
    await oss.putACL(`${p}acl-b.txt`, 'private');
    expect((await client.getObjectAcl({ key: `${p}acl-b.txt` })).acl).toBe('private');
  });

  test('object tagging both ways, and x-oss-tagging on put', async () => {
    const oss = ali(v4);
    const tags = { project: 'demo', 'with space': 'a+b=c:d/e_f.g-h' };
    await client.putObject({ key: `${p}tag-a.txt`, body: 'a', tagging: { first: '1' } });
    expect((await oss.getObjectTagging(`${p}tag-a.txt`)).tag).toEqual({ first: '1' });
    await client.putObjectTagging({ key: `${p}tag-a.txt`, tags });
    expect((await oss.getObjectTagging(`${p}tag-a.txt`)).tag).toEqual(tags);
    expect((await oss.head(`${p}tag-a.txt`)).res.headers['x-oss-tagging-count']).toBe('2');

    await oss.put(`${p}tag-b.txt`, Buffer.from('b'));
    await oss.putObjectTagging(`${p}tag-b.txt`, tags);
    expect((await client.getObjectTagging({ key: `${p}tag-b.txt` })).tags).toEqual(tags);
    await oss.deleteObjectTagging(`${p}tag-b.txt`);
    expect((await client.getObjectTagging({ key: `${p}tag-b.txt` })).tags).toEqual({});
    expect((await oss.get(`${p}tag-b.txt`)).content.toString()).toBe('b');
  });

  test('symlinks both ways, with awkward target names', async () => {
    const oss = ali(v4);
    const target = `${p}dir/target a+b 中.txt`;
    await client.putObject({ key: target, body: 'target body' });
    await client.putSymlink({ key: `${p}link-a`, target });
    expect((await oss.getSymlink(`${p}link-a`)).targetName).toBe(target);
    expect((await oss.get(`${p}link-a`)).content.toString()).toBe('target body');

    await oss.putSymlink(`${p}link-b`, target);
    expect((await client.getSymlink({ key: `${p}link-b` })).target).toBe(target);
    expect(await (await client.getObject({ key: `${p}link-b` })).text()).toBe('target body');
  });

  test('append both ways: positions and bytes agree', async () => {
    const oss = ali(v4);
    const first = await oss.append(`${p}log.txt`, Buffer.from('one,'));
    expect(first.nextAppendPosition).toBe('4');
    const second = await client.appendObject({ key: `${p}log.txt`, position: 4, body: 'two,' });
    const third = await oss.append(`${p}log.txt`, Buffer.from('three'), { position: String(second.nextAppendPosition) });
    expect(third.nextAppendPosition).toBe('13');
    expect(await (await client.getObject({ key: `${p}log.txt` })).text()).toBe('one,two,three');
  });

  test('restore of an Archive object written by osskit', async () => {
    const oss = ali(v4);
    await client.putObject({ key: `${p}archived.bin`, body: 'cold', headers: { 'x-oss-storage-class': 'Archive' } });
    expect((await oss.restore(`${p}archived.bin`)).res.status).toBe(202);
    for (;;) {
      const head = await client.headObject({ key: `${p}archived.bin` });
      if (head.restore && !head.restore.ongoing) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect((await oss.get(`${p}archived.bin`)).content.toString()).toBe('cold');
  });

  test('deleteMulti with `%` keys deletes exactly those keys', async () => {
    const oss = ali(v4);
    const keys = [`${p}a%2Fb`, `${p}100%`];
    for (const key of [...keys, `${p}a/b`]) await client.putObject({ key, body: key });
    await oss.deleteMulti(keys);
    const left = (await client.listObjectsV2({ prefix: p })).contents.map((c) => c.key);
    expect(left).toContain(`${p}a/b`);
    for (const key of keys) expect(left).not.toContain(key);
  });
});
