/** DeleteLiveChannel: removes a channel (its TS fragments and playlists stay as objects). */
import type { BaseOutput, Command } from '../types.js';
import { channelRequest, done, type ChannelInput } from './shared.js';

export type DeleteLiveChannelInput = ChannelInput;

/** @example await client.deleteLiveChannel({ channel: 'cam-1' }); */
export const deleteLiveChannel: Command<DeleteLiveChannelInput, BaseOutput> = {
  name: 'DeleteLiveChannel',
  serialize: (input) => channelRequest('DELETE', 'DeleteLiveChannel', input),
  deserialize: done,
};
