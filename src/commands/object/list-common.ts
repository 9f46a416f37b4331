/** What ListObjects (v1) and ListObjectsV2 share: the query they send and the entries they read. */
import { validateIntRange } from '../validate.js';
import { bool, children, date, encodedText, int, readXmlRoot, text, type XmlNode } from '../xml.js';
import { defined, readOwner, requestIdOf } from '../shared.js';
import type { BaseOutput, HttpResponse } from '../types.js';

export interface ListedObject {
  key: string;
  size: number;
  /** Quoted, as OSS sends it. */
  etag: string;
  lastModified: Date;
  storageClass?: string;
  /** `Normal`, `Multipart`, `Appendable`, `Symlink`. */
  type?: string;
  owner?: { id: string; displayName: string };
}

export interface ListQueryInput {
  prefix?: string;
  delimiter?: string;
  /** 1–1000; OSS defaults to 100. */
  maxKeys?: number;
}

/** Always asks for `encoding-type=url` so keys XML cannot carry still arrive intact (decoded below). */
export function listQuery(input: ListQueryInput, extra: Record<string, string | undefined>): Record<string, string> {
  validateIntRange('maxKeys', input.maxKeys, 1, 1000);
  return defined({
    ...extra,
    prefix: input.prefix,
    delimiter: input.delimiter,
    'max-keys': input.maxKeys === undefined ? undefined : String(input.maxKeys),
    'encoding-type': 'url',
  });
}

/** The `tag` entries (`Contents`; `Version` in ListObjectVersions) of a listing. */
export function readContents(result: XmlNode, tag = 'Contents'): ListedObject[] {
  return children(result, tag).map((node) => {
    const entry: ListedObject = {
      key: encodedText(result, node, 'Key') ?? '',
      size: int(node, 'Size') ?? 0,
      etag: text(node, 'ETag') ?? '',
      lastModified: date(node, 'LastModified') ?? new Date(0),
    };
    const storageClass = text(node, 'StorageClass');
    if (storageClass) entry.storageClass = storageClass;
    const type = text(node, 'Type');
    if (type) entry.type = type;
    const owner = readOwner(node);
    if (owner) entry.owner = owner;
    return entry;
  });
}

export function readCommonPrefixes(result: XmlNode): string[] {
  return children(result, 'CommonPrefixes').map((node) => encodedText(result, node, 'Prefix') ?? '');
}

/** The fields both listings answer with. */
export interface ListPage extends BaseOutput {
  contents: ListedObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
}

/** Reads a `ListBucketResult` answer: the shared page fields, and the root for version-specific ones. */
export async function readListPage(response: HttpResponse): Promise<{ result: XmlNode; page: ListPage }> {
  const result = await readXmlRoot(response, 'ListBucketResult');
  const page: ListPage = {
    requestId: requestIdOf(response),
    contents: readContents(result),
    commonPrefixes: readCommonPrefixes(result),
    isTruncated: bool(result, 'IsTruncated'),
  };
  return { result, page };
}
