/**
 * UploadPart and UploadPartCopy: store one numbered part of an upload, from the request body or from
 * a byte range of an existing object.
 */
import { crc64 } from '../../crc64.js';
import { MAX_PART_SIZE } from '../../defaults.js';
import { EmulatorError, type EmulatorRequest, type Handler, type StoredObject } from '../context.js';
import { xmlDocument } from '../xml.js';
import { etagMatches, etagOf, isoDate, noSuchBucket, noSuchKey, parseHttpDate } from './common.js';
import { parseCopySource } from './copy-source.js';
import { PART_MD5_ECS, XML_HEADERS, normalizeEtag, partNumberOf, requireUpload } from './multipart-common.js';
import { checkContentMd5 } from './object-checks.js';

/** PUT /bucket/key?partNumber&uploadId — answers the part's ETag and CRC-64. */
export const handleUploadPart: Handler = async (request, env) => {
  const partNumber = partNumberOf(request);
  const upload = requireUpload(request, env);
  const data = await request.body();
  if (data.length > MAX_PART_SIZE) {
    throw new EmulatorError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
  }
  checkContentMd5(request.headers, data, PART_MD5_ECS);
  const etag = etagOf(data);
  const crc = crc64(data);
  env.storage.putPart(request.bucket!, upload.uploadId, { partNumber, data, etag, crc64: crc, lastModified: env.now() });
  return { status: 200, headers: { etag, 'x-oss-hash-crc64ecma': crc, 'content-md5': md5Header(etag) } };
};

function md5Header(quotedEtag: string): string {
  return Buffer.from(normalizeEtag(quotedEtag), 'hex').toString('base64');
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
  if (!env.storage.getBucket(src.bucket)) throw noSuchBucket(src.bucket);
  const source = env.storage.getObject(src.bucket, src.key);
  if (!source) throw noSuchKey(src.key);
  if (checkCopyConditions(request, source) === 'not-modified') return { status: 304 };

  const [start, end] = copyRange(request, source.data.length);
  const data = source.data.slice(start, end);
  const etag = etagOf(data);
  const crc = crc64(data);
  const lastModified = env.now();
  env.storage.putPart(request.bucket!, upload.uploadId, { partNumber, data, etag, crc64: crc, lastModified });
  return {
    status: 200,
    // ali-oss reads the part's ETag from the header, not the body.
    headers: { ...XML_HEADERS, etag, 'x-oss-hash-crc64ecma': crc },
    body: xmlDocument('CopyPartResult', { LastModified: isoDate(lastModified), ETag: etag }),
  };
};
