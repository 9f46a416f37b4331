/**
 * ListParts and ListMultipartUploads, with OSS's markers, limits and `encoding-type=url`.
 */
import { EmulatorError, type Handler, type MultipartUploadRecord } from '../context.js';
import { compareKeys } from '../storage.js';
import { isoDate } from './common.js';
import { xmlDocument, type XmlObject } from '../xml.js';
import { XML_HEADERS, encodeName, limitParam, requireBucket, requireUpload, wantsUrlEncoding } from './multipart-common.js';

const MAX_LIST = 1000;

/** GET /bucket/key?uploadId — parts above `part-number-marker`, at most `max-parts`. */
export const handleListParts: Handler = async (request, env) => {
  const upload = requireUpload(request, env);
  const encode = wantsUrlEncoding(request);
  const maxParts = limitParam(request, 'max-parts', MAX_LIST, MAX_LIST);
  const markerRaw = request.query['part-number-marker'] ?? '';
  if (markerRaw !== '' && !/^\d+$/.test(markerRaw)) {
    throw new EmulatorError(400, 'InvalidArgument', 'Argument part-number-marker must be an integer.', {
      ArgumentName: 'part-number-marker',
      ArgumentValue: markerRaw,
    });
  }
  const marker = markerRaw === '' ? 0 : Number(markerRaw);
  const after = [...upload.parts.values()].filter((p) => p.partNumber > marker).sort((a, b) => a.partNumber - b.partNumber);
  const page = after.slice(0, maxParts);
  const truncated = after.length > page.length;
  return {
    status: 200,
    headers: { ...XML_HEADERS },
    body: xmlDocument('ListPartsResult', {
      EncodingType: encode ? 'url' : undefined,
      Bucket: request.bucket!,
      Key: encodeName(upload.key, encode),
      UploadId: upload.uploadId,
      StorageClass: upload.headers['x-oss-storage-class'] ?? 'Standard',
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1]!.partNumber : marker,
      MaxParts: maxParts,
      IsTruncated: truncated,
      Part: page.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: isoDate(p.lastModified),
        ETag: p.etag,
        HashCrc64ecma: p.crc64,
        Size: p.body.size,
      })),
    }),
  };
};

/** Uploads strictly after the (key-marker, upload-id-marker) position, in storage order. */
function afterMarker(uploads: MultipartUploadRecord[], keyMarker: string, uploadIdMarker: string): MultipartUploadRecord[] {
  if (keyMarker === '') return uploads;
  return uploads.filter((u, i) => {
    const cmp = compareKeys(u.key, keyMarker);
    if (cmp !== 0) return cmp > 0;
    if (uploadIdMarker === '') return false;
    // Same key: uploads of one key list in initiation order, so "after" means after the marker's position.
    const markerIndex = uploads.findIndex((x) => x.key === keyMarker && x.uploadId === uploadIdMarker);
    return markerIndex >= 0 ? i > markerIndex : u.uploadId > uploadIdMarker;
  });
}

/** GET /bucket?uploads — in-progress uploads with prefix, delimiter, markers and `max-uploads`. */
export const handleListMultipartUploads: Handler = async (request, env) => {
  const bucket = request.bucket;
  if (!bucket) throw new EmulatorError(400, 'InvalidBucketName', 'The specified bucket is not valid.');
  requireBucket(env, bucket);
  const encode = wantsUrlEncoding(request);
  const maxUploads = limitParam(request, 'max-uploads', MAX_LIST, MAX_LIST);
  const prefix = request.query.prefix ?? '';
  const delimiter = request.query.delimiter ?? '';
  const keyMarker = request.query['key-marker'] ?? '';
  const uploadIdMarker = keyMarker === '' ? '' : (request.query['upload-id-marker'] ?? '');

  const candidates = afterMarker(env.storage.listUploads(bucket), keyMarker, uploadIdMarker).filter((u) =>
    u.key.startsWith(prefix),
  );
  const uploads: MultipartUploadRecord[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let nextKey = '';
  let nextUploadId = '';
  for (const u of candidates) {
    const cut = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? u.key.slice(0, cut + delimiter.length) : undefined;
    // A common prefix already returned (on this page, or as the marker of an earlier one) is not repeated.
    if (common !== undefined && (prefixes.at(-1) === common || common === keyMarker)) continue;
    if (uploads.length + prefixes.length >= maxUploads) {
      truncated = true;
      break;
    }
    if (common !== undefined) {
      prefixes.push(common);
      nextKey = common;
      nextUploadId = '';
    } else {
      uploads.push(u);
      nextKey = u.key;
      nextUploadId = u.uploadId;
    }
  }
  return {
    status: 200,
    headers: { ...XML_HEADERS },
    body: xmlDocument('ListMultipartUploadsResult', {
      EncodingType: encode ? 'url' : undefined,
      Bucket: bucket,
      KeyMarker: encodeName(keyMarker, encode),
      UploadIdMarker: uploadIdMarker,
      NextKeyMarker: truncated ? encodeName(nextKey, encode) : '',
      NextUploadIdMarker: truncated ? nextUploadId : '',
      Delimiter: encodeName(delimiter, encode),
      Prefix: encodeName(prefix, encode),
      MaxUploads: maxUploads,
      IsTruncated: truncated,
      Upload: uploads.map(
        (u): XmlObject => ({
          Key: encodeName(u.key, encode),
          UploadId: u.uploadId,
          StorageClass: u.headers['x-oss-storage-class'] ?? 'Standard',
          Initiated: isoDate(u.initiated),
        }),
      ),
      CommonPrefixes: prefixes.map((p): XmlObject => ({ Prefix: encodeName(p, encode) })),
    }),
  };
};
