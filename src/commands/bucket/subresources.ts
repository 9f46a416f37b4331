/**
 * Look-alike bucket configurations as rows of a table: each row names the
 * sub-resource, the body format and the mapping; one factory makes its Put/Get/Delete commands.
 */
import { md5, toBase64 } from '../../integrity/hash.js';
import { invalidArgument } from '../../errors.js';
import { requireBucket } from '../validate.js';
import { bool, buildXml, child, children, int, parseXmlDocument, text, texts, type XmlInput, type XmlNode } from '../xml.js';
import { requestIdOf, responseText } from '../shared.js';
import * as map from '../xml-map.js';
import type { Schema } from '../xml-map.js';

// Field kinds of the mapped documents; the element name is the capitalised field name unless given.
const S = /* @__PURE__ */ map.str();
const I = /* @__PURE__ */ map.int();
const B = /* @__PURE__ */ map.bool();
import type { StorageClass } from './put-bucket.js';
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
const corsSchema: Schema = {
  rules: /* @__PURE__ */ map.list('CORSRule', {
    allowedOrigins: /* @__PURE__ */ map.list('AllowedOrigin', 'string'),
    allowedMethods: /* @__PURE__ */ map.list('AllowedMethod', 'string'),
    allowedHeaders: /* @__PURE__ */ map.list('AllowedHeader', 'string'),
    exposeHeaders: /* @__PURE__ */ map.list('ExposeHeader', 'string'),
    maxAgeSeconds: I,
  }),
  responseVary: B,
};
export const bucketCors = /* @__PURE__ */ defineSubresource<BucketCors>(
  /* @__PURE__ */ xmlRow(
    'cors',
    'BucketCors',
    'CORSConfiguration',
    (c) => map.write(corsSchema, { ...c, rules: c.rules ?? [] } as unknown as Record<string, unknown>),
    (node) => {
      const out = map.read<BucketCors>(corsSchema, node);
      return { ...out, rules: (out.rules ?? []).map((r) => ({ ...r, allowedOrigins: r.allowedOrigins ?? [], allowedMethods: r.allowedMethods ?? [] })) };
    },
  ),
);

// ── Referer (hotlink protection); OSS has no delete: put an empty list ──
export interface BucketReferer {
  allowEmptyReferer: boolean;
  /** Allowed Referer patterns (`*` and `?` wildcards). */
  refererList: string[];
  /** Refused Referer patterns, checked first. */
  refererBlacklist?: string[];
  /** Match the Referer without its query string. Default true. */
  allowTruncateQueryString?: boolean;
  /** Match the Referer without its path (needs allowTruncateQueryString). Default false. */
  truncatePath?: boolean;
}
const refererSchema: Schema = {
  allowEmptyReferer: B,
  allowTruncateQueryString: B,
  truncatePath: B,
  refererList: /* @__PURE__ */ map.list('Referer', 'string', 'RefererList'),
  refererBlacklist: /* @__PURE__ */ map.list('Referer', 'string', 'RefererBlacklist'),
};
export const bucketReferer = /* @__PURE__ */ defineSubresource<BucketReferer>(
  /* @__PURE__ */ xmlRow(
    'referer',
    'BucketReferer',
    'RefererConfiguration',
    (c) => map.write(refererSchema, { ...c, refererList: c.refererList ?? [] } as unknown as Record<string, unknown>),
    (node) => {
      const out = map.read<BucketReferer>(refererSchema, node);
      return { ...out, allowEmptyReferer: out.allowEmptyReferer ?? false, refererList: out.refererList ?? [] };
    },
  ),
);

// ── Tagging ──
export interface BucketTagging {
  tags: Record<string, string>;
}
export const bucketTagging = /* @__PURE__ */ defineSubresource<BucketTagging>(
  /* @__PURE__ */ xmlRow(
    'tagging',
    'BucketTagging',
    'Tagging',
    (c) => ({ TagSet: { Tag: Object.entries(c.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) } }),
    (node) => ({
      tags: Object.fromEntries(children(child(node, 'TagSet'), 'Tag').map((t) => [text(t, 'Key') ?? '', text(t, 'Value') ?? ''])),
    }),
  ),
);

// ── Lifecycle: expiry, storage-class transitions, multipart clean-up, tag and size filters, versions ──
export interface LifecycleTag {
  key: string;
  value: string;
}
/** When an action applies: `days` after last modification (or access), or to objects created before a date. */
export interface LifecycleWhen {
  days?: number;
  /** ISO date at midnight UTC, e.g. `2030-01-01T00:00:00.000Z`. */
  createdBeforeDate?: string;
}
export interface LifecycleTransition extends LifecycleWhen {
  storageClass: Exclude<StorageClass, 'Standard'>;
  /** Count days from the last access instead of the last modification (needs access tracking). */
  isAccessTime?: boolean;
  /** With isAccessTime: move back to Standard when read. */
  returnToStdWhenVisit?: boolean;
  /** Also transition objects under 64 KiB. */
  allowSmallFile?: boolean;
}
export interface LifecycleNoncurrentTransition {
  noncurrentDays: number;
  storageClass: Exclude<StorageClass, 'Standard'>;
  isAccessTime?: boolean;
  returnToStdWhenVisit?: boolean;
  allowSmallFile?: boolean;
}
export interface LifecycleRule {
  /** Up to 255 characters; OSS generates one when absent. */
  id?: string;
  /** Objects whose names start with it; absent or empty is the whole bucket. */
  prefix?: string;
  status: 'Enabled' | 'Disabled';
  /** Objects carrying all these tags. */
  tags?: LifecycleTag[];
  filter?: {
    /** Objects matching one of these are excluded. */
    not?: { prefix?: string; tag?: LifecycleTag }[];
    objectSizeGreaterThan?: number;
    objectSizeLessThan?: number;
  };
  expiration?: LifecycleWhen & {
    /** Remove delete markers with no versions left (versioned buckets; not with days/date). */
    expiredObjectDeleteMarker?: boolean;
  };
  transitions?: LifecycleTransition[];
  abortMultipartUpload?: LifecycleWhen;
  noncurrentVersionExpiration?: { noncurrentDays: number };
  noncurrentVersionTransitions?: LifecycleNoncurrentTransition[];
  /** Unix time when access tracking was switched on (answered by OSS). */
  atimeBase?: number;
}
export interface BucketLifecycle {
  rules: LifecycleRule[];
}
const tagSchema: Schema = { key: S, value: S };
const whenSchema = { days: I, createdBeforeDate: S };
const accessSchema = {
  isAccessTime: B,
  returnToStdWhenVisit: B,
  allowSmallFile: B,
};
// Built in a function marked pure: its object spreads would otherwise keep it in bundles that never use it.
const lifecycleRuleSchema: Schema = /* @__PURE__ */ (() => ({
  id: /* @__PURE__ */ map.str('ID'),
  prefix: S,
  tags: /* @__PURE__ */ map.list('Tag', tagSchema),
  filter: /* @__PURE__ */ map.nested({
    not: /* @__PURE__ */ map.list('Not', { prefix: S, tag: /* @__PURE__ */ map.nested(tagSchema) }),
    objectSizeGreaterThan: I,
    objectSizeLessThan: I,
  }),
  status: S,
  expiration: /* @__PURE__ */ map.nested({ ...whenSchema, expiredObjectDeleteMarker: B }),
  transitions: /* @__PURE__ */ map.list('Transition', { ...whenSchema, storageClass: S, ...accessSchema }),
  abortMultipartUpload: /* @__PURE__ */ map.nested(whenSchema),
  noncurrentVersionExpiration: /* @__PURE__ */ map.nested({ noncurrentDays: I }),
  noncurrentVersionTransitions: /* @__PURE__ */ map.list('NoncurrentVersionTransition', {
    noncurrentDays: I,
    storageClass: S,
    ...accessSchema,
  }),
  atimeBase: I,
}))();
const lifecycleSchema: Schema = { rules: /* @__PURE__ */ map.list('Rule', lifecycleRuleSchema) };
export const bucketLifecycle = /* @__PURE__ */ defineSubresource<BucketLifecycle>(
  /* @__PURE__ */ xmlRow(
    'lifecycle',
    'BucketLifecycle',
    'LifecycleConfiguration',
    (c) => map.write(lifecycleSchema, c as unknown as Record<string, unknown>),
    (node) => ({ rules: map.read<BucketLifecycle>(lifecycleSchema, node).rules ?? [] }),
  ),
);

// ── Static website: index and error documents, routing rules (redirects and mirroring back to origin) ──
export interface RoutingRuleCondition {
  keyPrefixEquals?: string;
  keySuffixEquals?: string;
  /** e.g. 404: the rule applies when the object read would answer this status. */
  httpErrorCodeReturnedEquals?: number;
  /** Request headers that must be present with these values (up to 10). */
  includeHeaders?: { key: string; equals: string }[];
}
export interface RoutingRuleRedirect {
  /** `Mirror` (fetch from origin), `External` (3xx to another address) or `AliCDN`. */
  redirectType: 'Mirror' | 'External' | 'AliCDN';
  /** External/AliCDN: `http` or `https`. */
  protocol?: 'http' | 'https';
  hostName?: string;
  /** 301, 302 or 307 (External/AliCDN). */
  httpRedirectCode?: number;
  /** Replaces the whole key; `${key}` stands for the requested one. */
  replaceKeyWith?: string;
  /** Replaces the matched KeyPrefixEquals. */
  replaceKeyPrefixWith?: string;
  enableReplacePrefix?: boolean;
  passQueryString?: boolean;
  /** Mirror: origin URL ending in `/`. */
  mirrorURL?: string;
  mirrorPassQueryString?: boolean;
  mirrorFollowRedirect?: boolean;
  mirrorCheckMd5?: boolean;
  mirrorSNI?: boolean;
  mirrorPassOriginalSlashes?: boolean;
  mirrorHeaders?: { passAll?: boolean; pass?: string[]; remove?: string[]; set?: { key: string; value: string }[] };
}
export interface RoutingRule {
  /** Rules are tried in this order; the first match runs. */
  ruleNumber: number;
  condition: RoutingRuleCondition;
  redirect: RoutingRuleRedirect;
}
export interface BucketWebsite {
  /** e.g. `{ suffix: 'index.html', supportSubDir: true, type: 0 }`. */
  indexDocument?: { suffix: string; supportSubDir?: boolean; type?: 0 | 1 | 2 };
  /** e.g. `{ key: 'error.html', httpStatus: 404 }`. */
  errorDocument?: { key: string; httpStatus?: number };
  /** Up to 20 rules. */
  routingRules?: RoutingRule[];
}
const websiteSchema: Schema = {
  indexDocument: /* @__PURE__ */ map.nested({ suffix: S, supportSubDir: B, type: I }),
  errorDocument: /* @__PURE__ */ map.nested({ key: S, httpStatus: I }),
  routingRules: /* @__PURE__ */ map.list(
    'RoutingRule',
    {
      ruleNumber: I,
      condition: /* @__PURE__ */ map.nested({
        keyPrefixEquals: S,
        keySuffixEquals: S,
        httpErrorCodeReturnedEquals: I,
        includeHeaders: /* @__PURE__ */ map.list('IncludeHeader', { key: S, equals: S }),
      }),
      redirect: /* @__PURE__ */ map.nested({
        redirectType: S,
        passQueryString: B,
        mirrorURL: S,
        mirrorSNI: B,
        mirrorPassQueryString: B,
        mirrorFollowRedirect: B,
        mirrorCheckMd5: B,
        mirrorPassOriginalSlashes: B,
        mirrorHeaders: /* @__PURE__ */ map.nested({
          passAll: B,
          pass: /* @__PURE__ */ map.list('Pass', 'string'),
          remove: /* @__PURE__ */ map.list('Remove', 'string'),
          set: /* @__PURE__ */ map.list('Set', { key: S, value: S }),
        }),
        protocol: S,
        hostName: S,
        replaceKeyPrefixWith: S,
        enableReplacePrefix: B,
        replaceKeyWith: S,
        httpRedirectCode: I,
      }),
    },
    'RoutingRules',
  ),
};
export const bucketWebsite = /* @__PURE__ */ defineSubresource<BucketWebsite>(
  /* @__PURE__ */ xmlRow(
    'website',
    'BucketWebsite',
    'WebsiteConfiguration',
    (c) => map.write(websiteSchema, c as unknown as Record<string, unknown>),
    (node) => map.read<BucketWebsite>(websiteSchema, node),
  ),
);

// ── Access logging ──
export interface BucketLogging {
  /** Unset means logging is off. */
  targetBucket?: string;
  targetPrefix?: string;
}
export const bucketLogging = /* @__PURE__ */ defineSubresource<BucketLogging>(
  /* @__PURE__ */ xmlRow(
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
export const bucketEncryption = /* @__PURE__ */ defineSubresource<BucketEncryption>(
  /* @__PURE__ */ xmlRow(
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
export const bucketVersioning = /* @__PURE__ */ defineSubresource<BucketVersioning>(
  /* @__PURE__ */ xmlRow(
    'versioning',
    'BucketVersioning',
    'VersioningConfiguration',
    (c) => {
      // OSS knows no other state, and a bucket once versioned can only be suspended.
      if (c.status !== 'Enabled' && c.status !== 'Suspended') throw invalidArgument(`versioning status must be 'Enabled' or 'Suspended', not '${String(c.status)}'`);
      return { Status: c.status };
    },
    (node) => ({ status: text(node, 'Status') as BucketVersioning['status'] }),
  ),
);

// ── Bucket policy: a JSON document, not XML ──
export interface BucketPolicy {
  policy: Record<string, unknown>;
}
export const bucketPolicy = /* @__PURE__ */ defineSubresource<BucketPolicy>({
  subresource: 'policy',
  name: 'BucketPolicy',
  contentType: 'application/json',
  encode: (c) => JSON.stringify(c.policy ?? {}),
  decode: (body) => ({ policy: body.trim() ? (JSON.parse(body) as Record<string, unknown>) : {} }),
});
