/**
 * ListObjects (v1: marker/NextMarker) and ListObjectsV2 (`list-type=2`: continuation tokens,
 * start-after, fetch-owner, KeyCount). Both walk the bucket's keys in UTF-8 byte order and fold
 * keys sharing `prefix + … + delimiter` into one CommonPrefixes entry that counts as one item.
 */
import type { EmulatorEnv, EmulatorRequest, Handler, StoredObject } from '../context.js';
import { bodyOf } from '../storage-body.js';
import { EmulatorError } from '../context.js';
import { compareKeys } from '../storage.js';
import type { XmlObject } from '../xml.js';
import { OWNER, isoDate, requireBucket, xmlResponse } from './common.js';

type Item = { key: string; object: StoredObject } | { prefix: string };

interface Page {
  items: Item[];
  truncated: boolean;
  /** The last key or common prefix returned (what the next page starts after). */
  last?: string;
}

export function invalidArgument(name: string, value: string, message: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value, EC: '0016-00000702' });
}

export function parseMaxKeys(value: string | undefined): number {
  if (value === undefined || value === '') return 100;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 1000) {
    throw invalidArgument('max-keys', value, 'Argument max-keys must be an integer between 0 and 1000.');
  }
  return n;
}

/** First index whose key sorts after `target` (or at it, when `inclusive`), by binary search. */
export function bound(keys: string[], target: string, inclusive: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(keys[mid]!, target);
    if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function collect(
  env: EmulatorEnv,
  bucket: string,
  options: { prefix: string; delimiter: string; after: string; maxKeys: number },
): Page {
  const { prefix, delimiter, after, maxKeys } = options;
  const keys = env.storage.listKeys(bucket);
  const items: Item[] = [];
  let last: string | undefined;
  const start = Math.max(bound(keys, after, false), bound(keys, prefix, true));
  for (let i = start; i < keys.length; i++) {
    const key = keys[i]!;
    // Keys are sorted, so the first key past the prefix ends the walk.
    if (!key.startsWith(prefix)) break;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    // A group already returned (or the marker itself) is not returned again.
    if (common !== undefined && (common === last || compareKeys(common, after) <= 0)) continue;
    if (items.length === maxKeys) return { items, truncated: true, last };
    if (common !== undefined) {
      items.push({ prefix: common });
      last = common;
    } else {
      const object = env.storage.getObject(bucket, key);
      if (!object) continue;
      items.push({ key, object });
      last = key;
    }
  }
  return { items, truncated: false, last };
}

/** `encoding-type=url` percent-encodes names in the answer (for keys XML cannot carry). */
export function encoder(request: EmulatorRequest): (text: string) => string {
  const type = request.query['encoding-type'];
  if (type !== undefined && type !== '' && type !== 'url') {
    throw invalidArgument('encoding-type', type, 'The encoding-type must be url.');
  }
  return type === 'url' ? (text) => encodeURIComponent(text) : (text) => text;
}

function contents(page: Page, encode: (t: string) => string, withOwner: boolean): XmlObject[] {
  return page.items.flatMap((item) =>
    'key' in item
      ? [
          {
            Key: encode(item.key),
            LastModified: isoDate(item.object.lastModified),
            ETag: item.object.etag,
            Type: item.object.headers['x-oss-object-type'] ?? (item.object.etag.includes('-') ? 'Multipart' : 'Normal'),
            Size: bodyOf(item.object).size,
            StorageClass: item.object.headers['x-oss-storage-class'] ?? 'Standard',
            Owner: withOwner ? { ...OWNER } : undefined,
          },
        ]
      : [],
  );
}

function commonPrefixes(page: Page, encode: (t: string) => string): { Prefix: string }[] {
  return page.items.flatMap((item) => ('prefix' in item ? [{ Prefix: encode(item.prefix) }] : []));
}

const listObjects: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const encode = encoder(request);
  const { prefix = '', marker = '', delimiter = '' } = request.query;
  const maxKeys = parseMaxKeys(request.query['max-keys']);
  const page = collect(env, bucket.name, { prefix, delimiter, after: marker, maxKeys });
  return xmlResponse('ListBucketResult', {
    Name: bucket.name,
    Prefix: encode(prefix),
    Marker: encode(marker),
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    EncodingType: request.query['encoding-type'] || undefined,
    IsTruncated: page.truncated,
    NextMarker: page.truncated && page.last !== undefined ? encode(page.last) : undefined,
    Contents: contents(page, encode, true),
    CommonPrefixes: commonPrefixes(page, encode),
  });
};

function decodeToken(token: string): string {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith('k:')) {
    throw invalidArgument('continuation-token', token, 'The continuation-token is not valid.');
  }
  return text.slice(2);
}

function encodeToken(after: string): string {
  return Buffer.from(`k:${after}`, 'utf8').toString('base64url');
}

const listObjectsV2: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const encode = encoder(request);
  const { prefix = '', delimiter = '' } = request.query;
  const token = request.query['continuation-token'];
  const startAfter = request.query['start-after'];
  const maxKeys = parseMaxKeys(request.query['max-keys']);
  const fromToken = token ? decodeToken(token) : '';
  const after = compareKeys(fromToken, startAfter ?? '') >= 0 ? fromToken : (startAfter ?? '');
  const page = collect(env, bucket.name, { prefix, delimiter, after, maxKeys });
  return xmlResponse('ListBucketResult', {
    Name: bucket.name,
    Prefix: encode(prefix),
    StartAfter: startAfter ? encode(startAfter) : undefined,
    ContinuationToken: token || undefined,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    EncodingType: request.query['encoding-type'] || undefined,
    IsTruncated: page.truncated,
    NextContinuationToken: page.truncated && page.last !== undefined ? encodeToken(page.last) : undefined,
    KeyCount: page.items.length,
    Contents: contents(page, encode, request.query['fetch-owner'] === 'true'),
    CommonPrefixes: commonPrefixes(page, encode),
  });
};

export const listHandlers: Record<string, Handler> = { ListObjects: listObjects, ListObjectsV2: listObjectsV2 };
