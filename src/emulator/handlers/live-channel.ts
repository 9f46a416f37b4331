/**
 * LiveChannel operations. The emulator keeps each channel's configuration, status and push history
 * (stored as JSON beside the bucket's configurations, so a data directory keeps them too) but
 * takes no RTMP ingest: a channel is always `Idle` (or `Disabled`), its history stays empty and VOD
 * playlists list no fragments.
 */
import type { BucketRecord, EmulatorEnv, EmulatorRequest, Handler } from '../context.js';
import type { RouteInput, RouteRow } from './index.js';
import { EmulatorError } from '../context.js';
import { childText, children, parseXml, type ParsedXml } from '../xml.js';
import { compareKeys } from '../storage.js';
import { etagOf, malformedXml, requireBucket, xmlResponse } from './common.js';
import { crc64 } from '../../integrity/crc64.js';

/** The bucket configuration slot the channels live in (not a query sub-resource). */
const SLOT = 'liveChannels';

interface Channel {
  name: string;
  description: string;
  status: 'enabled' | 'disabled';
  target: { type: string; fragDuration: number; fragCount: number; playlistName: string };
  snapshot?: { roleName: string; destBucket: string; notifyTopic: string; interval: number };
  lastModified: string;
  history: { startTime: string; endTime: string; remoteAddr: string }[];
}

function load(bucket: BucketRecord): Record<string, Channel> {
  const json = bucket.configs.get(SLOT);
  return json ? (JSON.parse(json) as Record<string, Channel>) : {};
}

function save(env: EmulatorEnv, bucket: BucketRecord, channels: Record<string, Channel>): void {
  env.storage.setBucketConfig(bucket.name, SLOT, Object.keys(channels).length ? JSON.stringify(channels) : undefined);
}

/** How many channels a bucket has (GetBucketStat's LiveChannelCount). */
export function liveChannelCount(bucket: BucketRecord): number {
  return Object.keys(load(bucket)).length;
}

function noSuchChannel(name: string): EmulatorError {
  return new EmulatorError(404, 'NoSuchLiveChannel', 'The specified live channel does not exist.', { LiveChannel: name });
}

function invalidArgument(message: string, name: string, value: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value });
}

function requireChannel(request: EmulatorRequest, env: EmulatorEnv): { bucket: BucketRecord; channels: Record<string, Channel>; channel: Channel } {
  const bucket = requireBucket(request, env);
  const channels = load(bucket);
  const name = request.key ?? '';
  const channel = Object.prototype.hasOwnProperty.call(channels, name) ? channels[name] : undefined;
  if (!channel) throw noSuchChannel(name);
  return { bucket, channels, channel };
}

function urls(env: EmulatorEnv, bucket: string, channel: Channel) {
  const host = new URL(env.endpoint || 'http://localhost').host;
  return {
    PublishUrls: { Url: `rtmp://${bucket}.${host}/live/${channel.name}` },
    PlayUrls: { Url: `http://${bucket}.${host}/${channel.name}/${channel.target.playlistName}` },
  };
}

function bounded(node: ParsedXml | undefined, tag: string, fallback: number): number {
  const text = childText(node, tag);
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 100) throw invalidArgument(`${tag} must be from 1 to 100.`, tag, text);
  return value;
}

const putLiveChannel: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const name = request.key ?? '';
  if (name.includes('/')) throw invalidArgument('The live channel name may not contain /.', 'LiveChannelName', name);
  const root = parseXml(new TextDecoder().decode(await request.body()))?.['LiveChannelConfiguration'];
  if (root === undefined || Array.isArray(root)) throw malformedXml();
  const status = childText(root, 'Status') || 'enabled';
  if (status !== 'enabled' && status !== 'disabled') throw invalidArgument('Status must be enabled or disabled.', 'Status', status);
  const target = children(root, 'Target')[0];
  const type = childText(target, 'Type') || 'HLS';
  if (type !== 'HLS') throw invalidArgument('Only HLS is supported.', 'Type', type);
  const playlistName = childText(target, 'PlaylistName') || 'playlist.m3u8';
  if (!playlistName.endsWith('.m3u8')) throw invalidArgument('PlaylistName must end with .m3u8.', 'PlaylistName', playlistName);
  const snapshotNode = children(root, 'Snapshot')[0];
  const channels = load(bucket);
  const channel: Channel = {
    name,
    description: childText(root, 'Description') ?? '',
    status,
    target: { type, fragDuration: bounded(target, 'FragDuration', 5), fragCount: bounded(target, 'FragCount', 3), playlistName },
    lastModified: env.now().toISOString(),
    history: channels[name]?.history ?? [],
  };
  if (snapshotNode !== undefined) {
    channel.snapshot = {
      roleName: childText(snapshotNode, 'RoleName') ?? '',
      destBucket: childText(snapshotNode, 'DestBucket') ?? '',
      notifyTopic: childText(snapshotNode, 'NotifyTopic') ?? '',
      interval: bounded(snapshotNode, 'Interval', 1),
    };
  }
  channels[name] = channel;
  save(env, bucket, channels);
  return xmlResponse('CreateLiveChannelResult', urls(env, bucket.name, channel));
};

const putLiveChannelStatus: Handler = async (request, env) => {
  const { bucket, channels, channel } = requireChannel(request, env);
  const status = request.query['status'] ?? '';
  if (status !== 'enabled' && status !== 'disabled') throw invalidArgument('Status must be enabled or disabled.', 'status', status);
  channel.status = status;
  save(env, bucket, channels);
  return { status: 200 };
};

const getLiveChannelInfo: Handler = async (request, env) => {
  const { channel } = requireChannel(request, env);
  return xmlResponse('LiveChannelConfiguration', {
    Description: channel.description,
    Status: channel.status,
    Target: {
      Type: channel.target.type,
      FragDuration: channel.target.fragDuration,
      FragCount: channel.target.fragCount,
      PlaylistName: channel.target.playlistName,
    },
    Snapshot: channel.snapshot && {
      RoleName: channel.snapshot.roleName,
      DestBucket: channel.snapshot.destBucket,
      NotifyTopic: channel.snapshot.notifyTopic,
      Interval: channel.snapshot.interval,
    },
  });
};

const getLiveChannelStat: Handler = async (request, env) => {
  const { channel } = requireChannel(request, env);
  return xmlResponse('LiveChannelStat', { Status: channel.status === 'disabled' ? 'Disabled' : 'Idle' });
};

const getLiveChannelHistory: Handler = async (request, env) => {
  const { channel } = requireChannel(request, env);
  return xmlResponse('LiveChannelHistory', {
    LiveRecord: channel.history.map((r) => ({ StartTime: r.startTime, EndTime: r.endTime, RemoteAddr: r.remoteAddr })),
  });
};

const deleteLiveChannel: Handler = async (request, env) => {
  const { bucket, channels, channel } = requireChannel(request, env);
  delete channels[channel.name];
  save(env, bucket, channels);
  return { status: 204 };
};

const listLiveChannel: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const prefix = request.query['prefix'] ?? '';
  const marker = request.query['marker'] ?? '';
  const rawMax = request.query['max-keys'];
  const maxKeys = rawMax === undefined || rawMax === '' ? 100 : Number(rawMax);
  if (!Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > 1000) throw invalidArgument('max-keys must be from 1 to 1000.', 'max-keys', rawMax ?? '');
  const names = Object.keys(load(bucket))
    .filter((name) => name.startsWith(prefix) && compareKeys(name, marker) > 0)
    .sort(compareKeys);
  const page = names.slice(0, maxKeys);
  const channels = load(bucket);
  const truncated = names.length > maxKeys;
  return xmlResponse('ListLiveChannelResult', {
    Prefix: prefix,
    Marker: marker,
    MaxKeys: maxKeys,
    IsTruncated: truncated,
    NextMarker: truncated ? page[page.length - 1] : undefined,
    LiveChannel: page.map((name) => {
      const channel = channels[name]!;
      return {
        Name: name,
        Description: channel.description,
        Status: channel.status,
        LastModified: channel.lastModified,
        ...urls(env, bucket.name, channel),
      };
    }),
  });
};

/** `startTime`/`endTime` as OSS checks them: Unix seconds, end after start, at most a day apart. */
function timeRange(request: EmulatorRequest): [number, number] {
  const start = Number(request.query['startTime']);
  const end = Number(request.query['endTime']);
  if (!Number.isInteger(start) || !Number.isInteger(end) || end <= start || end - start > 86400) {
    throw invalidArgument('startTime and endTime must be Unix seconds, end after start, at most one day apart.', 'endTime', request.query['endTime'] ?? '');
  }
  return [start, end];
}

/** No ingest, so no fragments: a valid, empty, ended playlist. */
function playlist(channel: Channel): string {
  return `#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-TARGETDURATION:${channel.target.fragDuration}\n#EXT-X-ENDLIST\n`;
}

const getVodPlaylist: Handler = async (request, env) => {
  const { channel } = requireChannel(request, env);
  timeRange(request);
  return { status: 200, headers: { 'Content-Type': 'application/x-mpegURL' }, body: playlist(channel) };
};

const postVodPlaylist: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const key = request.key ?? '';
  const slash = key.lastIndexOf('/');
  const name = key.slice(0, slash);
  const playlistName = key.slice(slash + 1);
  const channels = load(bucket);
  const channel = slash > 0 && Object.prototype.hasOwnProperty.call(channels, name) ? channels[name] : undefined;
  if (!channel) throw noSuchChannel(name);
  if (!playlistName.endsWith('.m3u8')) throw invalidArgument('The playlist name must end with .m3u8.', 'PlaylistName', playlistName);
  timeRange(request);
  const data = new TextEncoder().encode(playlist(channel));
  env.storage.putObject(bucket.name, {
    key,
    data,
    etag: etagOf(data),
    crc64: crc64(data),
    lastModified: env.now(),
    contentType: 'application/x-mpegURL',
    metadata: {},
    headers: { 'x-oss-object-type': 'Normal', 'x-oss-storage-class': 'Standard' },
  });
  return { status: 200 };
};

const comp = (value: string) => (input: RouteInput) => input.query['comp'] === value;

/**
 * `?live` on a channel (`status` to switch it, `comp=stat|history` to read), `?live` on the bucket
 * to list, `?vod` on a channel (GET) or on `<channel>/<playlist>` (POST). The VOD time range is
 * checked by the handlers, so a missing one is an InvalidArgument as on OSS.
 */
export const LIVE_CHANNEL_ROUTES: readonly RouteRow[] = [
  { method: 'GET', level: 'bucket', subresource: 'live', operation: 'ListLiveChannel' },
  { method: 'PUT', level: 'object', subresource: 'live', operation: 'PutLiveChannel' },
  { method: 'PUT', level: 'object', subresource: 'live', also: ['status'], operation: 'PutLiveChannelStatus' },
  { method: 'GET', level: 'object', subresource: 'live', operation: 'GetLiveChannelInfo' },
  { method: 'GET', level: 'object', subresource: 'live', also: ['comp'], operation: 'GetLiveChannelStat', when: comp('stat') },
  { method: 'GET', level: 'object', subresource: 'live', also: ['comp'], operation: 'GetLiveChannelHistory', when: comp('history') },
  { method: 'DELETE', level: 'object', subresource: 'live', operation: 'DeleteLiveChannel' },
  { method: 'GET', level: 'object', subresource: 'vod', allows: ['startTime', 'endTime'], operation: 'GetVodPlaylist' },
  { method: 'POST', level: 'object', subresource: 'vod', allows: ['startTime', 'endTime'], operation: 'PostVodPlaylist' },
];

export const liveChannelHandlers: Record<string, Handler> = {
  PutLiveChannel: putLiveChannel,
  PutLiveChannelStatus: putLiveChannelStatus,
  GetLiveChannelInfo: getLiveChannelInfo,
  GetLiveChannelStat: getLiveChannelStat,
  GetLiveChannelHistory: getLiveChannelHistory,
  DeleteLiveChannel: deleteLiveChannel,
  ListLiveChannel: listLiveChannel,
  GetVodPlaylist: getVodPlaylist,
  PostVodPlaylist: postVodPlaylist,
};
