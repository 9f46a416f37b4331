/** UploadPart: `PUT /<key>?partNumber=N&uploadId=…` with the part's bytes. */
import { invalidArgument } from '../../errors.js';
import { md5, toBase64, utf8 } from '../../integrity/hash.js';
import { lowerCaseHeaders, writeResultOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command, Progress, RequestBody } from '../types.js';
import { partRequest } from './shared.js';

const NAME = 'UploadPart';

export interface UploadPartInput extends BaseInput {
  key: string;
  uploadId: string;
  /** 1–10000. */
  partNumber: number;
  body: RequestBody | ArrayBuffer;
  /** `true` computes Content-MD5 from the body (bytes or string only); a string is sent as given (base64). */
  contentMd5?: true | string;
  /** Byte-level upload progress of this request, where the transport can report it. */
  onProgress?: (progress: Progress) => void;
  headers?: Record<string, string>;
}

export interface UploadPartOutput extends BaseOutput {
  /** As OSS sent it, quoted: `"5EB6…"`. */
  etag: string;
  /** Decimal CRC-64/XZ of the part (docs/protocol.md, "CRC-64"), when the service sent it. */
  crc64?: string;
}

/**
 * @example
 * const { etag } = await client.send(uploadPart, { key, uploadId, partNumber: 1, body: bytes });
 */
export const uploadPart: Command<UploadPartInput, UploadPartOutput> = {
  name: NAME,
  // send() compares the body's CRC-64 with the x-oss-hash-crc64ecma answer.
  options: { crc: 'request' },
  serialize(input) {
    const request = partRequest(input, NAME);
    if (input.body === undefined || input.body === null) throw invalidArgument('body is required', { operation: NAME });
    const body = input.body instanceof ArrayBuffer ? new Uint8Array(input.body) : input.body;
    const headers = lowerCaseHeaders(input.headers);
    if (input.contentMd5 === true) headers['content-md5'] = md5Of(body);
    else if (typeof input.contentMd5 === 'string') headers['content-md5'] = input.contentMd5;
    return { ...request, headers, body };
  },
  async deserialize(response) {
    return writeResultOf(response);
  },
};

function md5Of(body: RequestBody): string {
  if (typeof body === 'string') return toBase64(md5(utf8(body)));
  if (body instanceof Uint8Array) return toBase64(md5(body));
  throw invalidArgument('contentMd5: true needs a Uint8Array, ArrayBuffer or string body', { operation: NAME });
}
