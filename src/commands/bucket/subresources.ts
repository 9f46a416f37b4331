/**
 * Look-alike bucket configurations as rows of a table (STYLE.md 2): each row names the
 * sub-resource, the body format and the mapping; one factory makes its Put/Get/Delete commands.
 */
import { md5, toBase64 } from '../../hash.js';
import { requireBucket } from '../../validate.js';
import { bool, buildXml, child, children, int, parseXmlDocument, text, texts, type XmlInput, type XmlNode } from '../../xml.js';
import { requestIdOf, responseText } from '../shared.js';
import type { BaseInput, BaseOutput, Command, HttpResponse } from '../types.js';

/** How one configuration travels: `encode` makes the PUT body, `decode` reads the GET body. */
export interface SubresourceRow<C> {
  /** Query key, e.g. `cors`. */
  subresource: string;
  /** Operation suffix, e.g. `BucketCors` → PutBucketCors, GetBucketCors, DeleteBucketCors. */
  name: string;
  contentType: string;
  encode(config: C): string;
  decode(body: string): C;
}

export interface SubresourceCommands<C> {
  put: Command<BaseInput & C, BaseOutput>;
  get: Command<BaseInput, C & BaseOutput>;
  delete: Command<BaseInput, BaseOutput>;
}

/** Builds the three commands of one row. */
export function defineSubresource<C extends object>(row: SubresourceRow<C>): SubresourceCommands<C> {
  const request = (method: 'PUT' | 'GET' | 'DELETE', operation: string, input: BaseInput) => ({
    method,
    bucket: requireBucket(input.bucket, operation),
    query: { [row.subresource]: '' },
    headers: {} as Record<string, string>,
  });
  const done = async (response: HttpResponse): Promise<BaseOutput> => ({ requestId: requestIdOf(response) });
  return {
    put: {
      name: `Put${row.name}`,
      serialize(input) {
        const { bucket: _bucket, signal: _signal, ...config } = input;
        const body = new TextEncoder().encode(row.encode(config as unknown as C));
        const base = request('PUT', `Put${row.name}`, input);
        return { ...base, headers: { 'content-type': row.contentType, 'content-md5': toBase64(md5(body)) }, body };
      },
      deserialize: done,
    },
    get: {
      name: `Get${row.name}`,
      serialize: (input) => request('GET', `Get${row.name}`, input),
      async deserialize(response) {
        return { ...row.decode(await responseText(response)), requestId: requestIdOf(response) };
      },
    },
    delete: {
      name: `Delete${row.name}`,
      serialize: (input) => request('DELETE', `Delete${row.name}`, input),
      deserialize: done,
    },
  };
}

/** A row whose body is XML under `root`. */
function xmlRow<C>(
  subresource: string,
  name: string,
  root: string,
  toXml: (config: C) => XmlInput,
  fromXml: (node: XmlNode) => C,
): SubresourceRow<C> {
  return {
    subresource,
    name,
    contentType: 'application/xml',
    encode: (config) => buildXml(root, toXml(config)),
    decode: (body) => fromXml(parseXmlDocument(body, root)),
  };
}

// ── CORS ──
export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: ('GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD')[];
  allowedHeaders?: string[];
  exposeHeaders?: string[];
  maxAgeSeconds?: number;
}
export interface BucketCors {
  rules: CorsRule[];
  /** Send `Vary: Origin`. */
  responseVary?: boolean;
}
export const bucketCors = defineSubresource<BucketCors>(
  xmlRow(
    'cors',
    'BucketCors',
    'CORSConfiguration',
    (c) => ({
      CORSRule: (c.rules ?? []).map((r) => ({
        AllowedOrigin: r.allowedOrigins,
        AllowedMethod: r.allowedMethods,
        AllowedHeader: r.allowedHeaders,
        ExposeHeader: r.exposeHeaders,
        MaxAgeSeconds: r.maxAgeSeconds,
      })),
      ResponseVary: c.responseVary,
    }),
    (node) => ({
      rules: children(node, 'CORSRule').map((r) => {
        const rule: CorsRule = {
          allowedOrigins: texts(r, 'AllowedOrigin'),
          allowedMethods: texts(r, 'AllowedMethod') as CorsRule['allowedMethods'],
          allowedHeaders: texts(r, 'AllowedHeader'),
          exposeHeaders: texts(r, 'ExposeHeader'),
        };
        const maxAge = int(r, 'MaxAgeSeconds');
        if (maxAge !== undefined) rule.maxAgeSeconds = maxAge;
        return rule;
      }),
      responseVary: bool(node, 'ResponseVary'),
    }),
  ),
);

// ── Referer (hotlink protection); OSS has no delete: put an empty list ──
export interface BucketReferer {
  allowEmptyReferer: boolean;
  referers: string[];
  blacklist?: string[];
}
export const bucketReferer = defineSubresource<BucketReferer>(
  xmlRow(
    'referer',
    'BucketReferer',
    'RefererConfiguration',
    (c) => ({
      AllowEmptyReferer: c.allowEmptyReferer,
      RefererList: { Referer: c.referers ?? [] },
      RefererBlacklist: c.blacklist ? { Referer: c.blacklist } : undefined,
    }),
    (node) => ({
      allowEmptyReferer: bool(node, 'AllowEmptyReferer'),
      referers: texts(child(node, 'RefererList'), 'Referer'),
      blacklist: texts(child(node, 'RefererBlacklist'), 'Referer'),
    }),
  ),
);

// ── Tagging ──
export interface BucketTagging {
  tags: Record<string, string>;
}
export const bucketTagging = defineSubresource<BucketTagging>(
  xmlRow(
    'tagging',
    'BucketTagging',
    'Tagging',
    (c) => ({ TagSet: { Tag: Object.entries(c.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) } }),
    (node) => ({
      tags: Object.fromEntries(children(child(node, 'TagSet'), 'Tag').map((t) => [text(t, 'Key') ?? '', text(t, 'Value') ?? ''])),
    }),
  ),
);

// ── Lifecycle (the common rule shapes: expiry by days or date, multipart clean-up) ──
export interface LifecycleRule {
  id?: string;
  prefix: string;
  enabled: boolean;
  expirationDays?: number;
  /** ISO date, e.g. `2030-01-01T00:00:00.000Z`. */
  expirationDate?: string;
  abortMultipartUploadDays?: number;
}
export interface BucketLifecycle {
  rules: LifecycleRule[];
}
export const bucketLifecycle = defineSubresource<BucketLifecycle>(
  xmlRow(
    'lifecycle',
    'BucketLifecycle',
    'LifecycleConfiguration',
    (c) => ({
      Rule: (c.rules ?? []).map((r) => ({
        ID: r.id,
        Prefix: r.prefix,
        Status: r.enabled ? 'Enabled' : 'Disabled',
        Expiration:
          r.expirationDays !== undefined || r.expirationDate !== undefined
            ? { Days: r.expirationDays, CreatedBeforeDate: r.expirationDate }
            : undefined,
        AbortMultipartUpload: r.abortMultipartUploadDays !== undefined ? { Days: r.abortMultipartUploadDays } : undefined,
      })),
    }),
    (node) => ({
      rules: children(node, 'Rule').map((r) => {
        const rule: LifecycleRule = { prefix: text(r, 'Prefix') ?? '', enabled: text(r, 'Status') === 'Enabled' };
        const id = text(r, 'ID');
        if (id) rule.id = id;
        const expiration = child(r, 'Expiration');
        const days = int(expiration, 'Days');
        if (days !== undefined) rule.expirationDays = days;
        const before = text(expiration, 'CreatedBeforeDate');
        if (before) rule.expirationDate = before;
        const abortDays = int(child(r, 'AbortMultipartUpload'), 'Days');
        if (abortDays !== undefined) rule.abortMultipartUploadDays = abortDays;
        return rule;
      }),
    }),
  ),
);

// ── Static website ──
export interface BucketWebsite {
  /** e.g. `index.html` */
  indexDocument?: string;
  /** e.g. `error.html` */
  errorDocument?: string;
}
export const bucketWebsite = defineSubresource<BucketWebsite>(
  xmlRow(
    'website',
    'BucketWebsite',
    'WebsiteConfiguration',
    (c) => ({
      IndexDocument: c.indexDocument === undefined ? undefined : { Suffix: c.indexDocument },
      ErrorDocument: c.errorDocument === undefined ? undefined : { Key: c.errorDocument },
    }),
    (node) => ({
      indexDocument: text(child(node, 'IndexDocument'), 'Suffix'),
      errorDocument: text(child(node, 'ErrorDocument'), 'Key'),
    }),
  ),
);

// ── Access logging ──
export interface BucketLogging {
  /** Unset means logging is off. */
  targetBucket?: string;
  targetPrefix?: string;
}
export const bucketLogging = defineSubresource<BucketLogging>(
  xmlRow(
    'logging',
    'BucketLogging',
    'BucketLoggingStatus',
    (c) => ({
      LoggingEnabled: c.targetBucket === undefined ? undefined : { TargetBucket: c.targetBucket, TargetPrefix: c.targetPrefix ?? '' },
    }),
    (node) => {
      const enabled = child(node, 'LoggingEnabled');
      return { targetBucket: text(enabled, 'TargetBucket'), targetPrefix: text(enabled, 'TargetPrefix') };
    },
  ),
);

// ── Default server-side encryption ──
export interface BucketEncryption {
  algorithm: 'AES256' | 'KMS' | 'SM4';
  kmsMasterKeyId?: string;
}
export const bucketEncryption = defineSubresource<BucketEncryption>(
  xmlRow(
    'encryption',
    'BucketEncryption',
    'ServerSideEncryptionRule',
    (c) => ({ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: c.algorithm, KMSMasterKeyID: c.kmsMasterKeyId } }),
    (node) => {
      const rule = child(node, 'ApplyServerSideEncryptionByDefault');
      const out: BucketEncryption = { algorithm: (text(rule, 'SSEAlgorithm') ?? 'AES256') as BucketEncryption['algorithm'] };
      const keyId = text(rule, 'KMSMasterKeyID');
      if (keyId) out.kmsMasterKeyId = keyId;
      return out;
    },
  ),
);

// ── Versioning; no delete: suspend instead ──
export interface BucketVersioning {
  /** Unset for a bucket that never had versioning. */
  status?: 'Enabled' | 'Suspended';
}
export const bucketVersioning = defineSubresource<BucketVersioning>(
  xmlRow(
    'versioning',
    'BucketVersioning',
    'VersioningConfiguration',
    (c) => ({ Status: c.status }),
    (node) => ({ status: text(node, 'Status') as BucketVersioning['status'] }),
  ),
);

// ── Bucket policy: a JSON document, not XML ──
export interface BucketPolicy {
  policy: Record<string, unknown>;
}
export const bucketPolicy = defineSubresource<BucketPolicy>({
  subresource: 'policy',
  name: 'BucketPolicy',
  contentType: 'application/json',
  encode: (c) => JSON.stringify(c.policy ?? {}),
  decode: (body) => ({ policy: body.trim() ? (JSON.parse(body) as Record<string, unknown>) : {} }),
});
