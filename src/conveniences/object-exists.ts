/**
 * objectExists: HeadObject answered as a boolean. "No such object" is `false`; everything else that
 * goes wrong (no such bucket, access denied, network) is thrown, so a typo in a bucket name or a
 * missing permission never reads as "the object is not there".
 */
import { headObject, type HeadObjectInput } from '../commands/object/head-object.js';
import { OssError } from '../errors.js';
import type { CommandSender } from '../commands/multipart/paginators.js';

export type ObjectExistsInput = HeadObjectInput;

/**
 * @example
 * if (!(await objectExists(client, { key: 'a.txt' }))) await client.putObject({ key: 'a.txt', body: 'first' });
 */
export async function objectExists(sender: CommandSender, input: ObjectExistsInput): Promise<boolean> {
  try {
    await sender.send(headObject, input);
    return true;
  } catch (error) {
    if (isMissingObject(error)) return false;
    throw error;
  }
}

/** `NoSuchKey`, or a 404 whose code says nothing more specific (HEAD answers carry no body). */
function isMissingObject(error: unknown): boolean {
  if (!(error instanceof OssError) || error.status !== 404) return false;
  return error.code !== 'NoSuchBucket';
}
