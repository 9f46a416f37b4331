/** GetLiveChannelInfo: a channel's configuration. */
import { child, int, readXmlRoot, text } from '../../xml.js';
import { requestIdOf } from '../shared.js';
import type { BaseOutput, Command } from '../types.js';
import type { LiveChannelConfiguration, LiveChannelTarget } from './put-live-channel.js';
import { channelRequest, type ChannelInput } from './shared.js';

export type GetLiveChannelInfoInput = ChannelInput;

export interface GetLiveChannelInfoOutput extends BaseOutput, LiveChannelConfiguration {
  description: string;
  status: 'enabled' | 'disabled';
  target: LiveChannelTarget;
}

/** @example const { status, target } = await client.getLiveChannelInfo({ channel: 'cam-1' }); */
export const getLiveChannelInfo: Command<GetLiveChannelInfoInput, GetLiveChannelInfoOutput> = {
  name: 'GetLiveChannelInfo',
  serialize: (input) => channelRequest('GET', 'GetLiveChannelInfo', input),
  async deserialize(response) {
    const root = await readXmlRoot(response.body, 'LiveChannelConfiguration');
    const target = child(root, 'Target');
    const output: GetLiveChannelInfoOutput = {
      requestId: requestIdOf(response),
      description: text(root, 'Description') ?? '',
      status: (text(root, 'Status') ?? 'enabled') as 'enabled' | 'disabled',
      target: {
        type: (text(target, 'Type') ?? 'HLS') as 'HLS',
        fragDuration: int(target, 'FragDuration'),
        fragCount: int(target, 'FragCount'),
        playlistName: text(target, 'PlaylistName'),
      },
    };
    const snapshot = child(root, 'Snapshot');
    if (snapshot) {
      output.snapshot = {
        roleName: text(snapshot, 'RoleName') ?? '',
        destBucket: text(snapshot, 'DestBucket') ?? '',
        notifyTopic: text(snapshot, 'NotifyTopic') ?? '',
        interval: int(snapshot, 'Interval') ?? 0,
      };
    }
    return output;
  },
};
