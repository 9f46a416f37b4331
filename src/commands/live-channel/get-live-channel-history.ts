/** GetLiveChannelHistory: the channel's last pushes (OSS keeps up to ten). */
import { children, date, readXmlRoot, text } from '../../xml.js';
import { requestIdOf } from '../shared.js';
import type { BaseOutput, Command } from '../types.js';
import { channelRequest, type ChannelInput } from './shared.js';

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
    const root = await readXmlRoot(response.body, 'LiveChannelHistory');
    return {
      requestId: requestIdOf(response),
      records: children(root, 'LiveRecord').map((r) => ({
        startTime: date(r, 'StartTime') ?? new Date(0),
        endTime: date(r, 'EndTime') ?? new Date(0),
        remoteAddr: text(r, 'RemoteAddr') ?? '',
      })),
    };
  },
};
