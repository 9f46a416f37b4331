/**
 * deleteObjects: delete every object under a prefix (listed page by page) or a list of keys of any
 * length, 1000 keys per DeleteMultipleObjects request in quiet mode, and count them. Memory stays at
 * one page of keys, whatever the prefix holds.
 */
import { deleteMultipleObjects, type DeleteMultipleObjectsInput } from '../commands/object/delete-multiple-objects.js';
import { listObjectsV2 } from '../commands/object/list-objects-v2.js';
import type { BaseInput, BaseOutput } from '../commands/types.js';
import { invalidArgument } from '../errors.js';
import { nextListObjectsV2, paginate } from '../commands/paginate.js';
import { validateKey } from '../commands/validate.js';
import type { CommandSender } from '../commands/multipart/paginators.js';

/** OSS takes at most this many keys in one DeleteMultipleObjects request. */
export const DELETE_BATCH_SIZE = 1000;

type KeyEntry = DeleteMultipleObjectsInput['keys'][number];

export type DeleteObjectsInput = BaseInput &
  (
    | {
        /** Every object whose key starts with this (not empty: that would be the whole bucket). */
        prefix: string;
        keys?: never;
      }
    | {
        /** Any number of keys (or `{ key, versionId }`); keys that do not exist count as deleted, as OSS reports them. */
        keys: KeyEntry[];
        prefix?: never;
      }
  );

export interface DeleteObjectsOutput extends BaseOutput {
  /** Keys deleted (with `keys`: every key sent in a request that succeeded). */
  deleted: number;
  /** One per DeleteMultipleObjects request, in order; `requestId` is the last ('' when none was needed). */
  requestIds: string[];
}

/**
 * @example
 * const { deleted } = await deleteObjects(client, { prefix: 'tmp/' });
 */
export async function deleteObjects(sender: CommandSender, input: DeleteObjectsInput): Promise<DeleteObjectsOutput> {
  const { bucket, signal } = input;
  const requestIds: string[] = [];
  let deleted = 0;
  const deleteBatch = async (keys: KeyEntry[]): Promise<void> => {
    const out = await sender.send(deleteMultipleObjects, { bucket, signal, keys, quiet: true });
    requestIds.push(out.requestId);
    deleted += keys.length;
  };

  if (input.keys !== undefined) {
    if (!Array.isArray(input.keys)) throw invalidArgument('deleteObjects: keys must be an array of keys');
    // Every key is checked before the first request, so bad input deletes nothing.
    for (const entry of input.keys) validateKey(typeof entry === 'string' ? entry : entry?.key);
    for (let start = 0; start < input.keys.length; start += DELETE_BATCH_SIZE) {
      await deleteBatch(input.keys.slice(start, start + DELETE_BATCH_SIZE));
    }
  } else {
    const { prefix } = input;
    if (typeof prefix !== 'string' || prefix === '') {
      throw invalidArgument('deleteObjects needs a non-empty prefix (or keys); an empty prefix would delete the whole bucket');
    }
    const pages = paginate((page) => sender.send(listObjectsV2, page), { bucket, signal, prefix, maxKeys: DELETE_BATCH_SIZE }, nextListObjectsV2);
    for await (const page of pages) {
      if (page.contents.length > 0) await deleteBatch(page.contents.map((entry) => entry.key));
    }
  }
  return { requestId: requestIds.at(-1) ?? '', requestIds, deleted };
}
