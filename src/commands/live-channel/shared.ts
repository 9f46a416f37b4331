/** What the LiveChannel commands share: the channel request, its validation, time parameters and the documents' XML mapping. */
import { invalidArgument } from '../../errors.js';
import { requireBucket, validateKey } from '../validate.js';
import { readXmlRoot } from '../xml.js';
import type { BaseInput, BaseOutput, HttpMethod, HttpRequest, HttpResponse } from '../types.js';
import { requestIdOf } from '../shared.js';
import * as map from '../xml-map.js';

export interface ChannelInput extends BaseInput {
  /** The LiveChannel name (no `/`). */
  channel: string;
}

const S = /* @__PURE__ */ map.str();
const I = /* @__PURE__ */ map.int();
const D = /* @__PURE__ */ map.date();

/** `<LiveChannelConfiguration>`: written by PutLiveChannel, read by GetLiveChannelInfo. */
export const CONFIGURATION: map.Schema = {
  description: S,
  status: S,
  target: /* @__PURE__ */ map.nested({ type: S, fragDuration: I, fragCount: I, playlistName: S }),
  snapshot: /* @__PURE__ */ map.nested({ roleName: S, destBucket: S, notifyTopic: S, interval: I }),
};

const urls = { publishUrls: /* @__PURE__ */ map.list('Url', 'string', 'PublishUrls'), playUrls: /* @__PURE__ */ map.list('Url', 'string', 'PlayUrls') };
/** `<CreateLiveChannelResult>`. */
export const CREATED: map.Schema = urls;
/** `<LiveChannelStat>`. */
export const STAT: map.Schema = {
  status: S,
  connectedTime: D,
  remoteAddr: S,
  video: /* @__PURE__ */ map.nested({ width: I, height: I, frameRate: I, bandwidth: I, codec: S }),
  audio: /* @__PURE__ */ map.nested({ bandwidth: I, sampleRate: I, codec: S }),
};
/** `<LiveChannelHistory>`. */
export const HISTORY: map.Schema = { records: /* @__PURE__ */ map.list('LiveRecord', { startTime: D, endTime: D, remoteAddr: S }) };
/** `<ListLiveChannelResult>`. */
export const LISTING: map.Schema = {
  prefix: S,
  marker: S,
  maxKeys: I,
  isTruncated: /* @__PURE__ */ map.bool(),
  nextMarker: S,
  channels: /* @__PURE__ */ map.list('LiveChannel', { name: S, description: S, status: S, lastModified: D, ...urls }),
};

/** Reads the answer's root element `root` through `schema`, with the request id. */
export async function readAnswer<T>(response: HttpResponse, root: string, schema: map.Schema): Promise<T & BaseOutput> {
  return { requestId: requestIdOf(response), ...map.read<T>(schema, await readXmlRoot(response, root)) };
}

/** Channel names are object-name-like and may not hold `/` (the channel is one path segment). */
export function validateChannel(channel: unknown, operation: string): string {
  if (typeof channel !== 'string' || channel === '') throw invalidArgument(`${operation} needs a channel name`);
  if (channel.includes('/')) throw invalidArgument(`channel name '${channel}' may not contain '/'`);
  validateKey(channel);
  return channel;
}

/** A request on `/<channel>?live` plus extra query keys. */
export function channelRequest(
  method: HttpMethod,
  operation: string,
  input: ChannelInput,
  query: Record<string, string> = {},
): HttpRequest {
  return {
    method,
    bucket: requireBucket(input.bucket, operation),
    key: validateChannel(input.channel, operation),
    query: { live: '', ...query },
    headers: {},
  };
}

export async function done(response: HttpResponse): Promise<BaseOutput> {
  return { requestId: requestIdOf(response) };
}

/** Unix seconds from a Date or a number of seconds. */
export function unixSeconds(value: Date | number, name: string): number {
  const seconds = value instanceof Date ? Math.floor(value.getTime() / 1000) : value;
  if (!Number.isInteger(seconds) || seconds < 0) throw invalidArgument(`${name} must be a Date or whole Unix seconds`);
  return seconds;
}

/** The `startTime`/`endTime` pair of the VOD operations: end after start, at most one day apart. */
export function timeRange(input: { startTime: Date | number; endTime: Date | number }): { startTime: string; endTime: string } {
  const start = unixSeconds(input.startTime, 'startTime');
  const end = unixSeconds(input.endTime, 'endTime');
  if (end <= start) throw invalidArgument('endTime must be after startTime');
  if (end - start > 86400) throw invalidArgument('startTime and endTime may be at most one day (86400 s) apart');
  return { startTime: String(start), endTime: String(end) };
}
