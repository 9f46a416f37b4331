/**
 * Paginators: async iterators over every page of a listing, asking for the next page only when the
 * caller wants it. Each listing says how to get from one page to the next.
 */
import type { ListBucketsInput, ListBucketsOutput } from './bucket/list-buckets.js';
import type { ListObjectsInput, ListObjectsOutput } from './object/list-objects.js';
import type { ListObjectsV2Input, ListObjectsV2Output } from './object/list-objects-v2.js';

/**
 * Yields pages until `next` returns undefined (no more pages, or a token that does not move).
 *
 * @example
 * for await (const page of paginate((i) => client.listObjectsV2(i), {}, nextListObjectsV2)) …
 */
export async function* paginate<I, O>(
  fetchPage: (input: I) => Promise<O>,
  input: I,
  next: (page: O, input: I) => I | undefined,
): AsyncGenerator<O, void, undefined> {
  let current: I | undefined = input;
  while (current !== undefined) {
    const page = await fetchPage(current);
    yield page;
    current = next(page, current);
  }
}

export function nextListObjectsV2(page: ListObjectsV2Output, input: ListObjectsV2Input): ListObjectsV2Input | undefined {
  const token = page.nextContinuationToken;
  if (!page.isTruncated || !token || token === input.continuationToken) return undefined;
  return { ...input, continuationToken: token };
}

export function nextListObjects(page: ListObjectsOutput, input: ListObjectsInput): ListObjectsInput | undefined {
  const marker = page.nextMarker;
  if (!page.isTruncated || !marker || marker === input.marker) return undefined;
  return { ...input, marker };
}

export function nextListBuckets(page: ListBucketsOutput, input: ListBucketsInput): ListBucketsInput | undefined {
  const marker = page.nextMarker;
  if (!page.isTruncated || !marker || marker === input.marker) return undefined;
  return { ...input, marker };
}

/**
 * Flattens pages into their items: one `for await` over objects, uploads, parts or buckets, asking
 * for the next page only when the caller has taken every item of this one.
 *
 * @example
 * for await (const object of paginateItems(client.paginateListObjectsV2({ prefix }), (p) => p.contents)) …
 */
export async function* paginateItems<O, T>(
  pages: AsyncIterable<O>,
  items: (page: O) => readonly T[],
): AsyncGenerator<T, void, undefined> {
  for await (const page of pages) yield* items(page);
}
