/**
 * UploadPart and UploadPartCopy: store one numbered part of an upload, from the request body or from
 * a byte range of an existing object.
 */
import { MAX_PART_SIZE } from '../../defaults.js';
import { EmulatorError, type EmulatorRequest, type Handler, type StoredObject } from '../context.js';
import { bodyOf } from '../storage-body.js';
import { xmlDocument } from '../xml.js';
import { type ReceivedBody, etagMatches, isoDate, parseHttpDate, receiveBody, receiveBytes } from './common.js';
import { findCopySource, parseCopySource } from './copy-source.js';
import { PART_MD5_ECS, XML_HEADERS, partNumberOf, requireUpload } from './multipart-common.js';
import { checkContentMd5Digest } from './object-checks.js';
import { checkReadable } from './restore.js';

/** PUT /bucket/key?partNumber&uploadId — answers the part's ETag and CRC-64. */
export const handleUploadPart: Handler = async (request, env) => {
  const partNumber = partNumberOf(request);
  const upload = requireUpload(request, env);
  // Streamed into storage, at most MAX_PART_SIZE bytes (EntityTooLarge beyond).
  const received = await receiveBody(request, env, MAX_PART_SIZE);
  storePart(request, upload.uploadId, partNumber, received, env, () => checkContentMd5Digest(request.headers, received.md5, PART_MD5_ECS));
  return { status: 200, headers: { etag: received.etag, 'x-oss-hash-crc64ecma': received.crc64, 'content-md5': received.md5 } };
};

/** Stores a received part after `check`; the received bytes are dropped if anything fails. */
function storePart(
  request: EmulatorRequest,
  uploadId: string,
  partNumber: number,
  received: ReceivedBody,
  env: Parameters<Handler>[1],
  check: () => void = () => undefined,
  lastModified = env.now(),
): void {
  try {
    check();
    // The upload may have been aborted while the body streamed in.
    requireUpload(request, env);
    const { body, etag, crc64 } = received;
    env.storage.putPart(request.bucket!, uploadId, { partNumber, body, etag, crc64, lastModified });
  } finally {
    received.discard();
  }
}

/** `bytes=a-b` within the source; the whole object when absent. */
function copyRange(request: EmulatorRequest, size: number): [number, number] {
  const raw = request.headers['x-oss-copy-source-range'];
  if (raw === undefined) return [0, size];
  const m = /^bytes=(\d+)-(\d+)$/.exec(raw.trim());
  if (!m) {
    throw new EmulatorError(400, 'InvalidArgument', 'The x-oss-copy-source-range header is invalid.', {
      ArgumentName: 'x-oss-copy-source-range',
      ArgumentValue: raw,
    });
  }
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= size) {
    throw new EmulatorError(416, 'InvalidRange', 'The requested range is not satisfiable.', { ActualObjectSize: String(size) });
  }
  return [start, end + 1];
}

/**
 * The four copy conditions. A failed match is 412 PreconditionFailed; an unchanged object under a
 * none-match / modified-since condition is 304. As in HTTP, a matching If-Match overrides
 * If-Unmodified-Since, and a failed If-None-Match decides before If-Modified-Since.
 */
function checkCopyConditions(request: EmulatorRequest, source: StoredObject): 'ok' | 'not-modified' {
  const h = request.headers;
  // HTTP dates have whole seconds.
  const modified = Math.floor(source.lastModified.getTime() / 1000) * 1000;
  const ifMatch = h['x-oss-copy-source-if-match'];
  const ifNoneMatch = h['x-oss-copy-source-if-none-match'];
  const unmodifiedSince = parseHttpDate(h['x-oss-copy-source-if-unmodified-since']);
  const modifiedSince = parseHttpDate(h['x-oss-copy-source-if-modified-since']);
  const failed = (condition: string): EmulatorError =>
    new EmulatorError(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.', {
      Condition: condition,
    });

  if (ifMatch !== undefined && !etagMatches(ifMatch, source.etag)) throw failed('x-oss-copy-source-if-match');
  if (ifMatch === undefined && unmodifiedSince && modified > unmodifiedSince.getTime()) {
    throw failed('x-oss-copy-source-if-unmodified-since');
  }
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, source.etag) ? 'not-modified' : 'ok';
  if (modifiedSince && modified <= modifiedSince.getTime()) return 'not-modified';
  return 'ok';
}

/** PUT /bucket/key?partNumber&uploadId with `x-oss-copy-source` — answers CopyPartResult. */
export const handleUploadPartCopy: Handler = async (request, env) => {
  const partNumber = partNumberOf(request);
  const upload = requireUpload(request, env);
  const src = parseCopySource(request.headers['x-oss-copy-source'] ?? '');
  const { object: source, headers: sourceVersion } = findCopySource(env, src);
  // An archived source must be restored first, as for CopyObject.
  checkReadable(source, env);
  if (checkCopyConditions(request, source) === 'not-modified') return { status: 304 };

  const sourceBody = bodyOf(source);
  const [start, end] = copyRange(request, sourceBody.size);
  if (end - start > MAX_PART_SIZE) {
    throw new EmulatorError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
  }
  const received = await receiveBytes(env, sourceBody.stream(start, end));
  const { etag, crc64: crc } = received;
  const lastModified = env.now();
  storePart(request, upload.uploadId, partNumber, received, env, undefined, lastModified);
  return {
    status: 200,
    // ali-oss reads the part's ETag from the header, not the body.
    headers: { ...XML_HEADERS, etag, 'x-oss-hash-crc64ecma': crc, ...sourceVersion },
    body: xmlDocument('CopyPartResult', { LastModified: isoDate(lastModified), ETag: etag }),
  };
};
