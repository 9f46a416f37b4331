/**
 * ListObjectVersions (`GET /?versions`): one page of every version of every key, delete markers
 * included: keys in byte order, each key's versions newest first. A page continues after
 * `keyMarker` and, within that key, after `versionIdMarker` (the previous page's `nextKeyMarker` /
 * `nextVersionIdMarker`).
 */
import { invalidArgument } from '../../errors.js';
import { requireBucket } from '../validate.js';
import { bool, children, date, encodedText, int, parseXmlDocument, text } from '../xml.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { assignTexts, readOwner, requestIdOf, responseText } from '../shared.js';
import { listQuery, readCommonPrefixes, readContents, type ListedObject, type ListQueryInput } from './list-common.js';

export interface ListObjectVersionsInput extends BaseInput, ListQueryInput {
  /** List keys after this one (with `versionIdMarker`: this key's versions after that one first). */
  keyMarker?: string;
  /** Needs `keyMarker`. */
  versionIdMarker?: string;
}

/** A version that holds data. */
export interface ListedVersion extends ListedObject {
  deleteMarker: false;
  /** `null` for the version written while versioning was off or suspended. */
  versionId: string;
  /** The key's current version. */
  isLatest: boolean;
  /** Archive objects: the restore state, as in `x-oss-restore` (`ongoing-request="true"`…). */
  restoreInfo?: string;
}

/** A delete marker: a version with no data that hides the older ones. */
export interface ListedDeleteMarker {
  deleteMarker: true;
  key: string;
  versionId: string;
  isLatest: boolean;
  lastModified: Date;
  owner?: { id: string; displayName: string };
}

export type ListedVersionEntry = ListedVersion | ListedDeleteMarker;

export interface ListObjectVersionsOutput extends BaseOutput {
  /** Versions and delete markers in the answer's order (by key, newest first within a key). */
  entries: ListedVersionEntry[];
  /** The `entries` that hold data. */
  versions: ListedVersion[];
  /** The `entries` that are delete markers. */
  deleteMarkers: ListedDeleteMarker[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
  name?: string;
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  versionIdMarker?: string;
  maxKeys?: number;
}

/**
 * @example
 * const { versions, deleteMarkers } = await client.listObjectVersions({ prefix: 'docs/' });
 * for await (const entry of client.listObjectVersionsItems({ prefix: 'docs/' })) console.log(entry.key, entry.versionId);
 */
export const listObjectVersions: Command<ListObjectVersionsInput, ListObjectVersionsOutput> = {
  name: 'ListObjectVersions',
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'ListObjectVersions');
    if (input.versionIdMarker !== undefined && input.keyMarker === undefined) throw invalidArgument('versionIdMarker needs keyMarker');
    const query = listQuery(input, { versions: '', 'key-marker': input.keyMarker, 'version-id-marker': input.versionIdMarker });
    return { method: 'GET', bucket, query, headers: {} };
  },
  async deserialize(response) {
    const xml = await responseText(response);
    const result = parseXmlDocument(xml, 'ListVersionsResult');
    const listed = readContents(result, 'Version');
    const versions = children(result, 'Version').map((node, i): ListedVersion => {
      const entry: ListedVersion = { ...listed[i]!, deleteMarker: false, versionId: text(node, 'VersionId') ?? '', isLatest: bool(node, 'IsLatest') };
      const restoreInfo = text(node, 'RestoreInfo');
      if (restoreInfo) entry.restoreInfo = restoreInfo;
      return entry;
    });
    const deleteMarkers = children(result, 'DeleteMarker').map((node): ListedDeleteMarker => {
      const entry: ListedDeleteMarker = {
        deleteMarker: true,
        key: encodedText(result, node, 'Key') ?? '',
        versionId: text(node, 'VersionId') ?? '',
        isLatest: bool(node, 'IsLatest'),
        lastModified: date(node, 'LastModified') ?? new Date(0),
      };
      const owner = readOwner(node);
      if (owner) entry.owner = owner;
      return entry;
    });
    // The tree keeps each element name's entries in order but not how the two names interleave;
    // the document's own order of top-level <Version> and <DeleteMarker> does (keys are escaped
    // text, so a tag cannot occur inside one).
    const queues: Record<string, ListedVersionEntry[]> = { Version: [...versions], DeleteMarker: [...deleteMarkers] };
    const entries = [...xml.matchAll(/<(Version|DeleteMarker)>/g)].flatMap((m) => queues[m[1]!]!.splice(0, 1));
    const output: ListObjectVersionsOutput = {
      requestId: requestIdOf(response),
      entries,
      versions,
      deleteMarkers,
      commonPrefixes: readCommonPrefixes(result),
      isTruncated: bool(result, 'IsTruncated'),
    };
    const maxKeys = int(result, 'MaxKeys');
    if (maxKeys !== undefined) output.maxKeys = maxKeys;
    const encoded = [['nextKeyMarker', 'NextKeyMarker'], ['prefix', 'Prefix'], ['delimiter', 'Delimiter'], ['keyMarker', 'KeyMarker']] as const;
    assignTexts(output, encoded, (tag) => encodedText(result, result, tag));
    const plain = [['nextVersionIdMarker', 'NextVersionIdMarker'], ['versionIdMarker', 'VersionIdMarker'], ['name', 'Name']] as const;
    assignTexts(output, plain, (tag) => text(result, tag));
    return output;
  },
};

/** The next page's input, or undefined when the listing is complete (or the markers do not move). */
export function nextListObjectVersions(page: ListObjectVersionsOutput, input: ListObjectVersionsInput): ListObjectVersionsInput | undefined {
  const keyMarker = page.nextKeyMarker;
  const versionIdMarker = page.nextVersionIdMarker;
  if (!page.isTruncated || !keyMarker) return undefined;
  if (keyMarker === input.keyMarker && versionIdMarker === input.versionIdMarker) return undefined;
  return { ...input, keyMarker, versionIdMarker };
}
