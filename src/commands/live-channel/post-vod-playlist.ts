/** PostVodPlaylist: stores a VOD playlist object `<channel>/<playlistName>` for a time range. */
import { invalidArgument } from '../../errors.js';
import { requireBucket } from '../validate.js';
import type { BaseOutput, Command } from '../types.js';
import { done, timeRange, validateChannel, type ChannelInput } from './shared.js';

export interface PostVodPlaylistInput extends ChannelInput {
  /** Ends with `.m3u8`. */
  playlistName: string;
  startTime: Date | number;
  endTime: Date | number;
}

/** @example await client.postVodPlaylist({ channel: 'cam-1', playlistName: 'today.m3u8', startTime, endTime }); */
export const postVodPlaylist: Command<PostVodPlaylistInput, BaseOutput> = {
  name: 'PostVodPlaylist',
  serialize(input) {
    const channel = validateChannel(input.channel, 'PostVodPlaylist');
    if (typeof input.playlistName !== 'string' || !input.playlistName.endsWith('.m3u8') || input.playlistName.includes('/')) {
      throw invalidArgument('playlistName must be a name ending with .m3u8 (no /)');
    }
    return {
      method: 'POST',
      bucket: requireBucket(input.bucket, 'PostVodPlaylist'),
      key: `${channel}/${input.playlistName}`,
      query: { vod: '', ...timeRange(input) },
      headers: {},
    };
  },
  deserialize: done,
};
