/**
 * Operations that run server-side in practice — bucket lifecycle, website and logging
 * administration, SelectObject and CreateSelectObjectMeta, the LiveChannel family and signed RTMP
 * push URLs — on a subclass of the core client. The Node entry's
 * `OssClient` extends it; the browser entry does not, which keeps the browser client within its
 * 40 KiB gzip budget (these add about 4 KiB). The code itself is isomorphic. Listing object
 * versions lives here too; reading or deleting one version (`versionId`) works in both builds.
 */
import { OssClient } from './client.js';
import * as bucket from '../commands/bucket/index.js';
import * as live from '../commands/live-channel/index.js';
import * as object from '../commands/object/index.js';
import type { BaseInput, BaseOutput } from '../commands/types.js';
import { paginate, paginateItems } from '../commands/paginate.js';
import { presignRtmpUrl, type PresignRtmpInput, type PresignRtmpOutput } from '../handoff/presign-rtmp.js';

export class ExtendedOssClient extends OssClient {
  // ── bucket lifecycle, website and logging (rows of commands/bucket/subresources.ts): administration ──

  putBucketLifecycle(input: BaseInput & bucket.BucketLifecycle): Promise<BaseOutput> {
    return this.send(bucket.bucketLifecycle.put, input);
  }
  getBucketLifecycle(input: BaseInput = {}): Promise<bucket.BucketLifecycle & BaseOutput> {
    return this.send(bucket.bucketLifecycle.get, input);
  }
  deleteBucketLifecycle(input: BaseInput = {}): Promise<BaseOutput> {
    return this.send(bucket.bucketLifecycle.delete, input);
  }
  putBucketWebsite(input: BaseInput & bucket.BucketWebsite): Promise<BaseOutput> {
    return this.send(bucket.bucketWebsite.put, input);
  }
  getBucketWebsite(input: BaseInput = {}): Promise<bucket.BucketWebsite & BaseOutput> {
    return this.send(bucket.bucketWebsite.get, input);
  }
  deleteBucketWebsite(input: BaseInput = {}): Promise<BaseOutput> {
    return this.send(bucket.bucketWebsite.delete, input);
  }
  putBucketLogging(input: BaseInput & bucket.BucketLogging): Promise<BaseOutput> {
    return this.send(bucket.bucketLogging.put, input);
  }
  getBucketLogging(input: BaseInput = {}): Promise<bucket.BucketLogging & BaseOutput> {
    return this.send(bucket.bucketLogging.get, input);
  }
  deleteBucketLogging(input: BaseInput = {}): Promise<BaseOutput> {
    return this.send(bucket.bucketLogging.delete, input);
  }

  // ── versioning ──

  /** One page of every version and delete marker (see {@link object.ListObjectVersionsOutput}). */
  listObjectVersions(input: object.ListObjectVersionsInput = {}): Promise<object.ListObjectVersionsOutput> {
    return this.send(object.listObjectVersions, input);
  }
  /** Every page of ListObjectVersions, following `nextKeyMarker` / `nextVersionIdMarker`. */
  paginateListObjectVersions(input: object.ListObjectVersionsInput = {}): AsyncGenerator<object.ListObjectVersionsOutput, void, undefined> {
    return paginate((page) => this.listObjectVersions(page), input, object.nextListObjectVersions);
  }
  /** Every version and delete marker: `for await (const entry of client.listObjectVersionsItems({ prefix }))`. */
  listObjectVersionsItems(input: object.ListObjectVersionsInput = {}): AsyncGenerator<object.ListedVersionEntry, void, undefined> {
    return paginateItems(this.paginateListObjectVersions(input), (page) => page.entries);
  }

  // ── SelectObject ──

  /**
   * Runs SQL over a CSV or JSON object and streams the selected rows (framed answer decoded,
   * every frame's CRC-32 checked). See {@link object.SelectObjectOutput} for the readers.
   */
  selectObject(input: object.SelectObjectInput): Promise<object.SelectObjectOutput> {
    return this.send(object.selectObject, input);
  }
  /** Has OSS count a CSV/JSON-lines object's rows and splits (for ranged selectObject calls). */
  createSelectObjectMeta(input: object.CreateSelectObjectMetaInput): Promise<object.CreateSelectObjectMetaOutput> {
    return this.send(object.createSelectObjectMeta, input);
  }

  // ── LiveChannel (src/commands/live-channel): RTMP push, HLS output, VOD playlists ──
  putLiveChannel(input: live.PutLiveChannelInput): Promise<live.PutLiveChannelOutput> {
    return this.send(live.putLiveChannel, input);
  }
  putLiveChannelStatus(input: live.PutLiveChannelStatusInput): Promise<BaseOutput> {
    return this.send(live.putLiveChannelStatus, input);
  }
  getLiveChannelInfo(input: live.GetLiveChannelInfoInput): Promise<live.GetLiveChannelInfoOutput> {
    return this.send(live.getLiveChannelInfo, input);
  }
  getLiveChannelStat(input: live.GetLiveChannelStatInput): Promise<live.GetLiveChannelStatOutput> {
    return this.send(live.getLiveChannelStat, input);
  }
  getLiveChannelHistory(input: live.GetLiveChannelHistoryInput): Promise<live.GetLiveChannelHistoryOutput> {
    return this.send(live.getLiveChannelHistory, input);
  }
  listLiveChannels(input: live.ListLiveChannelsInput = {}): Promise<live.ListLiveChannelsOutput> {
    return this.send(live.listLiveChannels, input);
  }
  /** Every page of ListLiveChannel, following `nextMarker`. */
  paginateListLiveChannels(input: live.ListLiveChannelsInput = {}): AsyncGenerator<live.ListLiveChannelsOutput, void, undefined> {
    return paginate((page) => this.listLiveChannels(page), input, live.nextListLiveChannels);
  }
  deleteLiveChannel(input: live.DeleteLiveChannelInput): Promise<BaseOutput> {
    return this.send(live.deleteLiveChannel, input);
  }
  getVodPlaylist(input: live.GetVodPlaylistInput): Promise<live.GetVodPlaylistOutput> {
    return this.send(live.getVodPlaylist, input);
  }
  postVodPlaylist(input: live.PostVodPlaylistInput): Promise<BaseOutput> {
    return this.send(live.postVodPlaylist, input);
  }
  /**
   * A signed `rtmp://` push URL for a channel (V1-signed whatever `signatureVersion` says, as OSS
   * requires). Never opens a connection.
   *
   * @example
   * const { url } = await client.presignRtmpUrl({ channel: 'cam-1', playlistName: 'cam.m3u8', expires: 3600 });
   */
  async presignRtmpUrl(input: PresignRtmpInput): Promise<PresignRtmpOutput> {
    const { endpoint, credentials, clock } = this.context;
    return presignRtmpUrl(
      { host: endpoint.host, style: endpoint.style, bucket: this.bucket, credentials: () => credentials.get(), now: () => clock.now() },
      input,
    );
  }
}
