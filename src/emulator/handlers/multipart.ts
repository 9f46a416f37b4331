/**
 * Multipart upload handlers, as OSS answers them. The server authenticates, resolves bucket and key,
 * checks the bucket exists and counts the request before it calls one of these by operation name.
 */
import { randomBytes } from 'node:crypto';
import { checkTaggingHeader } from './object-tagging.js';
import { lookup } from 'mime-types';
import type { Handler } from '../context.js';
import { xmlDocument } from '../xml.js';
import { handleCompleteMultipartUpload } from './multipart-complete.js';
import { handleListMultipartUploads, handleListParts } from './multipart-list.js';
import { handleUploadPart, handleUploadPartCopy } from './multipart-upload-part.js';
import {
  STORED_UPLOAD_HEADERS,
  XML_HEADERS,
  checkForbidOverwrite,
  encodeName,
  requireBucket,
  requireUpload,
  target,
  wantsUrlEncoding,
} from './multipart-common.js';

/** OSS upload ids are 32 upper-case hex digits. */
function newUploadId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** POST /bucket/key?uploads — stores type, metadata and object headers for the final object. */
export const handleInitiateMultipartUpload: Handler = async (request, env) => {
  const { bucket, key } = target(request);
  requireBucket(env, bucket);
  const encode = wantsUrlEncoding(request);
  checkForbidOverwrite(env, bucket, key, request.headers['x-oss-forbid-overwrite']);
  checkTaggingHeader(request.headers);

  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-oss-meta-')) metadata[name.slice('x-oss-meta-'.length)] = value;
    else if (STORED_UPLOAD_HEADERS.includes(name)) headers[name] = value;
  }
  if (request.headers['x-oss-forbid-overwrite'] !== undefined) {
    headers['x-oss-forbid-overwrite'] = request.headers['x-oss-forbid-overwrite'];
  }
  const contentType = request.headers['content-type'] || lookup(key) || 'application/octet-stream';
  const uploadId = newUploadId();
  env.storage.createUpload(bucket, {
    uploadId,
    key,
    initiated: env.now(),
    contentType,
    metadata,
    headers,
    parts: new Map(),
  });

  const answerHeaders: Record<string, string> = { ...XML_HEADERS };
  for (const name of ['x-oss-server-side-encryption', 'x-oss-server-side-encryption-key-id', 'x-oss-server-side-data-encryption']) {
    if (headers[name] !== undefined) answerHeaders[name] = headers[name];
  }
  return {
    status: 200,
    headers: answerHeaders,
    body: xmlDocument('InitiateMultipartUploadResult', {
      EncodingType: encode ? 'url' : undefined,
      Bucket: bucket,
      Key: encodeName(key, encode),
      UploadId: uploadId,
    }),
  };
};

/** DELETE /bucket/key?uploadId — drops the upload and its parts. */
export const handleAbortMultipartUpload: Handler = async (request, env) => {
  const upload = requireUpload(request, env);
  env.storage.deleteUpload(request.bucket!, upload.uploadId);
  return { status: 204 };
};

/**
 * The multipart handlers by OSS operation name, for the server's router.
 * @example const answer = await multipartHandlers.ListParts!(request, env);
 */
export const multipartHandlers: Record<string, Handler> = {
  InitiateMultipartUpload: handleInitiateMultipartUpload,
  UploadPart: handleUploadPart,
  UploadPartCopy: handleUploadPartCopy,
  CompleteMultipartUpload: handleCompleteMultipartUpload,
  AbortMultipartUpload: handleAbortMultipartUpload,
  ListParts: handleListParts,
  ListMultipartUploads: handleListMultipartUploads,
};
