/** GetLiveChannelStat: whether a push is live now, and the pushed stream's video and audio. */
import type { BaseOutput, Command } from '../types.js';
import { channelRequest, readAnswer, STAT, type ChannelInput } from './shared.js';

export type GetLiveChannelStatInput = ChannelInput;

export interface GetLiveChannelStatOutput extends BaseOutput {
  /** `Idle` (no push), `Live` (a push is on), or `Disabled`. */
  status: 'Idle' | 'Live' | 'Disabled';
  /** The rest is present while Live. */
  connectedTime?: Date;
  /** `ip:port` of the pushing client. */
  remoteAddr?: string;
  video?: { width?: number; height?: number; frameRate?: number; bandwidth?: number; codec?: string };
  audio?: { bandwidth?: number; sampleRate?: number; codec?: string };
}

/** @example const { status } = await client.getLiveChannelStat({ channel: 'cam-1' }); */
export const getLiveChannelStat: Command<GetLiveChannelStatInput, GetLiveChannelStatOutput> = {
  name: 'GetLiveChannelStat',
  serialize: (input) => channelRequest('GET', 'GetLiveChannelStat', input, { comp: 'stat' }),
  deserialize: (response) => readAnswer<GetLiveChannelStatOutput>(response, 'LiveChannelStat', STAT),
};
