/** ListLiveChannel: a bucket's channels, by name, paged with a marker. */
import { requireBucket, validateIntRange } from '../validate.js';
import { defined } from '../shared.js';
import { LISTING, readAnswer } from './shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

export interface ListLiveChannelsInput extends BaseInput {
  prefix?: string;
  /** List the channels after this name. */
  marker?: string;
  /** 1–1000; OSS default 100. */
  maxKeys?: number;
}

export interface LiveChannelSummary {
  name: string;
  description: string;
  status: 'enabled' | 'disabled';
  lastModified: Date;
  publishUrls: string[];
  playUrls: string[];
}

export interface ListLiveChannelsOutput extends BaseOutput {
  prefix: string;
  marker: string;
  maxKeys: number;
  isTruncated: boolean;
  nextMarker?: string;
  channels: LiveChannelSummary[];
}

/** @example const { channels } = await client.listLiveChannels({ prefix: 'cam-' }); */
export const listLiveChannels: Command<ListLiveChannelsInput, ListLiveChannelsOutput> = {
  name: 'ListLiveChannel',
  serialize(input) {
    validateIntRange('maxKeys', input.maxKeys, 1, 1000);
    return {
      method: 'GET',
      bucket: requireBucket(input.bucket, 'ListLiveChannel'),
      query: {
        live: '',
        ...defined({ prefix: input.prefix, marker: input.marker, 'max-keys': input.maxKeys?.toString() }),
      },
      headers: {},
    };
  },
  async deserialize(response) {
    const { nextMarker, ...output } = await readAnswer<ListLiveChannelsOutput>(response, 'ListLiveChannelResult', LISTING);
    // OSS sends an empty NextMarker on the last page.
    return { ...output, prefix: output.prefix ?? '', marker: output.marker ?? '', maxKeys: output.maxKeys ?? 0, isTruncated: output.isTruncated ?? false, channels: output.channels ?? [], ...(nextMarker ? { nextMarker } : {}) };
  },
};

/** The next ListLiveChannel request, or undefined after the last page. */
export function nextListLiveChannels(page: ListLiveChannelsOutput, input: ListLiveChannelsInput): ListLiveChannelsInput | undefined {
  if (!page.isTruncated || !page.nextMarker || page.nextMarker === input.marker) return undefined;
  return { ...input, marker: page.nextMarker };
}
