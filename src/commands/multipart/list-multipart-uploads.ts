/** ListMultipartUploads: `GET /?uploads` — uploads begun but neither completed nor aborted. */
import { requireBucket } from '../validate.js';
import { bool, children, date, encodedText, readXmlRoot, text, type XmlNode } from '../xml.js';
import { defined, requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { optionalLimit } from './shared.js';

const NAME = 'ListMultipartUploads';

export interface ListMultipartUploadsInput extends BaseInput {
  prefix?: string;
  delimiter?: string;
  keyMarker?: string;
  uploadIdMarker?: string;
  /** Page size, 1–1000 (OSS default 1000). */
  maxUploads?: number;
}

export interface MultipartUploadSummary {
  key: string;
  uploadId: string;
  initiated: Date;
  storageClass?: string;
}

export interface ListMultipartUploadsOutput extends BaseOutput {
  bucket: string;
  uploads: MultipartUploadSummary[];
  /** Key prefixes rolled up by `delimiter`. */
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Pass as `keyMarker` / `uploadIdMarker` for the next page. */
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

/**
 * @example
 * const { uploads } = await client.send(listMultipartUploads, { prefix: 'videos/' });
 */
export const listMultipartUploads: Command<ListMultipartUploadsInput, ListMultipartUploadsOutput> = {
  name: NAME,
  serialize(input) {
    const bucket = requireBucket(input.bucket, NAME);
    const query = defined({
      uploads: '',
      prefix: input.prefix,
      delimiter: input.delimiter,
      'key-marker': input.keyMarker,
      'upload-id-marker': input.uploadIdMarker,
      'max-uploads': optionalLimit(input.maxUploads, 'maxUploads', 1000, NAME),
      'encoding-type': 'url',
    });
    return { method: 'GET', bucket, query, headers: {} };
  },
  async deserialize(response, input) {
    const root = await readXmlRoot(response, 'ListMultipartUploadsResult');
    // With encoding-type=url, OSS encodes Key, Prefix, Delimiter and the key markers; empty reads as unset.
    const field = (node: XmlNode | undefined, tag: string): string | undefined => encodedText(root, node, tag) || undefined;
    const isTruncated = bool(root, 'IsTruncated');
    const nextKeyMarker = field(root, 'NextKeyMarker');
    const nextUploadIdMarker = text(root, 'NextUploadIdMarker') || undefined;
    return {
      bucket: text(root, 'Bucket') ?? input.bucket ?? '',
      uploads: children(root, 'Upload').map((u) => {
        const storageClass = text(u, 'StorageClass');
        return {
          key: field(u, 'Key') ?? '',
          uploadId: text(u, 'UploadId') ?? '',
          initiated: date(u, 'Initiated') ?? new Date(0),
          ...(storageClass ? { storageClass } : {}),
        };
      }),
      commonPrefixes: children(root, 'CommonPrefixes').map((c) => field(c, 'Prefix') ?? ''),
      isTruncated,
      ...(isTruncated && nextKeyMarker !== undefined ? { nextKeyMarker } : {}),
      ...(isTruncated && nextUploadIdMarker !== undefined ? { nextUploadIdMarker } : {}),
      requestId: requestIdOf(response),
    };
  },
};
