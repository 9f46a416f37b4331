/**
 * The routing table: which OSS operation a request is (from method, bucket, key, sub-resources and
 * a few headers) and the handler for each operation name. Operation names are the OSS API names,
 * the same ones fault injection and request statistics use.
 */
import { preflight } from '../cors.js';
import type { Handler } from '../context.js';
import { bucketHandlers } from './bucket.js';
import { findBucketConfig } from './bucket-configs.js';
import { requireBucket } from './common.js';
import { multipartHandlers } from './multipart.js';
import { objectHandlers } from './object.js';
import { handlePostObject } from './post-object.js';
import { serviceHandlers } from './service.js';
import { selectObjectHandlers, selectOperation } from './select-object.js';
import { liveChannelHandlers, liveChannelOperation } from './live-channel.js';
import { bucketInfoHandlers, isGetBucketStat } from './bucket-info.js';

/** What routing looks at. */
export interface RouteInput {
  method: string;
  bucket?: string;
  key?: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

function bucketOperation({ method, query, headers }: RouteInput): string | undefined {
  const config = findBucketConfig(query);
  switch (method) {
    case 'GET':
      if ('uploads' in query) return 'ListMultipartUploads';
      if ('acl' in query) return 'GetBucketAcl';
      if ('location' in query) return 'GetBucketLocation';
      if ('bucketInfo' in query) return 'GetBucketInfo';
      if (config) return `GetBucket${config.name}`;
      return query['list-type'] === '2' ? 'ListObjectsV2' : 'ListObjects';
    case 'PUT':
      if ('acl' in query) return 'PutBucketAcl';
      if (config) return `PutBucket${config.name}`;
      return 'PutBucket';
    case 'DELETE':
      if (config) return `DeleteBucket${config.name}`;
      return 'DeleteBucket';
    case 'POST':
      if ('delete' in query) return 'DeleteMultipleObjects';
      // A form upload is the only other POST to a bucket; its Content-Type says so.
      return (headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data') ? 'PostObject' : undefined;
    case 'HEAD':
      return 'HeadBucket';
    case 'OPTIONS':
      return 'OptionObject';
    default:
      return undefined;
  }
}

function objectOperation({ method, query, headers }: RouteInput): string | undefined {
  const copySource = headers['x-oss-copy-source'] !== undefined;
  switch (method) {
    case 'GET':
      if ('uploadId' in query) return 'ListParts';
      if ('acl' in query) return 'GetObjectAcl';
      if ('objectMeta' in query) return 'GetObjectMeta';
      return 'GetObject';
    case 'HEAD':
      return 'objectMeta' in query ? 'GetObjectMeta' : 'HeadObject';
    case 'PUT':
      if ('uploadId' in query && 'partNumber' in query) return copySource ? 'UploadPartCopy' : 'UploadPart';
      if ('acl' in query) return 'PutObjectAcl';
      return copySource ? 'CopyObject' : 'PutObject';
    case 'POST':
      if ('uploads' in query) return 'InitiateMultipartUpload';
      if ('uploadId' in query) return 'CompleteMultipartUpload';
      return undefined;
    case 'DELETE':
      return 'uploadId' in query ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'OPTIONS':
      return 'OptionObject';
    default:
      return undefined;
  }
}

/**
 * Names the OSS operation of a request; undefined when OSS has none (405 MethodNotAllowed).
 * @example resolveOperation({ method: 'GET', bucket: 'b', query: { 'list-type': '2' }, headers: {} }) // 'ListObjectsV2'
 */
export function resolveOperation(input: RouteInput): string | undefined {
  if (input.bucket === undefined) return input.method === 'GET' ? 'ListBuckets' : undefined;
  const live = liveChannelOperation(input.method, input.key, input.query);
  if (live) return live;
  if (isGetBucketStat(input.method, input.key, input.query)) return 'GetBucketStat';
  const select = input.key === undefined ? undefined : selectOperation(input.method, input.query);
  if (select) return select;
  return input.key === undefined ? bucketOperation(input) : objectOperation(input);
}

const optionObject: Handler = async (request, env) =>
  preflight(requireBucket(request, env), {
    origin: request.headers['origin'],
    requestMethod: request.headers['access-control-request-method'],
    requestHeaders: request.headers['access-control-request-headers'],
  });

/** Every operation the emulator answers, by OSS API name. */
export const handlers: Readonly<Record<string, Handler>> = {
  ...serviceHandlers,
  ...bucketHandlers,
  ...objectHandlers,
  ...(multipartHandlers as Record<string, Handler>),
  PostObject: handlePostObject,
  OptionObject: optionObject,
  ...selectObjectHandlers,
  ...liveChannelHandlers,
  ...bucketInfoHandlers,
};

/** Operations that carry no request signature by design (SIGNING.md §5: the form signs itself). */
export const UNSIGNED_OPERATIONS: ReadonlySet<string> = new Set(['OptionObject', 'PostObject']);
