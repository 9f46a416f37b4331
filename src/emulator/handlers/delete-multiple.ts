/**
 * DeleteMultipleObjects: POST /?delete with `<Delete><Quiet/><Object><Key/></Object>…</Delete>`.
 * Content-MD5 is required; missing keys count as deleted; Quiet answers an empty result.
 * With `encoding-type=url` the keys of the answer are url-encoded (the request's never are).
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
  // Request keys are the XML text as it stands: never url-decoded, whatever `encoding-type` says
  // (it only asks for encoded keys in the answer), so `a%2Fb` deletes `a%2Fb` and not `a/b`.
  const urlEncoded = request.query['encoding-type'] === 'url';
  const objects = children(root, 'Object');
  const keys = objects.map((o) => childText(o, 'Key') ?? '');
  if (keys.length === 0 || keys.length > MAX_DELETE_KEYS || keys.some((k) => k === '')) throw malformedXml();
  // Versions are not emulated: naming one must not delete the current object.
  const versioned = objects.map((o) => childText(o, 'VersionId')).find((v) => v !== undefined && v !== 'null');
  if (versioned !== undefined) {
    throw new EmulatorError(501, 'NotImplemented', 'Deleting a specific object version is not implemented by this emulator.', { Header: 'VersionId' });
  }
  const quiet = (childText(root, 'Quiet') ?? 'false').trim().toLowerCase() === 'true';
  for (const key of keys) env.storage.deleteObject(bucket.name, key);
  const encode = urlEncoded ? encodeURIComponent : (key: string) => key;
  return xmlResponse('DeleteResult', {
    EncodingType: urlEncoded ? 'url' : undefined,
    Deleted: quiet ? undefined : keys.map((key) => ({ Key: encode(key) })),
  });
};

export const deleteMultipleHandlers: Record<string, Handler> = { DeleteMultipleObjects: deleteMultipleObjects };
