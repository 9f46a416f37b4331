/**
 * Symbolic links: PutSymlink / GetSymlink (`?symlink`), and reading through a link. A link is an
 * object with no data, `x-oss-object-type: Symlink` and the target key beside its headers.
 * The `x-oss-symlink-target` header carries the key URL-encoded (as the SDKs send and read it).
 */
import type { EmulatorEnv, EmulatorRequest, Handler, StoredObject } from '../context.js';
import { EmulatorError } from '../context.js';
import { describeFromHeaders, etagOf, httpDate, isValidKey, requireBucket, requireObject } from './common.js';
import { checkObjectHeaders, checkOverwrite } from './object-checks.js';
import { checkTaggingHeader } from './object-tagging.js';
import { existingFor, versionHeader, withVersion } from './versioning.js';

const EMPTY = new Uint8Array(0);

function decodeTarget(value: string | undefined): string {
  let target = '';
  try {
    target = decodeURIComponent(value ?? '');
  } catch {
    // Not an escaped key: refused below like any invalid name.
  }
  if (!isValidKey(target)) {
    throw new EmulatorError(400, 'InvalidArgument', 'The symlink target is not a valid object name.', {
      ArgumentName: 'x-oss-symlink-target',
      ArgumentValue: value ?? '',
    });
  }
  return target;
}

/** `dir/a b.txt` → `dir/a%20b.txt` (`/` kept, like the SDKs' escaping of object names). */
function encodeTarget(target: string): string {
  return encodeURIComponent(target).replace(/%2F/g, '/');
}

export function isSymlink(object: StoredObject): boolean {
  return object.symlinkTarget !== undefined;
}

/**
 * The object a GET or HEAD reads: the target for a link (NoSuchKey-like 404 when it is gone),
 * reported with the link's object type; any other object as it is.
 */
export function followSymlink(env: EmulatorEnv, bucket: string, object: StoredObject): StoredObject {
  if (object.symlinkTarget === undefined) return object;
  const target = env.storage.getObject(bucket, object.symlinkTarget);
  if (!target || target.symlinkTarget !== undefined) {
    throw new EmulatorError(404, 'SymlinkTargetNotExist', 'The symlink target object does not exist.', {
      SymlinkTarget: object.symlinkTarget,
    });
  }
  return { ...target, headers: { ...target.headers, 'x-oss-object-type': 'Symlink' } };
}

const putSymlink: Handler = async (request: EmulatorRequest, env) => {
  const bucket = requireBucket(request, env);
  const key = request.key ?? '';
  const target = decodeTarget(request.headers['x-oss-symlink-target']);
  checkObjectHeaders(request.headers);
  checkTaggingHeader(request.headers);
  checkOverwrite(request.headers, existingFor(env, bucket, key));
  const fields = describeFromHeaders(request.headers);
  const etag = etagOf(new TextEncoder().encode(target));
  const link = withVersion<StoredObject>({
    key,
    data: EMPTY,
    etag,
    crc64: '0',
    lastModified: env.now(),
    ...fields,
    headers: { ...fields.headers, 'x-oss-object-type': 'Symlink' },
    symlinkTarget: target,
  }, bucket);
  env.storage.putObject(bucket.name, link);
  return { status: 200, headers: { ETag: etag, ...versionHeader(bucket, link) } };
};

const getSymlink: Handler = async (request, env) => {
  const link = requireObject(request, env);
  if (link.symlinkTarget === undefined) {
    throw new EmulatorError(400, 'NotSymlink', 'The specified object is not a symlink.');
  }
  return {
    status: 200,
    headers: {
      ETag: link.etag,
      'Last-Modified': httpDate(link.lastModified),
      'Content-Type': link.contentType,
      'x-oss-symlink-target': encodeTarget(link.symlinkTarget),
      ...versionHeader(requireBucket(request, env), link),
      ...Object.fromEntries(Object.entries(link.metadata).map(([name, value]) => [`x-oss-meta-${name}`, value])),
    },
  };
};

export const symlinkHandlers: Record<string, Handler> = { PutSymlink: putSymlink, GetSymlink: getSymlink };
