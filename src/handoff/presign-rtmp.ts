/**
 * Signed RTMP push URLs for LiveChannels. OSS checks them with the V1 scheme whatever the client's
 * signature version:
 *
 *   StringToSign = Expires + "\n" + CanonicalizedParams + "/" + bucket + "/" + channel
 *   CanonicalizedParams = for each parameter sorted by name: name + ":" + value + "\n"
 *   Signature = Base64(HMAC-SHA1(AccessKeySecret, StringToSign))
 *
 * and the URL is `rtmp://<bucket>.<endpoint host>/live/<channel>?<params>&OSSAccessKeyId=…&Expires=…&Signature=…`.
 * With STS credentials the token travels as the `security-token` parameter, signed like the others.
 */
import type { Credentials } from '../credentials/credentials.js';
import { invalidArgument } from '../errors.js';
import { hmacSha1, toBase64 } from '../integrity/hash.js';
import { rfc3986Encode } from '../signer/encode.js';
import { validateBucketName, validateExpires } from '../commands/validate.js';
import { validateChannel } from '../commands/live-channel/shared.js';

export interface PresignRtmpInput {
  channel: string;
  /** The playlist the push writes (must end with `.m3u8`); default the channel's configured one. */
  playlistName?: string;
  /** Seconds the URL stays valid; default 1800. */
  expires?: number;
  bucket?: string;
}

export interface PresignRtmpOutput {
  url: string;
  expiration: Date;
}

export interface PresignRtmpConfig {
  /** `host[:port]` of the endpoint. */
  host: string;
  style: 'virtual' | 'path' | 'cname';
  bucket?: string;
  credentials(): Promise<Credentials>;
  now(): Date;
}

/** The V1 string to sign for an RTMP URL (exported for tests). */
export function rtmpStringToSign(expires: number, params: Record<string, string>, bucket: string, channel: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((name) => `${name}:${params[name]}\n`)
    .join('');
  return `${expires}\n${canonical}/${bucket}/${channel}`;
}

/**
 * @example
 * const { url } = await client.presignRtmpUrl({ channel: 'cam-1', playlistName: 'cam.m3u8', expires: 3600 });
 * // ffmpeg -re -i in.mp4 -c copy -f flv "<url>"
 */
export async function presignRtmpUrl(config: PresignRtmpConfig, input: PresignRtmpInput): Promise<PresignRtmpOutput> {
  const bucket = input.bucket ?? config.bucket;
  if (!bucket) throw invalidArgument('presignRtmpUrl needs a bucket (in the input or the client)');
  validateBucketName(bucket);
  const channel = validateChannel(input.channel, 'presignRtmpUrl');
  const seconds = input.expires ?? 1800;
  validateExpires(seconds, 2 ** 31 - 1); // V1 has no 7-day limit; a push may run for days
  if (input.playlistName !== undefined && !input.playlistName.endsWith('.m3u8')) {
    throw invalidArgument('playlistName must end with .m3u8');
  }
  const credentials = await config.credentials();
  const expires = Math.floor(config.now().getTime() / 1000) + seconds;
  const params: Record<string, string> = {};
  if (input.playlistName !== undefined) params['playlistName'] = input.playlistName;
  if (credentials.securityToken) params['security-token'] = credentials.securityToken;
  const signature = toBase64(hmacSha1(credentials.accessKeySecret, rtmpStringToSign(expires, params, bucket, channel)));
  const query = [
    ...Object.entries(params).map(([name, value]) => `${name}=${rfc3986Encode(value)}`),
    `OSSAccessKeyId=${rfc3986Encode(credentials.accessKeyId)}`,
    `Expires=${expires}`,
    `Signature=${rfc3986Encode(signature)}`,
  ].join('&');
  const path = `/live/${rfc3986Encode(channel)}`;
  const authority =
    config.style === 'virtual' ? `${bucket}.${config.host}${path}` : config.style === 'path' ? `${config.host}/${bucket}${path}` : `${config.host}${path}`;
  return { url: `rtmp://${authority}?${query}`, expiration: new Date(expires * 1000) };
}
