/**
 * Which unsigned requests the ACLs let through: reads of public-read(-write) objects or buckets,
 * and writes to public-read-write buckets. An object ACL other than `default` overrides the bucket's.
 */
import type { BucketRecord, Storage } from './context.js';

const READS = new Set(['GetObject', 'HeadObject', 'GetObjectMeta']);
const WRITES = new Set(['PutObject', 'DeleteObject']);
const LISTS = new Set(['ListObjects', 'ListObjectsV2']);

function readable(acl: string): boolean {
  return acl === 'public-read' || acl === 'public-read-write';
}

/**
 * @example isAnonymousAllowed('GetObject', bucket, 'a.txt', storage)
 */
export function isAnonymousAllowed(
  operation: string,
  bucket: BucketRecord | undefined,
  key: string | undefined,
  storage: Storage,
): boolean {
  if (!bucket) return false;
  if (LISTS.has(operation)) return readable(bucket.acl);
  if (WRITES.has(operation)) return bucket.acl === 'public-read-write';
  if (!READS.has(operation) || key === undefined) return false;
  const objectAcl = storage.getObject(bucket.name, key)?.headers['x-oss-object-acl'] ?? 'default';
  return readable(objectAcl === 'default' ? bucket.acl : objectAcl);
}
