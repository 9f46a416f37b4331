/**
 * AppendObject: `POST /key?append&position=N` adds bytes at the end of an Appendable object (the
 * first append, at position 0, creates it). The answer's `x-oss-hash-crc64ecma` is the CRC of the
 * whole object, so the client checks it against the previous CRC continued over the appended
 * bytes: known at position 0, else from `initCrc64` (pass the previous append's `crc64`).
 */
import { OssClientError, invalidArgument } from '../../errors.js';
import type { BaseInput, BaseOutput, Command, Progress } from '../types.js';
import { defined, objectWriteHeaders, requestIdOf } from '../shared.js';
import { requireBucket, requireField } from '../validate.js';
import type { ObjectAcl } from './put-object-acl.js';
import { toRequestBody, type PutObjectBody } from './put-object.js';
import { encodeTagging } from './tagging.js';

export interface AppendObjectInput extends BaseInput {
  key: string;
  /** Where the bytes go: the object's current length (0 creates it). */
  position: number;
  body: PutObjectBody;
  /** The CRC-64 of the object before this append (the previous answer's `crc64`); enables the check past position 0. */
  initCrc64?: string;
  /** The following apply when the append creates the object (position 0). */
  contentType?: string;
  metadata?: Record<string, string>;
  storageClass?: 'Standard' | 'IA' | 'Archive' | 'ColdArchive' | 'DeepColdArchive' | (string & {});
  acl?: ObjectAcl;
  tagging?: string | Record<string, string>;
  headers?: Record<string, string>;
  onProgress?: (progress: Progress) => void;
}

export interface AppendObjectOutput extends BaseOutput {
  /** The position of the next append: the object's new length. */
  nextAppendPosition: number;
  /** CRC-64 of the whole object so far. */
  crc64?: string;
  etag?: string;
  versionId?: string;
}

/**
 * @example
 * let { nextAppendPosition, crc64 } = await client.appendObject({ key: 'log.txt', position: 0, body: 'line 1\n' });
 * ({ nextAppendPosition, crc64 } = await client.appendObject({ key: 'log.txt', position: nextAppendPosition, body: 'line 2\n', initCrc64: crc64 }));
 */
export const appendObject: Command<AppendObjectInput, AppendObjectOutput> = {
  name: 'AppendObject',
  options: {
    crc: 'request',
    // The answer's CRC continues the object's previous one; unknown past position 0 without initCrc64.
    crcSeed: (input) => {
      const { position, initCrc64 } = input as AppendObjectInput;
      return position === 0 ? '0' : initCrc64;
    },
    guessContentType: true,
  },
  serialize(input) {
    const bucket = requireBucket(input.bucket, 'AppendObject');
    const key = requireField(input.key, 'key', 'AppendObject');
    if (!Number.isSafeInteger(input.position) || input.position < 0) {
      throw invalidArgument(`position ${input.position} must be a non-negative integer`);
    }
    if (input.initCrc64 !== undefined && !/^\d{1,20}$/.test(input.initCrc64)) {
      throw invalidArgument('initCrc64 must be a decimal CRC-64 such as a previous answer\'s crc64');
    }
    const headers: Record<string, string> = {
      ...objectWriteHeaders(input),
      ...defined({ 'x-oss-tagging': encodeTagging(input.tagging) }),
    };
    return { method: 'POST', bucket, key, query: { append: '', position: String(input.position) }, headers, body: toRequestBody(input.body) };
  },
  async deserialize(response) {
    const h = response.headers;
    const next = Number(h['x-oss-next-append-position']);
    if (!Number.isSafeInteger(next)) {
      throw new OssClientError('NetworkError', 'the AppendObject answer carried no valid x-oss-next-append-position');
    }
    const output: AppendObjectOutput = { requestId: requestIdOf(response), nextAppendPosition: next };
    if (h['x-oss-hash-crc64ecma']) output.crc64 = h['x-oss-hash-crc64ecma'];
    if (h['etag']) output.etag = h['etag'];
    if (h['x-oss-version-id']) output.versionId = h['x-oss-version-id'];
    return output;
  },
};
