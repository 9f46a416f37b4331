/** GetBucketLocation: the bucket's region, as `oss-cn-hangzhou`. */
import { requireBucket } from '../validate.js';
import { xmlDocumentValue } from '../xml.js';
import { requestIdOf, responseText } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

export type GetBucketLocationInput = BaseInput;

export interface GetBucketLocationOutput extends BaseOutput {
  /** `oss-cn-hangzhou` */
  location: string;
}

/**
 * @example
 * const { location } = await client.getBucketLocation({ bucket: 'b' }); // 'oss-cn-hangzhou'
 */
export const getBucketLocation: Command<GetBucketLocationInput, GetBucketLocationOutput> = {
  name: 'GetBucketLocation',
  serialize(input) {
    return { method: 'GET', bucket: requireBucket(input.bucket, 'GetBucketLocation'), query: { location: '' }, headers: {} };
  },
  async deserialize(response) {
    const value = xmlDocumentValue(await responseText(response), 'LocationConstraint');
    const location = typeof value === 'string' ? value : '';
    return { requestId: requestIdOf(response), location };
  },
};
