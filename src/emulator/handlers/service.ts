/**
 * Service-level operations: ListBuckets (GET /).
 */
import type { EmulatorEnv, EmulatorRequest, Handler } from '../context.js';
import { EmulatorError } from '../context.js';
import { OWNER, bucketSummary, xmlResponse } from './common.js';

/** `max-keys` for ListBuckets: 1–1000, default 100. */
function parseMaxKeys(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new EmulatorError(400, 'InvalidArgument', 'Argument max-keys must be an integer between 1 and 1000.', {
      ArgumentName: 'max-keys',
      ArgumentValue: value,
      EC: '0017-00000103',
    });
  }
  return n;
}

/** ListBuckets: prefix, marker (exclusive) and max-keys; NextMarker when truncated. */
const listBuckets: Handler = async (request: EmulatorRequest, env: EmulatorEnv) => {
  const { prefix = '', marker = '' } = request.query;
  const paged = 'max-keys' in request.query || 'prefix' in request.query || 'marker' in request.query;
  const maxKeys = parseMaxKeys(request.query['max-keys'], 1000);
  const matching = env.storage.listBuckets().filter((b) => b.name.startsWith(prefix) && b.name > marker);
  const page = matching.slice(0, maxKeys);
  const truncated = matching.length > page.length;
  return xmlResponse('ListAllMyBucketsResult', {
    ...(paged
      ? {
          Prefix: prefix,
          Marker: marker,
          MaxKeys: request.query['max-keys'] === undefined ? undefined : maxKeys,
          IsTruncated: truncated,
          NextMarker: truncated ? page[page.length - 1]!.name : undefined,
        }
      : {}),
    Owner: { ...OWNER },
    Buckets: { Bucket: page.map(bucketSummary) },
  });
};

export const serviceHandlers: Record<string, Handler> = { ListBuckets: listBuckets };
