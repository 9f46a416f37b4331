/**
 * The operations of the OSS API reference that osskit covers, as data: the osskit method and the
 * OSS API name(s) the emulator routes it to. "Node build" marks methods the browser client leaves out
 * (client-extras.ts) to stay within its bundle budget. `scripts/coverage-table.mjs` turns this list into the
 * README coverage table, checking each row against the real client and emulator (a method that
 * does not exist, or an API name without an emulator handler, shows as not covered), and a test
 * fails when the README's table differs from the generated one.
 */
export interface OperationRow {
  /** The OssClient method. */
  method: string;
  /** OSS API names the emulator must answer for the row to count as emulated; empty when nothing is sent. */
  api: readonly string[];
  group: 'Service and buckets' | 'Bucket configuration' | 'Objects' | 'Multipart upload' | 'CORS' | 'LiveChannel';
  /** Shown in the table, e.g. what the emulator leaves out. */
  note?: string;
}

const row = (group: OperationRow['group'], method: string, api: string | readonly string[], note?: string): OperationRow => ({
  method,
  api: typeof api === 'string' ? [api] : api,
  group,
  ...(note ? { note } : {}),
});

const B = 'Service and buckets' as const;
const C = 'Bucket configuration' as const;
const O = 'Objects' as const;
const M = 'Multipart upload' as const;
const L = 'LiveChannel' as const;

export const OPERATIONS: readonly OperationRow[] = [
  row(B, 'listBuckets', 'ListBuckets', 'Node build'),
  row(B, 'putBucket', 'PutBucket', 'Node build'),
  row(B, 'deleteBucket', 'DeleteBucket', 'Node build'),
  row(B, 'getBucketInfo', 'GetBucketInfo', 'Node build'),
  row(B, 'getBucketLocation', 'GetBucketLocation', 'Node build'),
  row(B, 'getBucketStat', 'GetBucketStat', 'Node build; emulator: counted from its state'),
  row(B, 'putBucketAcl', 'PutBucketAcl', 'Node build; emulator: stored, not enforced'),
  row(B, 'getBucketAcl', 'GetBucketAcl', 'Node build'),
  row(C, 'putBucketLogging', 'PutBucketLogging', 'Node build; emulator: stored, no logs written'),
  row(C, 'getBucketLogging', 'GetBucketLogging', 'Node build'),
  row(C, 'deleteBucketLogging', 'DeleteBucketLogging', 'Node build'),
  row(C, 'putBucketWebsite', 'PutBucketWebsite', 'Node build; emulator: stored, no website endpoint'),
  row(C, 'getBucketWebsite', 'GetBucketWebsite', 'Node build'),
  row(C, 'deleteBucketWebsite', 'DeleteBucketWebsite', 'Node build'),
  row(C, 'putBucketReferer', 'PutBucketReferer', 'Node build; emulator: stored, not enforced'),
  row(C, 'getBucketReferer', 'GetBucketReferer', 'Node build'),
  row(C, 'putBucketLifecycle', 'PutBucketLifecycle', 'Node build; emulator: stored, rules not run'),
  row(C, 'getBucketLifecycle', 'GetBucketLifecycle', 'Node build'),
  row(C, 'deleteBucketLifecycle', 'DeleteBucketLifecycle', 'Node build'),
  row(O, 'listObjects', 'ListObjects'),
  row(O, 'listObjectsV2', 'ListObjectsV2'),
  row(O, 'listObjectVersions', 'ListObjectVersions', 'Node build'),
  row(O, 'putObject', 'PutObject'),
  row(O, 'getObject', 'GetObject'),
  row(O, 'headObject', 'HeadObject'),
  row(O, 'getObjectMeta', 'GetObjectMeta'),
  row(O, 'deleteObject', 'DeleteObject'),
  row(O, 'deleteMultipleObjects', 'DeleteMultipleObjects'),
  row(O, 'copyObject', 'CopyObject'),
  row(O, 'appendObject', 'AppendObject'),
  row(O, 'postObject', 'PostObject'),
  row(O, 'putObjectAcl', 'PutObjectAcl'),
  row(O, 'getObjectAcl', 'GetObjectAcl'),
  row(O, 'putSymlink', 'PutSymlink'),
  row(O, 'getSymlink', 'GetSymlink'),
  row(O, 'restoreObject', 'RestoreObject'),
  row(O, 'selectObject', 'SelectObject', 'Node build; emulator: SQL subset (select columns, where with AND, limit) on CSV and JSON'),
  row(O, 'createSelectObjectMeta', 'CreateSelectObjectMeta', 'Node build; emulator: counts rows/columns; splits per 64 KiB'),
  row(O, 'putObjectTagging', 'PutObjectTagging'),
  row(O, 'getObjectTagging', 'GetObjectTagging'),
  row(O, 'deleteObjectTagging', 'DeleteObjectTagging'),
  row(M, 'initiateMultipartUpload', 'InitiateMultipartUpload'),
  row(M, 'uploadPart', 'UploadPart'),
  row(M, 'uploadPartCopy', 'UploadPartCopy'),
  row(M, 'completeMultipartUpload', 'CompleteMultipartUpload'),
  row(M, 'abortMultipartUpload', 'AbortMultipartUpload'),
  row(M, 'listMultipartUploads', 'ListMultipartUploads'),
  row(M, 'listParts', 'ListParts'),
  row('CORS', 'putBucketCors', 'PutBucketCors', 'Node build'),
  row('CORS', 'getBucketCors', 'GetBucketCors', 'Node build'),
  row('CORS', 'deleteBucketCors', 'DeleteBucketCors', 'Node build'),
  row('CORS', 'optionObject', 'OptionObject', 'Node build'),
  row(L, 'putLiveChannel', 'PutLiveChannel', 'Node build; emulator: no RTMP ingest'),
  row(L, 'putLiveChannelStatus', 'PutLiveChannelStatus', 'Node build'),
  row(L, 'getLiveChannelInfo', 'GetLiveChannelInfo', 'Node build'),
  row(L, 'getLiveChannelStat', 'GetLiveChannelStat', 'Node build; emulator: always Idle or Disabled'),
  row(L, 'getLiveChannelHistory', 'GetLiveChannelHistory', 'Node build; emulator: empty (no pushes)'),
  row(L, 'listLiveChannels', 'ListLiveChannel', 'Node build'),
  row(L, 'deleteLiveChannel', 'DeleteLiveChannel', 'Node build'),
  row(L, 'getVodPlaylist', 'GetVodPlaylist', 'Node build; emulator: a playlist with no fragments'),
  row(L, 'postVodPlaylist', 'PostVodPlaylist', 'Node build'),
  row(L, 'presignRtmpUrl', [], 'Node build; client-side signing; nothing to emulate'),
];
