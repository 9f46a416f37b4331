/**
 * Bucket operations: PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation, Get/PutBucketAcl,
 * plus the listings (list-objects.ts) and stored sub-resource configurations (bucket-configs.ts).
 */
import type { EmulatorEnv, EmulatorRequest, EmulatorResponse, Handler } from '../context.js';
import { EmulatorError } from '../context.js';
import { childText, parseXml } from '../xml.js';
import { bucketConfigHandlers } from './bucket-configs.js';
import { OWNER, isValidBucketName, malformedXml, requireBucket, xmlResponse } from './common.js';
import { listHandlers } from './list-objects.js';
import { listVersionsHandlers } from './list-versions.js';

const BUCKET_ACLS = ['private', 'public-read', 'public-read-write'];
const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

function invalidAcl(value: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', 'no such bucket access control exists', {
    ArgumentName: 'x-oss-acl',
    ArgumentValue: value,
    EC: '0015-00000204',
  });
}

export function invalidBucketName(name: string): EmulatorError {
  return new EmulatorError(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name, EC: '0015-00000001' });
}

/** The optional `<CreateBucketConfiguration><StorageClass>` body. */
function storageClassFrom(text: string): string {
  if (!text.trim()) return 'Standard';
  const parsed = parseXml(text);
  if (!parsed || !('CreateBucketConfiguration' in parsed)) throw malformedXml();
  const storageClass = childText(parsed['CreateBucketConfiguration'], 'StorageClass')?.trim() || 'Standard';
  if (!STORAGE_CLASSES.includes(storageClass)) {
    throw new EmulatorError(400, 'InvalidArgument', 'Invalid storage class.', {
      ArgumentName: 'StorageClass',
      ArgumentValue: storageClass,
      EC: '0015-00000205',
    });
  }
  return storageClass;
}

const putBucket: Handler = async (request, env) => {
  const name = request.bucket ?? '';
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  const acl = request.headers['x-oss-acl'] ?? 'private';
  if (!BUCKET_ACLS.includes(acl)) throw invalidAcl(acl);
  const storageClass = storageClassFrom(new TextDecoder().decode(await request.body()));
  if (env.storage.getBucket(name)) {
    throw new EmulatorError(409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', {
      BucketName: name,
      EC: '0015-00000104',
    });
  }
  env.storage.createBucket({ name, created: env.now(), region: env.region, storageClass, acl, configs: new Map() });
  return { status: 200, headers: { Location: `/${name}` } };
};

const deleteBucket: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  if (env.storage.listVersionKeys(bucket.name).length > 0 || env.storage.listUploads(bucket.name).length > 0) {
    throw new EmulatorError(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty.', {
      BucketName: bucket.name,
      EC: '0015-00000301',
    });
  }
  env.storage.deleteBucket(bucket.name);
  return { status: 204 };
};

const getBucketLocation: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  return xmlResponse('LocationConstraint', `oss-${bucket.region}`);
};

const getBucketAcl: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  return xmlResponse('AccessControlPolicy', { Owner: { ...OWNER }, AccessControlList: { Grant: bucket.acl } });
};

const putBucketAcl: Handler = async (request, env): Promise<EmulatorResponse> => {
  const bucket = requireBucket(request, env);
  const acl = request.headers['x-oss-acl'] ?? '';
  if (!BUCKET_ACLS.includes(acl)) throw invalidAcl(acl);
  env.storage.createBucket({ ...bucket, acl });
  return { status: 200 };
};

/** HEAD on a bucket is not an OSS API, but browsers and tools probe with it: 200 when it exists. */
const headBucket: Handler = async (request: EmulatorRequest, env: EmulatorEnv) => {
  requireBucket(request, env);
  return { status: 200 };
};

export const bucketHandlers: Record<string, Handler> = {
  PutBucket: putBucket,
  DeleteBucket: deleteBucket,
  // GetBucketInfo: bucket-info.ts (computed from the stored configurations).
  GetBucketLocation: getBucketLocation,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  HeadBucket: headBucket,
  ...listHandlers,
  ...listVersionsHandlers,
  ...bucketConfigHandlers,
};
