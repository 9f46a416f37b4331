/**
 * Archive storage: an Archive or ColdArchive object cannot be read (403 InvalidObjectState) until
 * RestoreObject (`POST ?restore`) has made a temporary copy. The first restore answers 202 and takes
 * `restoreDelayMs` (OSS: minutes to hours); another restore meanwhile is 409
 * RestoreAlreadyInProgress; once restored, a restore answers 200 and extends the expiry.
 * HEAD reports the state in `x-oss-restore`.
 */
import type { EmulatorEnv, Handler, StoredObject } from '../context.js';
import { versionHeader } from './versioning.js';
import { EmulatorError } from '../context.js';
import { children, childText, parseXml } from '../xml.js';
import { httpDate, malformedXml, requireBucket, requireObject } from './common.js';
import { checkContentMd5 } from './object-checks.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const ARCHIVE_CLASSES = ['Archive', 'ColdArchive', 'DeepColdArchive'];
const TIERS = ['Expedited', 'Standard', 'Bulk'];

function isArchived(object: StoredObject): boolean {
  return ARCHIVE_CLASSES.includes(object.headers['x-oss-storage-class'] ?? '');
}

type RestoreState = 'none' | 'ongoing' | 'restored';

function stateOf(object: StoredObject, now: number): RestoreState {
  const restore = object.restore;
  if (!restore || now >= restore.expiresAt) return 'none';
  return now < restore.readyAt ? 'ongoing' : 'restored';
}

/** The `x-oss-restore` header of an archived object, or undefined when no restore is under way or done. */
export function restoreHeader(object: StoredObject, env: EmulatorEnv): string | undefined {
  const state = stateOf(object, env.now().getTime());
  if (state === 'ongoing') return 'ongoing-request="true"';
  if (state === 'restored') return `ongoing-request="false", expiry-date="${httpDate(new Date(object.restore!.expiresAt))}"`;
  return undefined;
}

/** GetObject of an archived object needs a finished restore. */
export function checkReadable(object: StoredObject, env: EmulatorEnv): void {
  if (isArchived(object) && stateOf(object, env.now().getTime()) !== 'restored') {
    throw new EmulatorError(403, 'InvalidObjectState', 'The operation is not valid for the object\'s state');
  }
}

/** Days (default 1, 1–365) and tier from the optional `<RestoreRequest>` body. */
function parseRestoreRequest(text: string): { days: number } {
  if (text.trim() === '') return { days: 1 };
  const root = parseXml(text)?.['RestoreRequest'];
  if (root === undefined || Array.isArray(root)) throw malformedXml();
  const daysText = childText(root, 'Days') ?? '1';
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > 365) {
    throw new EmulatorError(400, 'InvalidArgument', 'The restore days must be an integer from 1 to 365.', { ArgumentName: 'Days', ArgumentValue: daysText });
  }
  const tier = childText(children(root, 'JobParameters')[0], 'Tier');
  if (tier !== undefined && !TIERS.includes(tier)) {
    throw new EmulatorError(400, 'InvalidArgument', 'The restore tier is not valid.', { ArgumentName: 'Tier', ArgumentValue: tier });
  }
  return { days };
}

const restoreObject: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const object = requireObject(request, env);
  const data = await request.body();
  checkContentMd5(request.headers, data);
  const { days } = parseRestoreRequest(new TextDecoder().decode(data));
  if (!isArchived(object)) {
    throw new EmulatorError(400, 'OperationNotSupported', 'The operation is not supported for this resource');
  }
  const now = env.now().getTime();
  const state = stateOf(object, now);
  if (state === 'ongoing') {
    throw new EmulatorError(409, 'RestoreAlreadyInProgress', 'The restore operation is in progress.');
  }
  if (state === 'restored') {
    env.storage.updateObject(bucket.name, { ...object, restore: { ...object.restore!, expiresAt: now + days * DAY_MS } });
    return { status: 200, headers: versionHeader(bucket, object) };
  }
  const readyAt = now + (env.restoreDelayMs ?? 1000);
  env.storage.updateObject(bucket.name, { ...object, restore: { readyAt, expiresAt: readyAt + days * DAY_MS } });
  return { status: 202, headers: versionHeader(bucket, object) };
};

export const restoreHandlers: Record<string, Handler> = { RestoreObject: restoreObject };
