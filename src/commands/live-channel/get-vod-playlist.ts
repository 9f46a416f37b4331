/** GetVodPlaylist: an m3u8 playlist of the channel's fragments pushed between two times. */
import { responseText, requestIdOf } from '../shared.js';
import type { BaseOutput, Command } from '../types.js';
import { channelRequest, timeRange, type ChannelInput } from './shared.js';

export interface GetVodPlaylistInput extends ChannelInput {
  /** A Date or Unix seconds. At most one day before `endTime`. */
  startTime: Date | number;
  endTime: Date | number;
}

export interface GetVodPlaylistOutput extends BaseOutput {
  /** The m3u8 text. */
  playlist: string;
}

/** @example const { playlist } = await client.getVodPlaylist({ channel: 'cam-1', startTime, endTime }); */
export const getVodPlaylist: Command<GetVodPlaylistInput, GetVodPlaylistOutput> = {
  name: 'GetVodPlaylist',
  serialize(input) {
    // `?vod&startTime&endTime` on the channel, without `live`.
    return { ...channelRequest('GET', 'GetVodPlaylist', input), query: { vod: '', ...timeRange(input) } };
  },
  async deserialize(response) {
    return { requestId: requestIdOf(response), playlist: await responseText(response) };
  },
};
