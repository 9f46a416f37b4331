/** ListLiveChannel: a bucket's channels, by name, paged with a marker. */
import { bool, child, children, date, int, readXmlRoot, text, texts } from '../../xml.js';
import { requireBucket, validateIntRange } from '../../validate.js';
import { defined, requestIdOf } from '../shared.js';
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
    const root = await readXmlRoot(response.body, 'ListLiveChannelResult');
    const output: ListLiveChannelsOutput = {
      requestId: requestIdOf(response),
      prefix: text(root, 'Prefix') ?? '',
      marker: text(root, 'Marker') ?? '',
      maxKeys: int(root, 'MaxKeys') ?? 0,
      isTruncated: bool(root, 'IsTruncated'),
      channels: children(root, 'LiveChannel').map((c) => ({
        name: text(c, 'Name') ?? '',
        description: text(c, 'Description') ?? '',
        status: (text(c, 'Status') ?? 'enabled') as 'enabled' | 'disabled',
        lastModified: date(c, 'LastModified') ?? new Date(0),
        publishUrls: texts(child(c, 'PublishUrls'), 'Url'),
        playUrls: texts(child(c, 'PlayUrls'), 'Url'),
      })),
    };
    const next = text(root, 'NextMarker');
    if (next) output.nextMarker = next;
    return output;
  },
};

/** The next ListLiveChannel request, or undefined after the last page. */
export function nextListLiveChannels(page: ListLiveChannelsOutput, input: ListLiveChannelsInput): ListLiveChannelsInput | undefined {
  if (!page.isTruncated || !page.nextMarker || page.nextMarker === input.marker) return undefined;
  return { ...input, marker: page.nextMarker };
}
