/**
 * Object tagging: Put/Get/DeleteObjectTagging (`?tagging` on an object) and the `x-oss-tagging`
 * header of writes. Tags live in the object's `x-oss-tagging` header as the URL-query form OSS
 * takes on writes (`k1=v1&k2=v2`), which also gives GetObject/HeadObject their `x-oss-tagging-count`.
 */
import type { Handler, StoredObject } from '../context.js';
import { versionHeader } from './versioning.js';
import { EmulatorError } from '../context.js';
import { children, childText, parseXml } from '../xml.js';
import { malformedXml, requireBucket, requireObject, xmlResponse } from './common.js';
import { checkContentMd5 } from './object-checks.js';

/** OSS limits: at most 10 tags per object, keys 1–128 characters, values up to 256. */
const MAX_TAGS = 10;
const MAX_KEY = 128;
const MAX_VALUE = 256;

function invalidTag(message: string): EmulatorError {
  return new EmulatorError(400, 'InvalidTag', message);
}

function checkTags(tags: [string, string][]): void {
  if (tags.length > MAX_TAGS) throw invalidTag(`Object tags cannot be greater than ${MAX_TAGS}.`);
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    if (key.length < 1 || key.length > MAX_KEY) throw invalidTag('The tag key is empty or longer than 128 characters.');
    if (value.length > MAX_VALUE) throw invalidTag('The tag value is longer than 256 characters.');
    if (seen.has(key)) throw invalidTag('Tag keys must be unique.');
    seen.add(key);
  }
}

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new EmulatorError(400, 'InvalidArgument', 'The x-oss-tagging header is not a valid URL query.', {
      ArgumentName: 'x-oss-tagging',
    });
  }
}

/** `k1=v1&k2=v2` → pairs; refuses malformed encoding and broken limits. */
export function parseTaggingHeader(value: string): [string, string][] {
  const tags = value
    .split('&')
    .filter(Boolean)
    .map((pair): [string, string] => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [decodePart(pair), ''] : [decodePart(pair.slice(0, eq)), decodePart(pair.slice(eq + 1))];
    });
  checkTags(tags);
  return tags;
}

function encodeTags(tags: [string, string][]): string {
  return tags.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/** The stored tags of an object, in the order they were given. */
export function tagsOf(object: StoredObject): [string, string][] {
  const stored = object.headers['x-oss-tagging'];
  return stored ? parseTaggingHeader(stored) : [];
}

/** Checks an `x-oss-tagging` request header (PutObject, InitiateMultipartUpload, CopyObject, …). */
export function checkTaggingHeader(headers: Record<string, string>): void {
  const value = headers['x-oss-tagging'];
  if (value !== undefined) parseTaggingHeader(value);
}

function withTags(object: StoredObject, tags: [string, string][]): StoredObject {
  const { 'x-oss-tagging': _old, ...headers } = object.headers;
  return { ...object, headers: tags.length ? { ...headers, 'x-oss-tagging': encodeTags(tags) } : headers };
}

const putObjectTagging: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const object = requireObject(request, env);
  const data = await request.body();
  checkContentMd5(request.headers, data);
  const root = parseXml(new TextDecoder().decode(data))?.['Tagging'];
  if (root === undefined || Array.isArray(root)) throw malformedXml();
  const tagSet = children(root, 'TagSet')[0];
  const tags = children(tagSet, 'Tag').map((tag): [string, string] => [childText(tag, 'Key') ?? '', childText(tag, 'Value') ?? '']);
  checkTags(tags);
  env.storage.updateObject(bucket.name, withTags(object, tags));
  return { status: 200, headers: versionHeader(bucket, object) };
};

const getObjectTagging: Handler = async (request, env) => {
  const object = requireObject(request, env);
  const tags = { TagSet: { Tag: tagsOf(object).map(([Key, Value]) => ({ Key, Value })) } };
  return xmlResponse('Tagging', tags, 200, versionHeader(requireBucket(request, env), object));
};

const deleteObjectTagging: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const object = requireObject(request, env);
  env.storage.updateObject(bucket.name, withTags(object, []));
  return { status: 204, headers: versionHeader(bucket, object) };
};

export const objectTaggingHandlers: Record<string, Handler> = {
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
};
