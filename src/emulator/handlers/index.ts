/**
 * The routing table: which OSS operation a request is (from method, level, sub-resources and a few
 * headers) and the handler for each operation name. Operation names are the OSS API names, the
 * same ones fault injection and request statistics use.
 *
 * Safety rule: a request that names a sub-resource no row implements is refused here (501
 * NotImplemented, or 405 MethodNotAllowed when the sub-resource exists for another method) before
 * any handler runs. Without it a `PUT ?tagging` would fall through to PutObject and overwrite the
 * object with the Tagging document, a `DELETE ?tagging` would delete the object, and so on.
 */
import { isV1SubResource } from '../../signer/subresources.js';
import { preflight } from '../cors.js';
import type { Handler } from '../context.js';
import { EmulatorError } from '../context.js';
import { bucketHandlers } from './bucket.js';
import { BUCKET_CONFIGS } from './bucket-configs.js';
import { requireBucket } from './common.js';
import { multipartHandlers } from './multipart.js';
import { objectHandlers } from './object.js';
import { handlePostObject } from './post-object.js';
import { serviceHandlers } from './service.js';
import { SELECT_ROUTES, selectObjectHandlers } from './select-object.js';
import { LIVE_CHANNEL_ROUTES, liveChannelHandlers } from './live-channel.js';
import { BUCKET_STAT_ROUTES, bucketInfoHandlers } from './bucket-info.js';

/** What routing looks at. */
export interface RouteInput {
  method: string;
  bucket?: string;
  key?: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export type RouteLevel = 'service' | 'bucket' | 'object';

/** One operation: the method and level it answers, and the sub-resource that selects it. */
export interface RouteRow {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  level: RouteLevel;
  /** The query key that selects the operation (`tagging` for `?tagging`); absent for the plain operation. */
  subresource?: string;
  operation: string;
  /** Further sub-resources that must be present too (`partNumber` beside `uploadId`). */
  also?: readonly string[];
  /** Sub-resources the operation accepts without being selected by them (`position` on append). */
  allows?: readonly string[];
  /** A further condition on the request, for operations told apart by a header or parameter value. */
  when?: (input: RouteInput) => boolean;
}

const hasCopySource = (input: RouteInput): boolean => input.headers['x-oss-copy-source'] !== undefined;
const isForm = (input: RouteInput): boolean =>
  (input.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');

/**
 * Every operation the emulator implements, as rows. More specific rows (more required
 * sub-resources) win; among equals the first row whose `when` holds wins.
 */
export const ROUTES: RouteRow[] = [
  { method: 'GET', level: 'service', operation: 'ListBuckets' },

  { method: 'GET', level: 'bucket', operation: 'ListObjectsV2', allows: ['continuation-token'], when: (i) => i.query['list-type'] === '2' },
  { method: 'GET', level: 'bucket', operation: 'ListObjects' },
  { method: 'PUT', level: 'bucket', operation: 'PutBucket' },
  { method: 'DELETE', level: 'bucket', operation: 'DeleteBucket' },
  { method: 'HEAD', level: 'bucket', operation: 'HeadBucket' },
  { method: 'POST', level: 'bucket', operation: 'PostObject', when: isForm },
  { method: 'POST', level: 'bucket', subresource: 'delete', operation: 'DeleteMultipleObjects' },
  { method: 'GET', level: 'bucket', subresource: 'uploads', operation: 'ListMultipartUploads' },
  { method: 'GET', level: 'bucket', subresource: 'versions', operation: 'ListObjectVersions' },
  { method: 'GET', level: 'bucket', subresource: 'acl', operation: 'GetBucketAcl' },
  { method: 'PUT', level: 'bucket', subresource: 'acl', operation: 'PutBucketAcl' },
  { method: 'GET', level: 'bucket', subresource: 'location', operation: 'GetBucketLocation' },
  { method: 'GET', level: 'bucket', subresource: 'bucketInfo', operation: 'GetBucketInfo' },
  ...BUCKET_CONFIGS.flatMap((row): RouteRow[] => [
    { method: 'PUT', level: 'bucket', subresource: row.subresource, operation: `PutBucket${row.name}` },
    { method: 'GET', level: 'bucket', subresource: row.subresource, operation: `GetBucket${row.name}` },
    ...(row.deletable ? [{ method: 'DELETE', level: 'bucket', subresource: row.subresource, operation: `DeleteBucket${row.name}` } as const] : []),
  ]),

  { method: 'GET', level: 'object', operation: 'GetObject', allows: ['versionId'] },
  { method: 'HEAD', level: 'object', operation: 'HeadObject', allows: ['versionId'] },
  { method: 'PUT', level: 'object', operation: 'CopyObject', when: hasCopySource },
  { method: 'PUT', level: 'object', operation: 'PutObject' },
  { method: 'DELETE', level: 'object', operation: 'DeleteObject', allows: ['versionId'] },
  { method: 'GET', level: 'object', subresource: 'objectMeta', operation: 'GetObjectMeta', allows: ['versionId'] },
  { method: 'HEAD', level: 'object', subresource: 'objectMeta', operation: 'GetObjectMeta', allows: ['versionId'] },
  { method: 'GET', level: 'object', subresource: 'acl', operation: 'GetObjectAcl', allows: ['versionId'] },
  { method: 'PUT', level: 'object', subresource: 'acl', operation: 'PutObjectAcl', allows: ['versionId'] },
  { method: 'POST', level: 'object', subresource: 'uploads', operation: 'InitiateMultipartUpload', allows: ['sequential'] },
  { method: 'PUT', level: 'object', subresource: 'uploadId', also: ['partNumber'], operation: 'UploadPartCopy', when: hasCopySource },
  { method: 'PUT', level: 'object', subresource: 'uploadId', also: ['partNumber'], operation: 'UploadPart' },
  { method: 'POST', level: 'object', subresource: 'uploadId', operation: 'CompleteMultipartUpload', allows: ['sequential'] },
  { method: 'DELETE', level: 'object', subresource: 'uploadId', operation: 'AbortMultipartUpload' },
  { method: 'GET', level: 'object', subresource: 'uploadId', operation: 'ListParts' },
  { method: 'PUT', level: 'object', subresource: 'tagging', operation: 'PutObjectTagging', allows: ['versionId'] },
  { method: 'GET', level: 'object', subresource: 'tagging', operation: 'GetObjectTagging', allows: ['versionId'] },
  { method: 'DELETE', level: 'object', subresource: 'tagging', operation: 'DeleteObjectTagging', allows: ['versionId'] },
  { method: 'PUT', level: 'object', subresource: 'symlink', operation: 'PutSymlink' },
  { method: 'GET', level: 'object', subresource: 'symlink', operation: 'GetSymlink', allows: ['versionId'] },
  { method: 'POST', level: 'object', subresource: 'append', operation: 'AppendObject', allows: ['position', 'versionId'] },
  { method: 'POST', level: 'object', subresource: 'restore', operation: 'RestoreObject', allows: ['versionId'] },
  ...SELECT_ROUTES,
  ...LIVE_CHANNEL_ROUTES,
  ...BUCKET_STAT_ROUTES,
];

/**
 * Query keys that are signed sub-resources but select no operation: every operation accepts them
 * (the signature's own parameters, the STS token, response header overrides, callbacks, and
 * parameters the emulator may ignore without changing what is stored).
 */
const MODIFIERS = new Set([
  'security-token',
  'callback',
  'callback-var',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'x-oss-signature-version',
  'x-oss-credential',
  'x-oss-date',
  'x-oss-expires',
  'x-oss-signature',
  'x-oss-additional-headers',
  'x-oss-security-token',
  'x-oss-traffic-limit',
  'x-oss-request-payer',
]);

/**
 * The query keys of a request that name a sub-resource (any SDK's V1 allow-list, or an `x-oss-`
 * parameter) other than the {@link MODIFIERS}. `versionId` counts: only the rows that read a
 * version allow it, so a write naming one (PUT ?versionId=…) is refused, never applied.
 */
export function selectorsOf(query: Record<string, string>): string[] {
  return Object.keys(query).filter((name) => !MODIFIERS.has(name) && !name.startsWith('x-oss-ac-') && isV1SubResource(name));
}

function levelOf(input: RouteInput): RouteLevel {
  if (input.bucket === undefined) return 'service';
  return input.key === undefined ? 'bucket' : 'object';
}

function required(row: RouteRow): string[] {
  return row.subresource === undefined ? [...(row.also ?? [])] : [row.subresource, ...(row.also ?? [])];
}

/** Whether the row's sub-resources are exactly what the request names (besides what it allows). */
function selects(row: RouteRow, selectors: readonly string[]): boolean {
  const needed = required(row);
  if (!needed.every((name) => selectors.includes(name))) return false;
  return selectors.every((name) => needed.includes(name) || (row.allows ?? []).includes(name));
}

/** The route a request takes: an operation, or the OSS error that refuses it before any handler runs. */
export type Route = { operation: string; refusal?: undefined } | { operation?: undefined; refusal: EmulatorError };

/**
 * Routes a request through {@link ROUTES}.
 * @example routeRequest({ method: 'PUT', bucket: 'b', key: 'k', query: { tagging: '' }, headers: {} }) // { operation: 'PutObjectTagging' }
 */
export function routeRequest(input: RouteInput): Route {
  // A CORS preflight reads the bucket's rules only, whatever the path and query name.
  if (input.method === 'OPTIONS' && input.bucket !== undefined) return { operation: 'OptionObject' };
  const level = levelOf(input);
  const selectors = selectorsOf(input.query);
  let best: RouteRow | undefined;
  for (const row of ROUTES) {
    if (row.method !== input.method || row.level !== level || !selects(row, selectors)) continue;
    if (row.when && !row.when(input)) continue;
    if (!best || required(row).length > required(best).length) best = row;
  }
  if (best) return { operation: best.operation };
  // A row guarded by `when` exists for this request only when its condition holds (a POST
  // ?x-oss-process=csv/select says nothing about GET ?x-oss-process=image/…).
  const otherMethod = ROUTES.some(
    (row) => row.level === level && selectors.length > 0 && selects(row, selectors) && (!row.when || row.when(input)),
  );
  if (selectors.length === 0 || otherMethod) {
    return {
      refusal: new EmulatorError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', {
        Method: input.method,
        ResourceType: level === 'object' ? 'Object' : level === 'bucket' ? 'Bucket' : 'Service',
      }),
    };
  }
  return {
    refusal: new EmulatorError(501, 'NotImplemented', 'A header or parameter you provided implies functionality that is not implemented.', {
      Header: selectors.join(','),
    }),
  };
}

/**
 * Names the OSS operation of a request; undefined when it is refused (see {@link routeRequest}).
 * @example resolveOperation({ method: 'GET', bucket: 'b', query: { 'list-type': '2' }, headers: {} }) // 'ListObjectsV2'
 */
export function resolveOperation(input: RouteInput): string | undefined {
  return routeRequest(input).operation;
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

/** Operations that carry no request signature by design (PostObject's form signs itself; preflights are anonymous). */
export const UNSIGNED_OPERATIONS: ReadonlySet<string> = new Set(['OptionObject', 'PostObject']);
