/** PutLiveChannelStatus: enables or disables a channel (disabling cuts a live push). */
import { invalidArgument } from '../../errors.js';
import type { BaseOutput, Command } from '../types.js';
import { channelRequest, done, type ChannelInput } from './shared.js';

export interface PutLiveChannelStatusInput extends ChannelInput {
  status: 'enabled' | 'disabled';
}

/** @example await client.putLiveChannelStatus({ channel: 'cam-1', status: 'disabled' }); */
export const putLiveChannelStatus: Command<PutLiveChannelStatusInput, BaseOutput> = {
  name: 'PutLiveChannelStatus',
  serialize(input) {
    if (input.status !== 'enabled' && input.status !== 'disabled') {
      throw invalidArgument(`status must be 'enabled' or 'disabled', not '${String(input.status)}'`);
    }
    return channelRequest('PUT', 'PutLiveChannelStatus', input, { status: input.status });
  },
  deserialize: done,
};
