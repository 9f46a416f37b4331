/** Async iterators over every page of ListParts and ListMultipartUploads (built on src/commands/paginate.ts). */
import { paginate } from '../paginate.js';
import type { Command } from '../types.js';
import { listMultipartUploads, type ListMultipartUploadsInput, type ListMultipartUploadsOutput } from './list-multipart-uploads.js';
import { listParts, type ListPartsInput, type ListPartsOutput } from './list-parts.js';

/** Anything that can send a command (an `OssClient`). */
export interface CommandSender {
  send<I, O>(command: Command<I, O>, input: I): Promise<O>;
}

/** The next ListParts request, or undefined after the last page (or a marker that does not move). */
export function nextListParts(page: ListPartsOutput, input: ListPartsInput): ListPartsInput | undefined {
  const marker = page.nextPartNumberMarker;
  if (!page.isTruncated || marker === undefined || marker === input.partNumberMarker) return undefined;
  return { ...input, partNumberMarker: marker };
}

/** The next ListMultipartUploads request, following both markers. */
export function nextListMultipartUploads(
  page: ListMultipartUploadsOutput,
  input: ListMultipartUploadsInput,
): ListMultipartUploadsInput | undefined {
  const { nextKeyMarker, nextUploadIdMarker } = page;
  if (!page.isTruncated || nextKeyMarker === undefined) return undefined;
  if (nextKeyMarker === input.keyMarker && nextUploadIdMarker === input.uploadIdMarker) return undefined;
  return { ...input, keyMarker: nextKeyMarker, uploadIdMarker: nextUploadIdMarker };
}

/**
 * Every page of parts, following `nextPartNumberMarker`.
 * @example
 * for await (const page of paginateListParts(client, { key, uploadId })) console.log(page.parts.length);
 */
export function paginateListParts(client: CommandSender, input: ListPartsInput): AsyncGenerator<ListPartsOutput, void, undefined> {
  return paginate((page) => client.send(listParts, page), input, nextListParts);
}

/**
 * Every page of uploads, following `nextKeyMarker` / `nextUploadIdMarker`.
 * @example
 * for await (const page of paginateListMultipartUploads(client, { prefix: 'tmp/' }))
 *   for (const u of page.uploads) await client.abortMultipartUpload({ key: u.key, uploadId: u.uploadId });
 */
export function paginateListMultipartUploads(
  client: CommandSender,
  input: ListMultipartUploadsInput = {},
): AsyncGenerator<ListMultipartUploadsOutput, void, undefined> {
  return paginate((page) => client.send(listMultipartUploads, page), input, nextListMultipartUploads);
}
