/** GetLiveChannelInfo: a channel's configuration. */
import type { BaseOutput, Command } from '../types.js';
import type { LiveChannelConfiguration, LiveChannelTarget } from './put-live-channel.js';
import { channelRequest, CONFIGURATION, readAnswer, type ChannelInput } from './shared.js';

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
    const output = await readAnswer<GetLiveChannelInfoOutput>(response, 'LiveChannelConfiguration', CONFIGURATION);
    return { ...output, description: output.description ?? '', status: output.status ?? 'enabled', target: output.target ?? {} };
  },
};
