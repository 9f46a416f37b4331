/**
 * DeleteMultipleObjects: POST /?delete with `<Delete><Quiet/><Object><Key/></Object>…</Delete>`.
 * Content-MD5 is required; missing keys count as deleted; Quiet answers an empty result.
 */
import type { Handler } from '../context.js';
import { EmulatorError } from '../context.js';
import { childText, children, parseXml } from '../xml.js';
import { malformedXml, requireBucket, xmlResponse } from './common.js';
import { checkContentMd5 } from './object-checks.js';

const MAX_DELETE_KEYS = 1000;

const deleteMultipleObjects: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const data = await request.body();
  if (request.headers['content-md5'] === undefined) {
    throw new EmulatorError(400, 'MissingArgument', 'Missing Some Required Arguments.', {
      ArgumentName: 'Content-MD5',
      EC: '0016-00000606',
    });
  }
  checkContentMd5(request.headers, data);
  const parsed = parseXml(new TextDecoder().decode(data));
  const root = parsed?.['Delete'];
  if (root === undefined || Array.isArray(root)) throw malformedXml();
  const urlEncoded = request.query['encoding-type'] === 'url';
  const keys = children(root, 'Object').map((o) => childText(o, 'Key') ?? '');
  if (keys.length === 0 || keys.length > MAX_DELETE_KEYS || keys.some((k) => k === '')) throw malformedXml();
  const quiet = (childText(root, 'Quiet') ?? 'false').trim().toLowerCase() === 'true';
  for (const key of keys) env.storage.deleteObject(bucket.name, urlEncoded ? decodeURIComponent(key) : key);
  return xmlResponse('DeleteResult', {
    EncodingType: urlEncoded ? 'url' : undefined,
    Deleted: quiet ? undefined : keys.map((Key) => ({ Key })),
  });
};

export const deleteMultipleHandlers: Record<string, Handler> = { DeleteMultipleObjects: deleteMultipleObjects };
