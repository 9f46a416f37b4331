/** ListParts: `GET /<key>?uploadId=…` — the parts the service holds for an upload, one page at a time. */
import { MAX_PARTS } from '../../defaults.js';
import { invalidArgument } from '../../errors.js';
import { bool, children, date, encodedText, int, readXmlRoot, text } from '../xml.js';
import { defined, requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { optionalLimit, uploadTarget } from './shared.js';

const NAME = 'ListParts';

export interface ListPartsInput extends BaseInput {
  key: string;
  uploadId: string;
  /** Page size, 1–1000 (OSS default 1000). */
  maxParts?: number;
  /** List parts after this part number. */
  partNumberMarker?: number;
}

export interface ListedPart {
  partNumber: number;
  etag: string;
  size: number;
  /** Decimal CRC-64/XZ of the part, when the service sent it. */
  crc64?: string;
  lastModified: Date;
}

export interface ListPartsOutput extends BaseOutput {
  bucket: string;
  key: string;
  uploadId: string;
  parts: ListedPart[];
  isTruncated: boolean;
  /** Pass as `partNumberMarker` for the next page. */
  nextPartNumberMarker?: number;
  maxParts?: number;
}

/**
 * @example
 * const { parts } = await client.send(listParts, { key, uploadId });
 */
export const listParts: Command<ListPartsInput, ListPartsOutput> = {
  name: NAME,
  serialize(input) {
    const target = uploadTarget(input, NAME);
    const query = defined({
      uploadId: input.uploadId,
      'max-parts': optionalLimit(input.maxParts, 'maxParts', 1000, NAME),
      'part-number-marker': marker(input.partNumberMarker),
      'encoding-type': 'url',
    });
    return { method: 'GET', ...target, query, headers: {} };
  },
  async deserialize(response, input) {
    const root = await readXmlRoot(response, 'ListPartsResult');
    const next = int(root, 'NextPartNumberMarker');
    const isTruncated = bool(root, 'IsTruncated');
    return {
      bucket: text(root, 'Bucket') ?? input.bucket ?? '',
      key: encodedText(root, root, 'Key') ?? input.key,
      uploadId: text(root, 'UploadId') ?? input.uploadId,
      parts: children(root, 'Part').map((p) => {
        const crc64 = text(p, 'HashCrc64ecma');
        return {
          partNumber: int(p, 'PartNumber') ?? 0,
          etag: text(p, 'ETag') ?? '',
          size: int(p, 'Size') ?? 0,
          ...(crc64 ? { crc64 } : {}),
          lastModified: date(p, 'LastModified') ?? new Date(0),
        };
      }),
      isTruncated,
      ...(isTruncated && next !== undefined ? { nextPartNumberMarker: next } : {}),
      maxParts: int(root, 'MaxParts'),
      requestId: requestIdOf(response),
    };
  },
};

/** 0 lists from the start, like no marker at all. */
function marker(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PARTS) {
    throw invalidArgument(`partNumberMarker must be an integer from 0 to ${MAX_PARTS}`, { operation: NAME });
  }
  return String(value);
}
