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
  row(B, 'listBuckets', 'ListBuckets'),
  row(B, 'putBucket', 'PutBucket'),
  row(B, 'deleteBucket', 'DeleteBucket'),
  row(B, 'getBucketInfo', 'GetBucketInfo'),
  row(B, 'getBucketLocation', 'GetBucketLocation'),
  row(B, 'getBucketStat', 'GetBucketStat', 'emulator: counted from its state'),
  row(B, 'putBucketAcl', 'PutBucketAcl', 'emulator: stored, not enforced'),
  row(B, 'getBucketAcl', 'GetBucketAcl'),
  row(C, 'putBucketLogging', 'PutBucketLogging', 'emulator: stored, no logs written'),
  row(C, 'getBucketLogging', 'GetBucketLogging'),
  row(C, 'deleteBucketLogging', 'DeleteBucketLogging'),
  row(C, 'putBucketWebsite', 'PutBucketWebsite', 'emulator: stored, no website endpoint'),
  row(C, 'getBucketWebsite', 'GetBucketWebsite'),
  row(C, 'deleteBucketWebsite', 'DeleteBucketWebsite'),
  row(C, 'putBucketReferer', 'PutBucketReferer', 'emulator: stored, not enforced'),
  row(C, 'getBucketReferer', 'GetBucketReferer'),
  row(C, 'putBucketLifecycle', 'PutBucketLifecycle', 'emulator: stored, rules not run'),
  row(C, 'getBucketLifecycle', 'GetBucketLifecycle'),
  row(C, 'deleteBucketLifecycle', 'DeleteBucketLifecycle'),
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
  row('CORS', 'putBucketCors', 'PutBucketCors'),
  row('CORS', 'getBucketCors', 'GetBucketCors'),
  row('CORS', 'deleteBucketCors', 'DeleteBucketCors'),
  row('CORS', 'optionObject', 'OptionObject'),
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
