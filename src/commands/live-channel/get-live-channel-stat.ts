/** GetLiveChannelStat: whether a push is live now, and the pushed stream's video and audio. */
import { child, date, int, readXmlRoot, text } from '../../xml.js';
import { requestIdOf } from '../shared.js';
import type { BaseOutput, Command } from '../types.js';
import { channelRequest, type ChannelInput } from './shared.js';

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
  async deserialize(response) {
    const root = await readXmlRoot(response.body, 'LiveChannelStat');
    const output: GetLiveChannelStatOutput = {
      requestId: requestIdOf(response),
      status: (text(root, 'Status') ?? 'Idle') as GetLiveChannelStatOutput['status'],
    };
    const connected = date(root, 'ConnectedTime');
    if (connected) output.connectedTime = connected;
    const remote = text(root, 'RemoteAddr');
    if (remote) output.remoteAddr = remote;
    const video = child(root, 'Video');
    if (video) {
      output.video = {
        width: int(video, 'Width'),
        height: int(video, 'Height'),
        frameRate: int(video, 'FrameRate'),
        bandwidth: int(video, 'Bandwidth'),
        codec: text(video, 'Codec'),
      };
    }
    const audio = child(root, 'Audio');
    if (audio) output.audio = { bandwidth: int(audio, 'Bandwidth'), sampleRate: int(audio, 'SampleRate'), codec: text(audio, 'Codec') };
    return output;
  },
};
