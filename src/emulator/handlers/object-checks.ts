/**
 * Request checks shared by the object writes (PutObject, CopyObject, DeleteMultipleObjects).
 */
import type { StoredObject } from '../context.js';
import { EmulatorError } from '../context.js';
import { md5Base64 } from './common.js';

export const OBJECT_ACLS = ['default', 'private', 'public-read', 'public-read-write'];
const STORAGE_CLASSES = ['Standard', 'IA', 'Archive', 'ColdArchive', 'DeepColdArchive'];

export function invalidHeader(name: string, value: string, message: string): never {
  throw new EmulatorError(400, 'InvalidArgument', message, { ArgumentName: name, ArgumentValue: value, EC: '0016-00000702' });
}

/** Refuses values OSS refuses for the stored headers (ACL, storage class). */
export function checkObjectHeaders(headers: Record<string, string>): void {
  const acl = headers['x-oss-object-acl'];
  if (acl !== undefined && !OBJECT_ACLS.includes(acl)) invalidHeader('x-oss-object-acl', acl, 'The object ACL is not valid.');
  const storageClass = headers['x-oss-storage-class'];
  if (storageClass !== undefined && !STORAGE_CLASSES.includes(storageClass)) {
    invalidHeader('x-oss-storage-class', storageClass, 'The storage class is not valid.');
  }
}

/** The EC values OSS answers a bad Content-MD5 with; they differ by API family. */
export interface Md5Ecs {
  malformed: string;
  mismatch: string;
}

const OBJECT_MD5_ECS: Md5Ecs = { malformed: '0016-00000401', mismatch: '0016-00000402' };

/** Content-MD5 must be the base64 of 16 bytes and match the body. */
export function checkContentMd5(headers: Record<string, string>, data: Uint8Array, ecs: Md5Ecs = OBJECT_MD5_ECS): void {
  if (headers['content-md5'] !== undefined) checkContentMd5Digest(headers, md5Base64(data), ecs);
}

/** {@link checkContentMd5} against the base64 MD5 computed while the body streamed. */
export function checkContentMd5Digest(headers: Record<string, string>, md5: string, ecs: Md5Ecs = OBJECT_MD5_ECS): void {
  const provided = headers['content-md5'];
  if (provided === undefined) return;
  if (!/^[A-Za-z0-9+/]{22}==$/.test(provided.trim())) {
    throw new EmulatorError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.', { EC: ecs.malformed });
  }
  if (md5 !== provided.trim()) {
    throw new EmulatorError(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', {
      'Content-MD5': provided,
      EC: ecs.mismatch,
    });
  }
}

/** x-oss-forbid-overwrite: true refuses to replace an existing object. */
export function checkOverwrite(headers: Record<string, string>, existing: StoredObject | undefined): void {
  if (existing && headers['x-oss-forbid-overwrite'] === 'true') {
    throw new EmulatorError(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.', {
      EC: '0016-00000708',
    });
  }
}
