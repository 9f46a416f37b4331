/** InitiateMultipartUpload: `POST /<key>?uploads` → an uploadId for the parts that follow. */
import { invalidArgument } from '../../errors.js';
import { requireBucket } from '../validate.js';
import { encodedText, readXmlRoot, text } from '../xml.js';
import { defined, lowerCaseHeaders, metadataHeaders, requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requireKey } from './shared.js';
import { encodeTagging } from '../object/tagging.js';

const NAME = 'InitiateMultipartUpload';

export interface InitiateMultipartUploadInput extends BaseInput {
  key: string;
  /** Stored as the object's Content-Type; the client fills it from the key's extension when absent. */
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  expires?: Date | string;
  /** User metadata, sent as `x-oss-meta-<name>`. */
  metadata?: Record<string, string>;
  storageClass?: 'Standard' | 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive' | (string & {});
  /** `k1=v1&k2=v2`, or a map that is encoded to it. */
  tagging?: string | Record<string, string>;
  /** Refuse to overwrite an existing object at completion (409 FileAlreadyExists). */
  forbidOverwrite?: boolean;
  /** `AES256`, `KMS` or `SM4`. */
  serverSideEncryption?: string;
  serverSideEncryptionKeyId?: string;
  /** Any further headers, sent as given (names are case-insensitive). */
  headers?: Record<string, string>;
}

export interface InitiateMultipartUploadOutput extends BaseOutput {
  bucket: string;
  key: string;
  uploadId: string;
}

/**
 * @example
 * const { uploadId } = await client.send(initiateMultipartUpload, { key: 'big.bin' });
 */
export const initiateMultipartUpload: Command<InitiateMultipartUploadInput, InitiateMultipartUploadOutput> = {
  name: NAME,
  // Without a contentType, send() derives one from the key's extension.
  options: { guessContentType: true },
  serialize(input) {
    const bucket = requireBucket(input.bucket, NAME);
    requireKey(input.key, NAME);
    const headers: Record<string, string> = defined({
      'content-type': input.contentType,
      'cache-control': input.cacheControl,
      'content-disposition': input.contentDisposition,
      'content-encoding': input.contentEncoding,
      expires: input.expires instanceof Date ? input.expires.toUTCString() : input.expires,
      'x-oss-storage-class': input.storageClass,
      'x-oss-tagging': encodeTagging(input.tagging),
      'x-oss-forbid-overwrite': input.forbidOverwrite === undefined ? undefined : String(input.forbidOverwrite),
      'x-oss-server-side-encryption': input.serverSideEncryption,
      'x-oss-server-side-encryption-key-id': input.serverSideEncryptionKeyId,
    });
    Object.assign(headers, metadataHeaders(input.metadata), lowerCaseHeaders(input.headers));
    return { method: 'POST', bucket, key: input.key, query: { uploads: '', 'encoding-type': 'url' }, headers };
  },
  async deserialize(response, input) {
    const root = await readXmlRoot(response, 'InitiateMultipartUploadResult');
    const uploadId = text(root, 'UploadId');
    if (!uploadId) throw invalidArgument('the answer carried no UploadId', { operation: NAME, key: input.key });
    return {
      bucket: text(root, 'Bucket') ?? input.bucket ?? '',
      key: encodedText(root, root, 'Key') ?? input.key,
      uploadId,
      requestId: requestIdOf(response),
    };
  },
};

export { encodeTagging };
