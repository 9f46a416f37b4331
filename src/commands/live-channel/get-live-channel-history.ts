/** GetLiveChannelHistory: the channel's last pushes (OSS keeps up to ten). */
import type { BaseOutput, Command } from '../types.js';
import { channelRequest, HISTORY, readAnswer, type ChannelInput } from './shared.js';

export type GetLiveChannelHistoryInput = ChannelInput;

export interface LiveRecord {
  startTime: Date;
  endTime: Date;
  /** `ip:port` of the pushing client. */
  remoteAddr: string;
}

export interface GetLiveChannelHistoryOutput extends BaseOutput {
  records: LiveRecord[];
}

/** @example const { records } = await client.getLiveChannelHistory({ channel: 'cam-1' }); */
export const getLiveChannelHistory: Command<GetLiveChannelHistoryInput, GetLiveChannelHistoryOutput> = {
  name: 'GetLiveChannelHistory',
  serialize: (input) => channelRequest('GET', 'GetLiveChannelHistory', input, { comp: 'history' }),
  async deserialize(response) {
    const output = await readAnswer<Partial<GetLiveChannelHistoryOutput>>(response, 'LiveChannelHistory', HISTORY);
    return { ...output, records: output.records ?? [] };
  },
};
