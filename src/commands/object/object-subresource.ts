/**
 * The request every object sub-resource operation starts from (`GET /key?acl`, `PUT /key?tagging`,
 * …): bucket and key checked, the sub-resource as a bare query key, optional versionId.
 */
import { requireBucket, requireField } from '../validate.js';
import type { BaseInput, HttpMethod, HttpRequest } from '../types.js';

export interface ObjectSubresourceInput extends BaseInput {
  key: string;
  versionId?: string;
}

export function objectSubresourceRequest(
  method: HttpMethod,
  operation: string,
  subresource: string,
  input: ObjectSubresourceInput,
  headers: Record<string, string> = {},
): HttpRequest {
  const bucket = requireBucket(input.bucket, operation);
  const key = requireField(input.key, 'key', operation);
  const query: Record<string, string> = { [subresource]: '' };
  if (input.versionId) query['versionId'] = input.versionId;
  return { method, bucket, key, query, headers };
}
