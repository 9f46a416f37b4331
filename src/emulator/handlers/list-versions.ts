/**
 * ListObjectVersions (`GET /?versions`): every version of every key, delete markers included, keys
 * in UTF-8 byte order and each key's versions newest first, entries in that order (Version and
 * DeleteMarker interleaved, as OSS sends them). Pages continue after `key-marker` and, within that
 * key, after `version-id-marker`; keys folded into a CommonPrefixes entry count as one item.
 */
import type { Handler, StoredObject } from '../context.js';
import { bodyOf } from '../storage-body.js';
import { compareKeys, versionOf } from '../storage.js';
import { type XmlObject, renderValue, xmlDocumentOf } from '../xml.js';
import { OWNER, isoDate, requireBucket } from './common.js';
import { bound, encoder, parseMaxKeys } from './list-objects.js';
import { restoreHeader } from './restore.js';
import { versionIdOf } from './versioning.js';

type Entry = { key: string; version: StoredObject; latest: boolean } | { prefix: string };

const listObjectVersions: Handler = async (request, env) => {
  const bucket = requireBucket(request, env);
  const encode = encoder(request);
  const { prefix = '', delimiter = '' } = request.query;
  const keyMarker = request.query['key-marker'] ?? '';
  const versionIdMarker = request.query['version-id-marker'] ?? '';
  const maxKeys = parseMaxKeys(request.query['max-keys']);
  const keys = env.storage.listVersionKeys(bucket.name);
  const entries: Entry[] = [];
  let truncated = false;
  let lastPrefix: string | undefined;
  // With a version-id-marker the marker key itself is listed on from after that version.
  const start = Math.max(bound(keys, keyMarker, versionIdMarker !== ''), bound(keys, prefix, true));
  walk: for (let i = start; i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(prefix)) break;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter.length);
      if (common === lastPrefix || compareKeys(common, keyMarker) <= 0) continue;
      if (entries.length === maxKeys) {
        truncated = true;
        break;
      }
      entries.push({ prefix: common });
      lastPrefix = common;
      continue;
    }
    const versions = env.storage.getVersions(bucket.name, key);
    let from = 0;
    if (key === keyMarker && versionIdMarker !== '') {
      from = versions.findIndex((v) => versionOf(v) === versionIdMarker) + 1;
      if (from === 0) continue;
    }
    for (let v = from; v < versions.length; v++) {
      if (entries.length === maxKeys) {
        truncated = true;
        break walk;
      }
      entries.push({ key, version: versions[v]!, latest: v === 0 });
    }
  }
  const last = entries[entries.length - 1];
  const items = entries.map((entry) => {
    if ('prefix' in entry) return '';
    const { key, version, latest } = entry;
    const common = { Key: encode(key), VersionId: versionIdOf(bucket, version) ?? 'null', IsLatest: latest, LastModified: isoDate(version.lastModified) };
    if (version.deleteMarker) return renderValue('DeleteMarker', { ...common, Owner: { ...OWNER } });
    const fields: XmlObject = {
      ...common,
      ETag: version.etag,
      Type: version.headers['x-oss-object-type'] ?? (version.etag.includes('-') ? 'Multipart' : 'Normal'),
      Size: bodyOf(version).size,
      StorageClass: version.headers['x-oss-storage-class'] ?? 'Standard',
      Owner: { ...OWNER },
      RestoreInfo: restoreHeader(version, env),
    };
    return renderValue('Version', fields);
  });
  const head: XmlObject = {
    Name: bucket.name,
    Prefix: encode(prefix),
    KeyMarker: encode(keyMarker),
    VersionIdMarker: versionIdMarker,
    MaxKeys: maxKeys,
    Delimiter: encode(delimiter),
    EncodingType: request.query['encoding-type'] || undefined,
    IsTruncated: truncated,
    NextKeyMarker: truncated && last ? encode('prefix' in last ? last.prefix : last.key) : undefined,
    NextVersionIdMarker: truncated && last && !('prefix' in last) ? (versionIdOf(bucket, last.version) ?? 'null') : undefined,
  };
  const prefixes = entries.flatMap((e) => ('prefix' in e ? [renderValue('CommonPrefixes', { Prefix: encode(e.prefix) })] : []));
  return {
    status: 200,
    headers: { 'Content-Type': 'application/xml' },
    body: xmlDocumentOf('ListVersionsResult', [...Object.entries(head).map(([name, value]) => renderValue(name, value)), ...items, ...prefixes]),
  };
};

export const listVersionsHandlers: Record<string, Handler> = { ListObjectVersions: listObjectVersions };
