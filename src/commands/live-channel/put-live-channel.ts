/** PutLiveChannel: creates (or reconfigures) a channel RTMP streams are pushed to; OSS stores them as HLS. */
import { md5, toBase64 } from '../../integrity/hash.js';
import { invalidArgument } from '../../errors.js';
import { buildXml } from '../xml.js';
import * as map from '../xml-map.js';
import type { BaseOutput, Command } from '../types.js';
import { channelRequest, CONFIGURATION, CREATED, readAnswer, type ChannelInput } from './shared.js';

export interface LiveChannelTarget {
  /** Only `HLS` exists. */
  type?: 'HLS';
  /** Seconds per TS fragment, 1–100 (OSS default 5). */
  fragDuration?: number;
  /** Fragments listed in the m3u8, 1–100 (OSS default 3). */
  fragCount?: number;
  /** Ends with `.m3u8` (OSS default `playlist.m3u8`). */
  playlistName?: string;
}

export interface LiveChannelSnapshot {
  roleName: string;
  destBucket: string;
  notifyTopic: string;
  /** Seconds between snapshots, 1–100. */
  interval: number;
}

export interface LiveChannelConfiguration {
  description?: string;
  status?: 'enabled' | 'disabled';
  target?: LiveChannelTarget;
  snapshot?: LiveChannelSnapshot;
}

export interface PutLiveChannelInput extends ChannelInput, LiveChannelConfiguration {}

export interface PutLiveChannelOutput extends BaseOutput {
  /** Where to push RTMP (sign with `presignRtmpUrl` unless the bucket is public-read-write). */
  publishUrls: string[];
  /** Where the HLS playlist is played from. */
  playUrls: string[];
}

function checkRange(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 100)) {
    throw invalidArgument(`${name} must be a whole number from 1 to 100`);
  }
}

/** The `<LiveChannelConfiguration>` document, in the reference's element order. */
export function liveChannelXml(config: LiveChannelConfiguration): string {
  const target = config.target ?? {};
  checkRange('fragDuration', target.fragDuration);
  checkRange('fragCount', target.fragCount);
  if (target.playlistName !== undefined && !target.playlistName.endsWith('.m3u8')) {
    throw invalidArgument('playlistName must end with .m3u8');
  }
  if (config.snapshot) checkRange('snapshot.interval', config.snapshot.interval);
  return buildXml(
    'LiveChannelConfiguration',
    map.write(CONFIGURATION, { ...config, description: config.description ?? '', status: config.status ?? 'enabled', target: { ...target, type: target.type ?? 'HLS' } }),
  );
}

/**
 * @example
 * const { publishUrls } = await client.putLiveChannel({ channel: 'cam-1', target: { fragDuration: 2, playlistName: 'cam.m3u8' } });
 */
export const putLiveChannel: Command<PutLiveChannelInput, PutLiveChannelOutput> = {
  name: 'PutLiveChannel',
  serialize(input) {
    const request = channelRequest('PUT', 'PutLiveChannel', input);
    const body = new TextEncoder().encode(liveChannelXml(input));
    return { ...request, headers: { 'content-type': 'application/xml', 'content-md5': toBase64(md5(body)) }, body };
  },
  deserialize: (response) => readAnswer<PutLiveChannelOutput>(response, 'CreateLiveChannelResult', CREATED),
};
