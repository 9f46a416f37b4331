/** GetBucketStat: a bucket's storage use and object, upload and channel counts, per storage class. */
import { requireBucket } from '../validate.js';
import { int, readXmlRoot } from '../xml.js';
import { requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

/** Every counter of `<BucketStat>`, by element name. Storage is in bytes; `…RealStorage` is the size actually stored, `…Storage` the billed size (small IA/Archive objects bill as 64 KiB). */
export const BUCKET_STAT_FIELDS = [
  'Storage',
  'ObjectCount',
  'MultipartUploadCount',
  'LiveChannelCount',
  'LastModifiedTime',
  'StandardStorage',
  'StandardObjectCount',
  'InfrequentAccessStorage',
  'InfrequentAccessRealStorage',
  'InfrequentAccessObjectCount',
  'ArchiveStorage',
  'ArchiveRealStorage',
  'ArchiveObjectCount',
  'ColdArchiveStorage',
  'ColdArchiveRealStorage',
  'ColdArchiveObjectCount',
  'DeepColdArchiveStorage',
  'DeepColdArchiveRealStorage',
  'DeepColdArchiveObjectCount',
  'MultipartPartCount',
  'DeleteMarkerCount',
] as const;

type Camel<S extends string> = S extends `${infer F}${infer R}` ? `${Lowercase<F>}${R}` : S;
export type BucketStat = { [K in (typeof BUCKET_STAT_FIELDS)[number] as Camel<K>]: number };

export interface GetBucketStatOutput extends BaseOutput, BucketStat {}

/**
 * Counters OSS does not send (older regions lack the Deep Cold Archive ones) read as 0.
 * `lastModifiedTime` is Unix seconds: OSS refreshes these figures about hourly, not per request.
 *
 * @example const { storage, objectCount } = await client.getBucketStat();
 */
export const getBucketStat: Command<BaseInput, GetBucketStatOutput> = {
  name: 'GetBucketStat',
  serialize: (input) => ({ method: 'GET', bucket: requireBucket(input.bucket, 'GetBucketStat'), query: { stat: '' }, headers: {} }),
  async deserialize(response) {
    const root = await readXmlRoot(response, 'BucketStat');
    const output = { requestId: requestIdOf(response) } as GetBucketStatOutput;
    for (const tag of BUCKET_STAT_FIELDS) {
      (output as unknown as Record<string, number>)[tag[0]!.toLowerCase() + tag.slice(1)] = int(root, tag) ?? 0;
    }
    return output;
  },
};
