/**
 * CompleteMultipartUpload: check the part list, join the parts into the object (ETag
 * `"<md5 of part md5s>-N"`, CRC-64 combined from the part CRCs) and run the callback.
 */
import { combineCrc64Parts } from '../../integrity/crc64.js';
import { MIN_PART_SIZE } from '../../defaults.js';
import { fromUtf8 } from '../../integrity/hash.js';
import { callbackFailed, parseCallbackParams, performCallback } from '../callbacks.js';
import { entityTooLarge } from '../storage-body.js';
import {
  type BodyWriter,
  type EmulatorEnv,
  EmulatorError,
  type EmulatorRequest,
  type Handler,
  type MultipartUploadRecord,
  type ObjectBody,
  type StoredPart,
} from '../context.js';
import { children, childText, parseXml, xmlDocument } from '../xml.js';
import { withVersion } from './versioning.js';
import {
  XML_HEADERS,
  checkForbidOverwrite,
  encodeName,
  md5Bytes,
  normalizeEtag,
  requireUpload,
  wantsUrlEncoding,
} from './multipart-common.js';

const MALFORMED = 'The XML you provided was not well-formed or did not validate against our published schema.';

interface ListedPart {
  partNumber: number;
  etag: string;
}

function malformed(): EmulatorError {
  return new EmulatorError(400, 'MalformedXML', MALFORMED);
}

function listedParts(text: string): ListedPart[] {
  const doc = parseXml(text);
  const root = doc?.CompleteMultipartUpload;
  if (root === undefined || Array.isArray(root)) throw malformed();
  const parts = children(root, 'Part').map((part) => {
    const number = childText(part, 'PartNumber') ?? '';
    const etag = childText(part, 'ETag');
    if (!/^\d+$/.test(number) || etag === undefined) throw malformed();
    return { partNumber: Number(number), etag };
  });
  if (parts.length === 0) throw malformed();
  return parts;
}

/** Resolves the requested parts against the uploaded ones, in OSS's order of checks. */
function resolveParts(request: EmulatorRequest, upload: MultipartUploadRecord, bodyText: string): StoredPart[] {
  const all = request.headers['x-oss-complete-all']?.toLowerCase() === 'yes';
  if (all) {
    if (bodyText.trim() !== '') {
      throw new EmulatorError(400, 'InvalidArgument', 'Should not specify both complete all header and http body.', {
        ArgumentName: 'x-oss-complete-all',
      });
    }
    return [...upload.parts.values()].sort((a, b) => a.partNumber - b.partNumber);
  }
  const listed = listedParts(bodyText);
  for (let i = 1; i < listed.length; i++) {
    if (listed[i]!.partNumber <= listed[i - 1]!.partNumber) {
      throw new EmulatorError(
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts list must specified in order by part number.',
      );
    }
  }
  return listed.map((p) => {
    const stored = upload.parts.get(p.partNumber);
    if (!stored || normalizeEtag(stored.etag) !== normalizeEtag(p.etag)) {
      throw new EmulatorError(
        400,
        'InvalidPart',
        "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
        { PartNumber: String(p.partNumber), ETag: p.etag },
      );
    }
    return stored;
  });
}

/** `x-oss-callback` header or `callback` query, never both. */
function callbackOf(request: EmulatorRequest): { callback?: string; callbackVar?: string } {
  const header = request.headers['x-oss-callback'];
  const query = request.query.callback;
  if (header !== undefined && query !== undefined) {
    throw new EmulatorError(400, 'InvalidArgument', 'Callback is specified in both header and query.', { ArgumentName: 'callback' });
  }
  if (header !== undefined) return { callback: header, callbackVar: request.headers['x-oss-callback-var'] };
  if (query !== undefined) return { callback: query, callbackVar: request.query['callback-var'] };
  return {};
}

/**
 * Joins the parts' bytes into one new body by streaming each part through a storage writer: with a
 * data directory the parts' files are copied into one file, never into memory. The CRC-64 needs no
 * pass over the bytes (it is combined from the part CRCs).
 */
async function concat(env: EmulatorEnv, parts: readonly StoredPart[]): Promise<BodyWriter & { body: ObjectBody }> {
  const writer = env.storage.createBodyWriter();
  try {
    for (const part of parts) {
      for await (const chunk of part.body.stream()) await writer.write(chunk as Uint8Array);
    }
    return Object.assign(writer, { body: await writer.finish() });
  } catch (error) {
    writer.discard();
    throw error;
  }
}

/** The multipart ETag: MD5 over the concatenated binary part MD5s, then `-<part count>`. */
function multipartEtag(parts: readonly StoredPart[]): string {
  const digests = Buffer.concat(parts.map((p) => Buffer.from(normalizeEtag(p.etag), 'hex')));
  return `"${md5Bytes(digests).toString('hex').toUpperCase()}-${parts.length}"`;
}

/** POST /bucket/key?uploadId — answers CompleteMultipartUploadResult, or the callback's JSON. */
export const handleCompleteMultipartUpload: Handler = async (request, env) => {
  const upload = requireUpload(request, env);
  const bucket = request.bucket!;
  const key = upload.key;
  const encode = wantsUrlEncoding(request);
  const { callback, callbackVar } = callbackOf(request);
  if (callback !== undefined) parseCallbackParams(callback, callbackVar);

  const bodyText = fromUtf8(await request.body());
  const parts = resolveParts(request, upload, bodyText);
  if (parts.length === 0) throw malformed();
  for (const part of parts.slice(0, -1)) {
    if (part.body.size < MIN_PART_SIZE) {
      throw new EmulatorError(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.', {
        MinSizeAllowed: String(MIN_PART_SIZE),
        ProposedSize: String(part.body.size),
        PartNumber: String(part.partNumber),
      });
    }
  }
  checkForbidOverwrite(env, bucket, key, request.headers['x-oss-forbid-overwrite'] ?? upload.headers['x-oss-forbid-overwrite']);

  const version = withVersion<{ versionId?: string }>({}, env.storage.getBucket(bucket)!);
  const size = parts.reduce((n, p) => n + p.body.size, 0);
  if (size > env.storage.maxObjectSize) throw entityTooLarge(env.storage.maxObjectSize);
  const joined = await concat(env, parts);
  const etag = multipartEtag(parts);
  const crc = combineCrc64Parts(parts.map((p) => ({ crc64: p.crc64, size: p.body.size })));
  const { 'x-oss-forbid-overwrite': _forbid, ...objectHeaders } = upload.headers;
  try {
    // While the parts were joined another request may have completed or aborted this upload, or
    // uploaded a listed part again: then the joined bytes may not be the listed parts.
    const now = resolveParts(request, requireUpload(request, env), bodyText);
    if (now.length !== parts.length || now.some((part, i) => part !== parts[i])) {
      // OSS's answer to modifications of one object racing each other.
      throw new EmulatorError(409, 'StaleFile', 'File is stale for this operation', { EC: '0026-00000004' });
    }
    env.storage.putObject(bucket, {
      ...version,
      key,
      body: joined.body,
      etag,
      crc64: crc,
      lastModified: env.now(),
      contentType: upload.contentType,
      metadata: { ...upload.metadata },
      headers: { 'x-oss-object-type': 'Multipart', 'x-oss-storage-class': 'Standard', ...objectHeaders },
    });
  } finally {
    joined.discard();
  }
  env.storage.deleteUpload(bucket, upload.uploadId);

  const headers = { etag, 'x-oss-hash-crc64ecma': crc, ...(version.versionId !== undefined ? { 'x-oss-version-id': version.versionId } : {}) };
  if (callback !== undefined) {
    const outcome = await performCallback(
      { callback, callbackVar, bucket, key, etag: normalizeEtag(etag), size, mimeType: upload.contentType },
      env,
    );
    if (!outcome.ok) throw callbackFailed(outcome.message, headers);
    return { status: 200, headers: { ...headers, 'content-type': outcome.contentType }, body: outcome.body };
  }
  return {
    status: 200,
    headers: { ...XML_HEADERS, ...headers },
    body: xmlDocument('CompleteMultipartUploadResult', {
      EncodingType: encode ? 'url' : undefined,
      Location: `${env.endpoint}/${bucket}/${encodeURI(key)}`,
      Bucket: bucket,
      Key: encodeName(key, encode),
      ETag: etag,
    }),
  };
};
