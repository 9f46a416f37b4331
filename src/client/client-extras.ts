/**
 * Operations that run server-side in practice, on a subclass of the core client: everything about
 * buckets themselves (ListBuckets, bucket info, statistics and location, create, delete, ACL, and
 * every bucket configuration: CORS, referer, tagging, encryption, policy, versioning, lifecycle,
 * website, logging), OptionObject, SelectObject and CreateSelectObjectMeta, listing object versions,
 * the LiveChannel family and signed RTMP push URLs. The Node entry's `OssClient` extends it; the
 * browser entry does not, which keeps the browser client within its 40 KiB gzip budget (these add
 * about 8 KiB). The code itself is isomorphic.
 *
 * Why these: a page works with objects, holding STS credentials scoped to them or presigned URLs,
 * not the account's or the bucket owner's rights; it cannot usefully set the CORS rule it depends
 * on; and OptionObject sends `Origin` and `Access-Control-Request-*`, which browsers refuse to let a
 * page set. Reading or deleting one version (`versionId`) works in both builds.
 */
import { OssClient } from './client.js';
import * as bucket from '../commands/bucket/index.js';
import * as live from '../commands/live-channel/index.js';
import * as object from '../commands/object/index.js';
import type { BaseInput, BaseOutput } from '../commands/types.js';
import { nextListBuckets, paginate, paginateItems } from '../commands/paginate.js';
import { presignRtmpUrl, type PresignRtmpInput, type PresignRtmpOutput } from '../handoff/presign-rtmp.js';

export class ExtendedOssClient extends OssClient {
  // ── service and buckets: listing, facts, create, delete, ACL ──

  listBuckets(input: bucket.ListBucketsInput = {}): Promise<bucket.ListBucketsOutput> {
    return this.send(bucket.listBuckets, input);
  }
  /** Every page of ListBuckets. */
  paginateListBuckets(input: bucket.ListBucketsInput = {}): AsyncGenerator<bucket.ListBucketsOutput, void, undefined> {
    return paginate((page) => this.listBuckets(page), input, nextListBuckets);
  }
  /** Every bucket of the account: `for await (const b of client.listBucketsItems())`. */
  listBucketsItems(input: bucket.ListBucketsInput = {}): AsyncGenerator<bucket.BucketSummary, void, undefined> {
    return paginateItems(this.paginateListBuckets(input), (page) => page.buckets);
  }
  getBucketInfo(input: bucket.GetBucketInfoInput = {}): Promise<bucket.GetBucketInfoOutput> {
    return this.send(bucket.getBucketInfo, input);
  }
  getBucketLocation(input: bucket.GetBucketLocationInput = {}): Promise<bucket.GetBucketLocationOutput> {
    return this.send(bucket.getBucketLocation, input);
  }
  /** Storage and object counts of a bucket. */
  getBucketStat(input: BaseInput = {}): Promise<bucket.GetBucketStatOutput> {
    return this.send(bucket.getBucketStat, input);
  }

  putBucket(input: bucket.PutBucketInput = {}): Promise<bucket.PutBucketOutput> {
    return this.send(bucket.putBucket, input);
  }
  deleteBucket(input: bucket.DeleteBucketInput = {}): Promise<bucket.DeleteBucketOutput> {
    return this.send(bucket.deleteBucket, input);
  }
  putBucketAcl(input: bucket.PutBucketAclInput): Promise<BaseOutput> {
    return this.send(bucket.putBucketAcl, input);
  }
  getBucketAcl(input: BaseInput = {}): Promise<bucket.GetBucketAclOutput> {
    return this.send(bucket.getBucketAcl, input);
  }

  // ── bucket configurations (rows of commands/bucket/subresources.ts) ──

  putBucketCors(input: BaseInput & bucket.BucketCors): Promise<BaseOutput> {
    return this.send(bucket.bucketCors.put, input);
  }
  getBucketCors(input: BaseInput = {}): Promise<bucket.BucketCors & BaseOutput> {
    return this.send(bucket.bucketCors.get, input);
  }
  deleteBucketCors(input: BaseInput = {}): Promise<BaseOutput> {
    return this.send(bucket.bucketCors.delete, input);
  }
  putBucketReferer(input: BaseInput & bucket.BucketReferer): Promise<BaseOutput> {
    return this.send(bucket.bucketReferer.put, input);
  }
  getBucketReferer(input: BaseInput = {}): Promise<bucket.BucketReferer & BaseOutput> {
    return this.send(bucket.bucketReferer.get, input);
  }
  putBucketTagging(input: BaseInput & bucket.BucketTagging): Promise<BaseOutput> {
    return this.send(bucket.bucketTagging.put, input);
  }
  getBucketTagging(input: BaseInput = {}): Promise<bucket.BucketTagging & BaseOutput> {
    return this.send(bucket.bucketTagging.get, input);
  }
  deleteBucketTagging(input: BaseInput = {}): Promise<BaseOutput> {
    return this.send(bucket.bucketTagging.delete, input);
  }
  putBucketEncryption(input: BaseInput & bucket.BucketEncryption): Promise<BaseOutput> {
    return this.send(bucket.bucketEncryption.put, input);
  }
  getBucketEncryption(input: BaseInput = {}): Promise<bucket.BucketEncryption & BaseOutput> {
    return this.send(bucket.bucketEncryption.get, input);
  }
  deleteBucketEncryption(input: BaseInput = {}): Promise<BaseOutput> {
    return this.send(bucket.bucketEncryption.delete, input);
  }
  putBucketVersioning(input: BaseInput & bucket.BucketVersioning): Promise<BaseOutput> {
    return this.send(bucket.bucketVersioning.put, input);
  }
  getBucketVersioning(input: BaseInput = {}): Promise<bucket.BucketVersioning & BaseOutput> {
    return this.send(bucket.bucketVersioning.get, input);
  }
  putBucketPolicy(input: BaseInput & bucket.BucketPolicy): Promise<BaseOutput> {
    return this.send(bucket.bucketPolicy.put, input);
  }
  getBucketPolicy(input: BaseInput = {}): Promise<bucket.BucketPolicy & BaseOutput> {
    return this.send(bucket.bucketPolicy.get, input);
  }
  deleteBucketPolicy(input: BaseInput = {}): Promise<BaseOutput> {
    return this.send(bucket.bucketPolicy.delete, input);
  }

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

  // ── CORS preflight: a page cannot send one itself (Origin and Access-Control-Request-* are forbidden headers) ──

  /** A CORS preflight for the bucket's rules (OPTIONS); refused with 403 when no rule allows it. */
  optionObject(input: object.OptionObjectInput): Promise<object.OptionObjectOutput> {
    return this.send(object.optionObject, input);
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
