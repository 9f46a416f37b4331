/**
 * GetBucketInfo and GetBucketStat answers, computed from the emulator's state: the stored
 * configurations (versioning, encryption, logging, transfer acceleration) feed BucketInfo; objects,
 * uploads and LiveChannels are counted for BucketStat.
 */
import type { BucketRecord, EmulatorEnv, Handler } from '../context.js';
import type { RouteRow } from './index.js';
import { bodyOf } from '../storage-body.js';
import { childText, children, parseXml, type ParsedXml } from '../xml.js';
import { OWNER, bucketSummary, requireBucket, xmlResponse } from './common.js';
import { liveChannelCount } from './live-channel.js';

/** The root element of a stored configuration document, if any. */
function storedRoot(bucket: BucketRecord, subresource: string, root: string): ParsedXml | undefined {
  const xml = bucket.configs.get(subresource);
  const node = xml ? parseXml(xml)?.[root] : undefined;
  return Array.isArray(node) ? node[0] : node;
}

export const getBucketInfo: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const versioning = childText(storedRoot(bucket, 'versioning', 'VersioningConfiguration'), 'Status') || undefined;
  const sse = children(storedRoot(bucket, 'encryption', 'ServerSideEncryptionRule'), 'ApplyServerSideEncryptionByDefault')[0];
  const logging = children(storedRoot(bucket, 'logging', 'BucketLoggingStatus'), 'LoggingEnabled')[0];
  const acceleration = childText(storedRoot(bucket, 'transferAcceleration', 'TransferAccelerationConfiguration'), 'Enabled') === 'true';
  return xmlResponse('BucketInfo', {
    Bucket: {
      AccessMonitor: 'Disabled',
      ...bucketSummary(bucket),
      TransferAcceleration: acceleration ? 'Enabled' : 'Disabled',
      CrossRegionReplication: 'Disabled',
      DataRedundancyType: 'LRS',
      ResourceGroupId: 'rg-default',
      Versioning: versioning,
      Owner: { ...OWNER },
      AccessControlList: { Grant: bucket.acl },
      Comment: '',
      BlockPublicAccess: false,
      ServerSideEncryptionRule: {
        SSEAlgorithm: childText(sse, 'SSEAlgorithm') || 'None',
        KMSMasterKeyID: childText(sse, 'KMSMasterKeyID') || undefined,
        KMSDataEncryption: childText(sse, 'KMSDataEncryption') || undefined,
      },
      BucketPolicy: { LogBucket: childText(logging, 'TargetBucket') ?? '', LogPrefix: childText(logging, 'TargetPrefix') ?? '' },
    },
  });
};

/** Billed size of one object: IA and colder classes bill at least 64 KiB. */
const MIN_BILLED = 64 * 1024;
const CLASS_PREFIX: Record<string, string> = {
  Standard: 'Standard',
  IA: 'InfrequentAccess',
  Archive: 'Archive',
  ColdArchive: 'ColdArchive',
  DeepColdArchive: 'DeepColdArchive',
};

/** Every BucketStat counter for a bucket. */
export function bucketStat(bucket: BucketRecord, env: EmulatorEnv): Record<string, number> {
  const stat: Record<string, number> = {
    Storage: 0,
    ObjectCount: 0,
    MultipartUploadCount: 0,
    LiveChannelCount: liveChannelCount(bucket),
    LastModifiedTime: Math.floor(bucket.created.getTime() / 1000),
  };
  for (const prefix of Object.values(CLASS_PREFIX)) {
    stat[`${prefix}Storage`] = 0;
    if (prefix !== 'Standard') stat[`${prefix}RealStorage`] = 0;
    stat[`${prefix}ObjectCount`] = 0;
  }
  let latest = stat['LastModifiedTime']!;
  for (const key of env.storage.listKeys(bucket.name)) {
    const object = env.storage.getObject(bucket.name, key);
    if (!object) continue;
    // The size without reading the bytes (a disk-backed object would be read whole).
    const size = bodyOf(object).size;
    const prefix = CLASS_PREFIX[object.headers['x-oss-storage-class'] ?? 'Standard'] ?? 'Standard';
    stat['Storage']! += size;
    stat['ObjectCount']!++;
    stat[`${prefix}ObjectCount`]!++;
    if (prefix === 'Standard') stat['StandardStorage']! += size;
    else {
      stat[`${prefix}RealStorage`]! += size;
      stat[`${prefix}Storage`]! += Math.max(size, MIN_BILLED);
    }
    latest = Math.max(latest, Math.floor(object.lastModified.getTime() / 1000));
  }
  let parts = 0;
  for (const upload of env.storage.listUploads(bucket.name)) {
    stat['MultipartUploadCount']!++;
    for (const part of upload.parts.values()) {
      parts++;
      stat['Storage']! += part.body.size;
    }
  }
  stat['MultipartPartCount'] = parts;
  stat['DeleteMarkerCount'] = 0;
  stat['LastModifiedTime'] = latest;
  return stat;
}

export const getBucketStat: Handler = async (request, env) => xmlResponse('BucketStat', bucketStat(requireBucket(request, env), env));

/** `GET /?stat` on a bucket. */
export const BUCKET_STAT_ROUTES: readonly RouteRow[] = [{ method: 'GET', level: 'bucket', subresource: 'stat', operation: 'GetBucketStat' }];

export const bucketInfoHandlers: Record<string, Handler> = { GetBucketInfo: getBucketInfo, GetBucketStat: getBucketStat };
