/**
 * Object tags as the wire carries them: the `x-oss-tagging` header of writes is a URL query
 * (`k1=v1&k2=v2`), the `?tagging` document is `<Tagging><TagSet><Tag><Key/><Value/></Tag>…`.
 * OSS limits an object to 10 tags, keys to 1–128 characters and values to 256; both forms are
 * checked here before anything is sent.
 */
import { invalidArgument } from '../../errors.js';
import { rfc3986Encode } from '../../signer/encode.js';

export const MAX_OBJECT_TAGS = 10;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;

/** Refuses a tag set OSS would refuse. */
export function validateTags(tags: Record<string, string>): void {
  if (typeof tags !== 'object' || tags === null) throw invalidArgument('tags must be an object of string keys and values');
  const entries = Object.entries(tags);
  if (entries.length > MAX_OBJECT_TAGS) throw invalidArgument(`an object holds at most ${MAX_OBJECT_TAGS} tags, not ${entries.length}`);
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > MAX_TAG_KEY) throw invalidArgument(`tag key "${key.slice(0, 20)}…" must be 1 to ${MAX_TAG_KEY} characters`);
    if (typeof value !== 'string') throw invalidArgument(`tag "${key}" must have a string value`);
    if (value.length > MAX_TAG_VALUE) throw invalidArgument(`tag "${key}" has a value longer than ${MAX_TAG_VALUE} characters`);
  }
}

/**
 * The `x-oss-tagging` header value: a map is checked and encoded, a string is sent as given.
 * @example encodeTagging({ a: '1', b: 'x y' }) // 'a=1&b=x%20y'
 */
export function encodeTagging(tagging: string | Record<string, string> | undefined): string | undefined {
  if (tagging === undefined || typeof tagging === 'string') return tagging;
  validateTags(tagging);
  return Object.entries(tagging)
    .map(([k, v]) => `${rfc3986Encode(k)}=${rfc3986Encode(v)}`)
    .join('&');
}
