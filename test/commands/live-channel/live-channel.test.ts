import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as live from '../../../src/commands/live-channel/index.js';
import { presignRtmpUrl, rtmpStringToSign } from '../../../src/handoff/presign-rtmp.js';
import { startHarness, type Harness } from '../../upload/emulator-setup.js';
import { codeOf, response } from '../fixtures.js';

const strip = (xml: string) => xml.replace(/>\s+</g, '><').trim();
const bodyText = (body: unknown) => new TextDecoder().decode(body as Uint8Array);

describe('LiveChannel requests', () => {
  it('PutLiveChannel sends the reference example document on PUT /<channel>?live', () => {
    const request = live.putLiveChannel.serialize({
      bucket: 'test-bucket',
      channel: 'test-channel',
      description: 'test',
      status: 'enabled',
      target: { type: 'HLS', fragDuration: 2, fragCount: 3, playlistName: 'playlist.m3u8' },
      snapshot: { roleName: 'role_for_snapshot', destBucket: 'snapshotdest', notifyTopic: 'snapshotnotify', interval: 1 },
    });
    expect(request).toMatchObject({ method: 'PUT', bucket: 'test-bucket', key: 'test-channel', query: { live: '' } });
    expect(bodyText(request.body)).toBe(
      strip(`<?xml version="1.0" encoding="UTF-8"?>
<LiveChannelConfiguration>
  <Description>test</Description>
  <Status>enabled</Status>
  <Target>
    <Type>HLS</Type>
    <FragDuration>2</FragDuration>
    <FragCount>3</FragCount>
    <PlaylistName>playlist.m3u8</PlaylistName>
  </Target>
  <Snapshot>
    <RoleName>role_for_snapshot</RoleName>
    <DestBucket>snapshotdest</DestBucket>
    <NotifyTopic>snapshotnotify</NotifyTopic>
    <Interval>1</Interval>
  </Snapshot>
</LiveChannelConfiguration>`).replace('?>', '?>\n'),
    );
  });

  it('reads the reference CreateLiveChannelResult, and the other answers', async () => {
    const created = await live.putLiveChannel.deserialize(
      response(200, {}, `<?xml version="1.0" encoding="UTF-8"?>
<CreateLiveChannelResult>
  <PublishUrls><Url>rtmp://test-bucket.oss-cn-hangzhou.aliyuncs.com/live/test-channel</Url></PublishUrls>
  <PlayUrls><Url>http://test-bucket.oss-cn-hangzhou.aliyuncs.com/test-channel/playlist.m3u8</Url></PlayUrls>
</CreateLiveChannelResult>`),
      { channel: 'test-channel' },
    );
    expect(created).toEqual({
      requestId: 'RID',
      publishUrls: ['rtmp://test-bucket.oss-cn-hangzhou.aliyuncs.com/live/test-channel'],
      playUrls: ['http://test-bucket.oss-cn-hangzhou.aliyuncs.com/test-channel/playlist.m3u8'],
    });
    const stat = await live.getLiveChannelStat.deserialize(
      response(200, {}, `<LiveChannelStat><Status>Live</Status><ConnectedTime>2016-08-25T06:25:15.000Z</ConnectedTime>
<RemoteAddr>10.1.2.3:47745</RemoteAddr><Video><Width>1280</Width><Height>536</Height><FrameRate>24</FrameRate><Bandwidth>0</Bandwidth><Codec>H264</Codec></Video>
<Audio><Bandwidth>0</Bandwidth><SampleRate>44100</SampleRate><Codec>ADPCM</Codec></Audio></LiveChannelStat>`),
      { channel: 'c' },
    );
    expect(stat).toMatchObject({
      status: 'Live',
      connectedTime: new Date('2016-08-25T06:25:15.000Z'),
      remoteAddr: '10.1.2.3:47745',
      video: { width: 1280, height: 536, frameRate: 24, bandwidth: 0, codec: 'H264' },
      audio: { bandwidth: 0, sampleRate: 44100, codec: 'ADPCM' },
    });
    const history = await live.getLiveChannelHistory.deserialize(
      response(200, {}, `<LiveChannelHistory><LiveRecord><StartTime>2016-07-30T01:53:21.000Z</StartTime><EndTime>2016-07-30T01:53:31.000Z</EndTime><RemoteAddr>10.101.194.148:56861</RemoteAddr></LiveRecord>
<LiveRecord><StartTime>2016-07-30T01:53:35.000Z</StartTime><EndTime>2016-07-30T01:53:45.000Z</EndTime><RemoteAddr>10.101.194.148:57126</RemoteAddr></LiveRecord></LiveChannelHistory>`),
      { channel: 'c' },
    );
    expect(history.records).toEqual([
      { startTime: new Date('2016-07-30T01:53:21.000Z'), endTime: new Date('2016-07-30T01:53:31.000Z'), remoteAddr: '10.101.194.148:56861' },
      { startTime: new Date('2016-07-30T01:53:35.000Z'), endTime: new Date('2016-07-30T01:53:45.000Z'), remoteAddr: '10.101.194.148:57126' },
    ]);
  });

  it('reads the reference ListLiveChannelResult and LiveChannelConfiguration', async () => {
    const list = await live.listLiveChannels.deserialize(
      response(200, {}, `<ListLiveChannelResult><Prefix></Prefix><Marker></Marker><MaxKeys>1</MaxKeys><IsTruncated>true</IsTruncated>
<NextMarker>channel-0</NextMarker><LiveChannel><Name>channel-0</Name><Description></Description><Status>disabled</Status>
<LastModified>2016-07-30T01:54:21.000Z</LastModified><PublishUrls><Url>rtmp://test-bucket.oss-cn-hangzhou.aliyuncs.com/live/channel-0</Url></PublishUrls>
<PlayUrls><Url>http://test-bucket.oss-cn-hangzhou.aliyuncs.com/channel-0/playlist.m3u8</Url></PlayUrls></LiveChannel></ListLiveChannelResult>`),
      {},
    );
    expect(list).toEqual({
      requestId: 'RID',
      prefix: '',
      marker: '',
      maxKeys: 1,
      isTruncated: true,
      nextMarker: 'channel-0',
      channels: [
        {
          name: 'channel-0',
          description: '',
          status: 'disabled',
          lastModified: new Date('2016-07-30T01:54:21.000Z'),
          publishUrls: ['rtmp://test-bucket.oss-cn-hangzhou.aliyuncs.com/live/channel-0'],
          playUrls: ['http://test-bucket.oss-cn-hangzhou.aliyuncs.com/channel-0/playlist.m3u8'],
        },
      ],
    });
    expect(live.nextListLiveChannels(list, {})).toEqual({ marker: 'channel-0' });
    const info = await live.getLiveChannelInfo.deserialize(
      response(200, {}, `<LiveChannelConfiguration><Description></Description><Status>enabled</Status><Target><Type>HLS</Type>
<FragDuration>2</FragDuration><FragCount>3</FragCount><PlaylistName>playlist.m3u8</PlaylistName></Target></LiveChannelConfiguration>`),
      { channel: 'c' },
    );
    expect(info).toEqual({
      requestId: 'RID',
      description: '',
      status: 'enabled',
      target: { type: 'HLS', fragDuration: 2, fragCount: 3, playlistName: 'playlist.m3u8' },
    });
  });

  it('builds the query of every other operation as the reference names it', () => {
    const b = { bucket: 'b', channel: 'ch' };
    expect(live.putLiveChannelStatus.serialize({ ...b, status: 'disabled' })).toMatchObject({ method: 'PUT', key: 'ch', query: { live: '', status: 'disabled' } });
    expect(live.getLiveChannelInfo.serialize(b)).toMatchObject({ method: 'GET', query: { live: '' } });
    expect(live.getLiveChannelStat.serialize(b).query).toEqual({ live: '', comp: 'stat' });
    expect(live.getLiveChannelHistory.serialize(b).query).toEqual({ live: '', comp: 'history' });
    expect(live.deleteLiveChannel.serialize(b)).toMatchObject({ method: 'DELETE', query: { live: '' } });
    expect(live.listLiveChannels.serialize({ bucket: 'b', prefix: 'p', marker: 'm', maxKeys: 5 })).toEqual({
      method: 'GET',
      bucket: 'b',
      query: { live: '', prefix: 'p', marker: 'm', 'max-keys': '5' },
      headers: {},
    });
    const start = new Date('2024-01-01T00:00:00Z');
    expect(live.getVodPlaylist.serialize({ ...b, startTime: start, endTime: 1704067200 + 60 }).query).toEqual({
      vod: '',
      startTime: '1704067200',
      endTime: '1704067260',
    });
    expect(live.postVodPlaylist.serialize({ ...b, playlistName: 'v.m3u8', startTime: 1, endTime: 2 })).toMatchObject({
      method: 'POST',
      key: 'ch/v.m3u8',
      query: { vod: '', startTime: '1', endTime: '2' },
    });
  });

  it('refuses bad input before sending', () => {
    expect(codeOf(() => live.getLiveChannelInfo.serialize({ bucket: 'b', channel: 'a/b' }))).toBe('InvalidArgument');
    expect(codeOf(() => live.putLiveChannel.serialize({ bucket: 'b', channel: 'c', target: { fragCount: 0 } }))).toBe('InvalidArgument');
    expect(codeOf(() => live.putLiveChannel.serialize({ bucket: 'b', channel: 'c', target: { playlistName: 'x.txt' } }))).toBe('InvalidArgument');
    expect(codeOf(() => live.putLiveChannelStatus.serialize({ bucket: 'b', channel: 'c', status: 'on' as 'enabled' }))).toBe('InvalidArgument');
    expect(codeOf(() => live.getVodPlaylist.serialize({ bucket: 'b', channel: 'c', startTime: 10, endTime: 5 }))).toBe('InvalidArgument');
    expect(codeOf(() => live.getVodPlaylist.serialize({ bucket: 'b', channel: 'c', startTime: 0, endTime: 86401 }))).toBe('InvalidArgument');
    expect(codeOf(() => live.listLiveChannels.serialize({ bucket: 'b', maxKeys: 1001 }))).toBe('InvalidArgument');
  });
});

interface AliOss {
  putChannel(id: string, conf: object): Promise<{ publishUrls: string[]; playUrls: string[] }>;
  getChannel(id: string): Promise<{ data: { Description: string; Status: string; Target: Record<string, string> } }>;
  listChannels(query: object): Promise<{ channels: { Name: string; Status: string }[]; isTruncated: boolean; nextMarker: string | null }>;
  getChannelStatus(id: string): Promise<{ data: { Status: string } }>;
  getRtmpUrl(id: string, options: object): string;
}
const OSS = createRequire(import.meta.url)('ali-oss') as new (options: Record<string, unknown>) => AliOss;

describe('presignRtmpUrl', () => {
  afterEach(() => vi.useRealTimers());
  const credentials = { accessKeyId: 'LTAI-test', accessKeySecret: 'secret+/=key' };

  it('signs the same string and URL as ali-oss getRtmpUrl', async () => {
    const now = new Date('2026-01-02T03:04:05.000Z');
    vi.useFakeTimers({ now, toFake: ['Date'] });
    const ali = new OSS({ region: 'oss-cn-hangzhou', bucket: 'live-bucket', ...credentials });
    const theirs = new URL(ali.getRtmpUrl('cam 1', { expires: 600, params: { playlistName: 'cam.m3u8' } }).replace(/^rtmp:/, 'http:'));
    const ours = await presignRtmpUrl(
      { host: 'oss-cn-hangzhou.aliyuncs.com', style: 'virtual', credentials: async () => credentials, now: () => now },
      { bucket: 'live-bucket', channel: 'cam 1', playlistName: 'cam.m3u8', expires: 600 },
    );
    expect(ours.url.startsWith('rtmp://live-bucket.oss-cn-hangzhou.aliyuncs.com/live/cam%201?playlistName=cam.m3u8&OSSAccessKeyId=')).toBe(true);
    const mine = new URL(ours.url.replace(/^rtmp:/, 'http:'));
    expect(mine.host).toBe(theirs.host);
    expect(decodeURIComponent(mine.pathname)).toBe(decodeURIComponent(theirs.pathname));
    const params = (u: URL) => Object.fromEntries([...u.searchParams].sort());
    expect(params(mine)).toEqual(params(theirs));
    expect(ours.expiration.getTime()).toBe(now.getTime() + 600_000);
    expect(rtmpStringToSign(1, { playlistName: 'x.m3u8', a: 'b' }, 'bk', 'ch')).toBe('1\na:b\nplaylistName:x.m3u8\n/bk/ch');
  });

  it('signs the STS token in and refuses bad input', async () => {
    const config = { host: 'h', style: 'path' as const, credentials: async () => ({ ...credentials, securityToken: 'tok' }), now: () => new Date(0) };
    const { url } = await presignRtmpUrl(config, { bucket: 'bkt', channel: 'c', expires: 10 });
    expect(url.startsWith('rtmp://h/bkt/live/c?security-token=tok&OSSAccessKeyId=LTAI-test&Expires=10&Signature=')).toBe(true);
    await expect(presignRtmpUrl(config, { channel: 'c' })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(presignRtmpUrl(config, { bucket: 'bkt', channel: 'c', playlistName: 'p.txt' })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});

describe('LiveChannel against the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('live-test');
  });
  afterAll(async () => {
    await h.client.close();
    await h.emu.close();
  });

  it('creates, reads, disables, lists (paged), plays back and deletes channels', async () => {
    const created = await h.client.putLiveChannel({ channel: 'cam-1', description: 'front door', target: { fragDuration: 2, playlistName: 'door.m3u8' } });
    expect(created.publishUrls[0]).toMatch(/^rtmp:\/\/live-test\..+\/live\/cam-1$/);
    expect(created.playUrls[0]).toMatch(/\/cam-1\/door\.m3u8$/);
    expect(await h.client.getLiveChannelInfo({ channel: 'cam-1' })).toMatchObject({
      description: 'front door',
      status: 'enabled',
      target: { type: 'HLS', fragDuration: 2, fragCount: 3, playlistName: 'door.m3u8' },
    });
    expect((await h.client.getLiveChannelStat({ channel: 'cam-1' })).status).toBe('Idle');
    await h.client.putLiveChannelStatus({ channel: 'cam-1', status: 'disabled' });
    expect((await h.client.getLiveChannelInfo({ channel: 'cam-1' })).status).toBe('disabled');
    expect((await h.client.getLiveChannelStat({ channel: 'cam-1' })).status).toBe('Disabled');
    expect((await h.client.getLiveChannelHistory({ channel: 'cam-1' })).records).toEqual([]);

    for (const name of ['cam-2', 'cam-3', 'other']) await h.client.putLiveChannel({ channel: name });
    const names: string[] = [];
    for await (const page of h.client.paginateListLiveChannels({ prefix: 'cam-', maxKeys: 2 })) names.push(...page.channels.map((c) => c.name));
    expect(names).toEqual(['cam-1', 'cam-2', 'cam-3']);

    const { playlist } = await h.client.getVodPlaylist({ channel: 'cam-1', startTime: 1000, endTime: 2000 });
    expect(playlist).toMatch(/^#EXTM3U\n[\s\S]*#EXT-X-TARGETDURATION:2\n#EXT-X-ENDLIST\n$/);
    await h.client.postVodPlaylist({ channel: 'cam-1', playlistName: 'vod.m3u8', startTime: 1000, endTime: 2000 });
    expect(await (await h.client.getObject({ key: 'cam-1/vod.m3u8' })).text()).toBe(playlist);

    await h.client.deleteLiveChannel({ channel: 'cam-2' });
    await expect(h.client.getLiveChannelInfo({ channel: 'cam-2' })).rejects.toMatchObject({ status: 404, code: 'NoSuchLiveChannel' });
    await expect(h.client.deleteLiveChannel({ channel: 'cam-2' })).rejects.toMatchObject({ code: 'NoSuchLiveChannel' });
    // Channels are not objects: the bucket listing holds only the VOD playlist.
    expect((await h.client.listObjectsV2({})).contents.map((o) => o.key)).toEqual(['cam-1/vod.m3u8']);
  });

  it('ali-oss creates, reads and lists channels osskit also sees', async () => {
    const ali = new OSS({
      endpoint: `http://localhost:${h.emu.port}`,
      sldEnable: true,
      bucket: h.bucket,
      accessKeyId: h.emu.credentials.accessKeyId,
      accessKeySecret: h.emu.credentials.accessKeySecret,
      region: `oss-${h.emu.region}`,
    });
    const created = await ali.putChannel('ali-cam', { Description: 'from ali', Status: 'enabled', Target: { Type: 'HLS', FragDuration: '4', FragCount: '5', PlaylistName: 'a.m3u8' } });
    expect(created.publishUrls[0]).toMatch(/\/live\/ali-cam$/);
    expect(await h.client.getLiveChannelInfo({ channel: 'ali-cam' })).toMatchObject({
      description: 'from ali',
      target: { fragDuration: 4, fragCount: 5, playlistName: 'a.m3u8' },
    });
    await h.client.putLiveChannel({ channel: 'kit-cam', description: 'from osskit', status: 'disabled' });
    const info = await ali.getChannel('kit-cam');
    expect(info.data).toMatchObject({ Description: 'from osskit', Status: 'disabled', Target: { Type: 'HLS', FragDuration: '5', FragCount: '3', PlaylistName: 'playlist.m3u8' } });
    expect((await ali.getChannelStatus('kit-cam')).data.Status).toBe('Disabled');
    const listed = await ali.listChannels({ prefix: '', 'max-keys': 100 });
    expect(listed.channels.map((c) => c.Name)).toEqual(expect.arrayContaining(['ali-cam', 'kit-cam']));
  });
});
