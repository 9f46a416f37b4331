/**
 * OptionObject: the CORS preflight OSS answers for a bucket's CORS rules, sent from code (browsers
 * send their own). Useful to check a rule set before shipping a page: a request no rule allows is
 * refused with 403 (`OssError`, code `AccessForbidden`).
 */
import { invalidArgument } from '../../errors.js';
import { requireBucket, requireField } from '../validate.js';
import { defined, requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

export interface OptionObjectInput extends BaseInput {
  /** The object the page would send to. */
  key: string;
  /** The page's origin, e.g. `https://app.example.com`. */
  origin: string;
  /** The method the page wants to use. */
  requestMethod: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  /** Headers the page wants to send. */
  requestHeaders?: string[];
}

export interface OptionObjectOutput extends BaseOutput {
  allowOrigin?: string;
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  /** Seconds the browser may cache the answer. */
  maxAge?: number;
}

const list = (value: string | undefined) => (value ? value.split(',').map((item) => item.trim()).filter(Boolean) : []);

/** @example const { allowMethods } = await client.optionObject({ key: 'a.txt', origin: 'https://app.example.com', requestMethod: 'PUT' }); */
export const optionObject: Command<OptionObjectInput, OptionObjectOutput> = {
  name: 'OptionObject',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'OptionObject');
    const key = requireField(input.key, 'key', 'OptionObject');
    if (!input.origin) throw invalidArgument('OptionObject needs the origin of the page');
    if (!input.requestMethod) throw invalidArgument('OptionObject needs the request method to check');
    return {
      method: 'OPTIONS',
      bucket,
      key,
      query: {},
      headers: defined({
        origin: input.origin,
        'access-control-request-method': input.requestMethod,
        'access-control-request-headers': input.requestHeaders?.length ? input.requestHeaders.join(', ') : undefined,
      }),
    };
  },
  async deserialize(response) {
    const h = response.headers;
    const maxAge = h['access-control-max-age'];
    return {
      requestId: requestIdOf(response),
      ...(h['access-control-allow-origin'] ? { allowOrigin: h['access-control-allow-origin'] } : {}),
      allowMethods: list(h['access-control-allow-methods']),
      allowHeaders: list(h['access-control-allow-headers']),
      exposeHeaders: list(h['access-control-expose-headers']),
      ...(maxAge ? { maxAge: Number(maxAge) } : {}),
    };
  },
};
