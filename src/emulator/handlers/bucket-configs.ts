/**
 * Bucket sub-resource configurations (cors, referer, tagging, lifecycle, …) stored as the document
 * the client sent. Each row says what OSS answers when the configuration is absent: an error, or a
 * default document. One generic handler trio serves every row.
 */
import type { EmulatorEnv, EmulatorRequest, EmulatorResponse, Handler } from '../context.js';
import { EmulatorError } from '../context.js';
import { childText, parseXml, type ParsedXml } from '../xml.js';
import { checkVersioningStatus } from './versioning.js';
import { checkLifecycle, checkReferer, checkWebsite } from './bucket-config-checks.js';
import { malformedXml, requireBucket } from './common.js';

export interface BucketConfigRow {
  /** The query key (`?cors`). */
  subresource: string;
  /** Operation name suffix: PutBucket<Name>, GetBucket<Name>, DeleteBucket<Name>. */
  name: string;
  /** Expected root element of the document; `json` for the bucket policy. */
  root: string | 'json';
  absent: { error: [code: string, message: string, ec: string] } | { body: string };
  /** Whether DeleteBucket<Name> exists. */
  deletable: boolean;
  /** Content rules OSS enforces beyond the root element (bucket-config-checks.ts); throws the OSS error. */
  check?: (root: ParsedXml) => void;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export const BUCKET_CONFIGS: readonly BucketConfigRow[] = [
  {
    subresource: 'cors',
    name: 'Cors',
    root: 'CORSConfiguration',
    absent: { error: ['NoSuchCORSConfiguration', 'The CORS Configuration does not exist.', '0014-00000001'] },
    deletable: true,
  },
  {
    subresource: 'referer',
    name: 'Referer',
    root: 'RefererConfiguration',
    absent: { body: '<RefererConfiguration><AllowEmptyReferer>true</AllowEmptyReferer><RefererList/></RefererConfiguration>' },
    deletable: false,
    check: checkReferer,
  },
  {
    subresource: 'tagging',
    name: 'Tags',
    root: 'Tagging',
    absent: { body: '<Tagging><TagSet/></Tagging>' },
    deletable: true,
  },
  {
    subresource: 'lifecycle',
    name: 'Lifecycle',
    root: 'LifecycleConfiguration',
    absent: { error: ['NoSuchLifecycle', 'No Row found in Lifecycle Table.', '0011-00000001'] },
    deletable: true,
    check: checkLifecycle,
  },
  {
    subresource: 'website',
    name: 'Website',
    root: 'WebsiteConfiguration',
    absent: { error: ['NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration.', '0010-00000001'] },
    deletable: true,
    check: checkWebsite,
  },
  {
    subresource: 'logging',
    name: 'Logging',
    root: 'BucketLoggingStatus',
    absent: { body: '<BucketLoggingStatus/>' },
    deletable: true,
  },
  {
    subresource: 'encryption',
    name: 'Encryption',
    root: 'ServerSideEncryptionRule',
    absent: { error: ['NoSuchServerSideEncryptionRule', 'The server side encryption rule does not exist.', '0032-00000001'] },
    deletable: true,
  },
  {
    subresource: 'policy',
    name: 'Policy',
    root: 'json',
    absent: { error: ['NoSuchBucketPolicy', 'The bucket policy does not exist.', '0031-00000001'] },
    deletable: true,
  },
  {
    subresource: 'versioning',
    name: 'Versioning',
    root: 'VersioningConfiguration',
    absent: { body: '<VersioningConfiguration/>' },
    deletable: false,
    check: (root) => checkVersioningStatus(childText(root, 'Status')),
  },
  {
    subresource: 'requestPayment',
    name: 'RequestPayment',
    root: 'RequestPaymentConfiguration',
    absent: { body: '<RequestPaymentConfiguration><Payer>BucketOwner</Payer></RequestPaymentConfiguration>' },
    deletable: false,
  },
  {
    subresource: 'transferAcceleration',
    name: 'TransferAcceleration',
    root: 'TransferAccelerationConfiguration',
    absent: { body: '<TransferAccelerationConfiguration><Enabled>false</Enabled></TransferAccelerationConfiguration>' },
    deletable: false,
  },
];

/** The row whose sub-resource the query names, if any. */
export function findBucketConfig(query: Record<string, string>): BucketConfigRow | undefined {
  return BUCKET_CONFIGS.find((row) => row.subresource in query);
}

function validate(row: BucketConfigRow, text: string): void {
  if (row.root === 'json') {
    try {
      JSON.parse(text);
    } catch {
      throw new EmulatorError(400, 'InvalidPolicyDocument', 'Invalid policy document.', { EC: '0031-00000002' });
    }
    return;
  }
  const parsed = parseXml(text);
  if (!parsed || !(row.root in parsed)) throw malformedXml();
  const root = parsed[row.root];
  row.check?.(Array.isArray(root) ? root[0]! : root!);
}

function contentType(row: BucketConfigRow): string {
  return row.root === 'json' ? 'application/json' : 'application/xml';
}

function putHandler(row: BucketConfigRow): Handler {
  return async (request: EmulatorRequest, env: EmulatorEnv): Promise<EmulatorResponse> => {
    const bucket = requireBucket(request, env);
    const text = new TextDecoder().decode(await request.body());
    validate(row, text);
    env.storage.setBucketConfig(bucket.name, row.subresource, text);
    return { status: 200 };
  };
}

function getHandler(row: BucketConfigRow): Handler {
  return async (request: EmulatorRequest, env: EmulatorEnv): Promise<EmulatorResponse> => {
    const bucket = requireBucket(request, env);
    const stored = bucket.configs.get(row.subresource);
    if (stored !== undefined) return { status: 200, headers: { 'Content-Type': contentType(row) }, body: stored };
    if ('error' in row.absent) {
      const [code, message, ec] = row.absent.error;
      throw new EmulatorError(404, code, message, { BucketName: bucket.name, EC: ec });
    }
    return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: XML_DECLARATION + row.absent.body };
  };
}

function deleteHandler(row: BucketConfigRow): Handler {
  return async (request: EmulatorRequest, env: EmulatorEnv): Promise<EmulatorResponse> => {
    const bucket = requireBucket(request, env);
    env.storage.setBucketConfig(bucket.name, row.subresource, undefined);
    return { status: 204 };
  };
}

/** PutBucketCors, GetBucketCors, DeleteBucketCors, … for every row. */
export const bucketConfigHandlers: Record<string, Handler> = Object.fromEntries(
  BUCKET_CONFIGS.flatMap((row) => [
    [`PutBucket${row.name}`, putHandler(row)],
    [`GetBucket${row.name}`, getHandler(row)],
    ...(row.deletable ? [[`DeleteBucket${row.name}`, deleteHandler(row)] as const] : []),
  ]),
);
