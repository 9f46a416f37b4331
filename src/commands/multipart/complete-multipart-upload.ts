/**
 * CompleteMultipartUpload: `POST /<key>?uploadId=…` with the part list, or `x-oss-complete-all: yes`
 * and no body. With a callback, OSS answers with the application server's body (docs/protocol.md, "Upload callbacks").
 */
import { readBody } from '../../pipeline/body.js';
import { encodeCallback, parseCallbackResult, type CallbackInput } from '../../handoff/callback.js';
import { invalidArgument } from '../../errors.js';
import { fromUtf8 } from '../../integrity/hash.js';
import { buildXml, encodedText, parseXmlDocument, text } from '../xml.js';
import { lowerCaseHeaders, writeResultOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';
import { requirePartNumber, uploadTarget } from './shared.js';

const NAME = 'CompleteMultipartUpload';

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export interface CompleteMultipartUploadInput extends BaseInput {
  key: string;
  uploadId: string;
  /** The parts to join, in any order (they are sent sorted by part number). Required unless `completeAll`. */
  parts?: readonly CompletedPart[];
  /** Join every uploaded part in part-number order (`x-oss-complete-all: yes`, no body). */
  completeAll?: boolean;
  callback?: CallbackInput;
  forbidOverwrite?: boolean;
  headers?: Record<string, string>;
}

export interface CompleteMultipartUploadOutput extends BaseOutput {
  etag: string;
  /** Decimal CRC-64/XZ of the whole object: the parts' CRCs combined (docs/protocol.md, "CRC-64"). */
  crc64?: string;
  /** The new object's version (versioned buckets). */
  versionId?: string;
  bucket?: string;
  key?: string;
  location?: string;
  /** The application server's answer when a callback was given (parsed as JSON when it is JSON). */
  callbackResult?: unknown;
}

/**
 * @example
 * await client.send(completeMultipartUpload, { key, uploadId, parts: [{ partNumber: 1, etag }] });
 */
export const completeMultipartUpload: Command<CompleteMultipartUploadInput, CompleteMultipartUploadOutput> = {
  name: NAME,
  serialize(input) {
    const { bucket, key } = uploadTarget(input, NAME);
    const headers = lowerCaseHeaders(input.headers);
    if (input.callback) Object.assign(headers, encodeCallback(input.callback));
    if (input.forbidOverwrite !== undefined) headers['x-oss-forbid-overwrite'] = String(input.forbidOverwrite);
    const query = { uploadId: input.uploadId, 'encoding-type': 'url' };
    if (input.completeAll) {
      if (input.parts?.length) throw invalidArgument('give either parts or completeAll, not both', { operation: NAME });
      headers['x-oss-complete-all'] = 'yes';
      return { method: 'POST', bucket, key, query, headers };
    }
    const parts = [...(input.parts ?? [])].sort((a, b) => a.partNumber - b.partNumber);
    if (parts.length === 0) throw invalidArgument('parts is required (or completeAll: true)', { operation: NAME });
    for (const part of parts) {
      requirePartNumber(part.partNumber, NAME);
      if (typeof part.etag !== 'string' || part.etag === '') throw invalidArgument(`part ${part.partNumber} has no etag`, { operation: NAME });
    }
    const body = buildXml('CompleteMultipartUpload', {
      Part: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })),
    });
    headers['content-type'] = 'application/xml';
    return { method: 'POST', bucket, key, query, headers, body };
  },
  async deserialize(response, input) {
    const bytes = await readBody(response);
    const base = writeResultOf(response);
    if (input.callback) {
      return { ...base, callbackResult: parseCallbackResult(bytes, response.headers['content-type']) };
    }
    const root = parseXmlDocument(fromUtf8(bytes), 'CompleteMultipartUploadResult');
    return {
      ...base,
      etag: text(root, 'ETag') ?? base.etag,
      bucket: text(root, 'Bucket'),
      key: encodedText(root, root, 'Key'),
      location: text(root, 'Location'),
    };
  },
};
