/**
 * getObjectUrl: the plain URL of an object (for public-read objects, or to hand to a CDN), built
 * by the same code that addresses requests, so path style, CNAME and custom endpoints apply and the
 * key is RFC 3986-encoded exactly as requests and signatures encode it. Nothing is signed: for a
 * private object use `presign`.
 */
import { requestUrl, type ResolvedEndpoint } from '../pipeline/endpoint.js';
import { invalidArgument } from '../errors.js';
import { validateBucketName, validateKey } from '../commands/validate.js';

export interface GetObjectUrlInput {
  key: string;
  /** Default: the client's bucket. */
  bucket?: string;
}

/**
 * @example
 * objectUrl(endpoint, { bucket: 'b', key: 'a b.txt' }); // 'https://b.oss-cn-hangzhou.aliyuncs.com/a%20b.txt'
 */
export function objectUrl(endpoint: ResolvedEndpoint, input: GetObjectUrlInput): string {
  const { bucket, key } = input;
  if (bucket === undefined) throw invalidArgument('getObjectUrl needs a bucket (none given and the client has no default bucket)');
  validateBucketName(bucket);
  validateKey(key);
  return requestUrl(endpoint, { bucket, key, query: {} });
}
