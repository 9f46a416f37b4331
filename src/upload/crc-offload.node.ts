/**
 * uploadFile's CRC-64 off the event loop (Node): each part, once read, is moved to a worker thread
 * (crc-pool.node.ts, no copy) that hashes it and hands it back before it is sent; the part goes out
 * through send() with its own body hashing turned off. (Hashing a second read of the file instead
 * cost as much CPU in page-cache copies as the hashing itself.) The answer's CRC is compared
 * with the worker's, exactly as send() would have compared it with its own; the object's CRC is
 * then combined from the parts' as before. Small files (few parts) are not worth a worker.
 */
import type { UploadPartInput, UploadPartOutput } from '../commands/multipart/index.js';
import { uploadPart } from '../commands/multipart/upload-part.js';
import { crc64 } from '../integrity/crc64.js';
import { OssClientError } from '../errors.js';
import { send, type SendContext } from '../pipeline/send.js';
import { CrcPool, defaultPoolSize } from './crc-pool.node.js';
import { resolvePartSize } from './parts.js';
import type { UploadApi, UploadEnv, UploadOptions } from './upload-api.js';

/** Below this many parts the hashing saved does not pay for starting a worker (~30 ms). */
const MIN_PARTS = 4;

export interface CrcOffload {
  /** The api to upload through: uploadPart takes its CRC from the worker. */
  api: UploadApi;
  /** Tells the uploader each part's CRC is already checked against the service's answer. */
  env: Pick<UploadEnv, 'partCrcChecked'>;
  /** Called by the file chunker with each part it read: the worker hashes it, and the bytes come back. */
  hashPart: (partNumber: number, bytes: Uint8Array) => Promise<Uint8Array>;
  close: () => Promise<void>;
}

/**
 * Worker hashing for a file upload of `size` bytes, or undefined when it does not apply: CRC checks off, an
 * api that is not an OssClient (tests' fakes), or a file of few parts.
 */
export function offloadPartCrc(api: UploadApi, size: number, input: UploadOptions, env: UploadEnv): CrcOffload | undefined {
  if (env.crc64Check === false || !env.partCrcChecked) return undefined;
  const client = api as UploadApi & { context?: SendContext; bucket?: string };
  if (typeof client.context !== 'object' || client.context === null) return undefined;
  let partSize: number;
  try {
    partSize = resolvePartSize(input.partSize, size);
  } catch {
    return undefined; // the uploader refuses the input itself
  }
  if (size < partSize * MIN_PARTS) return undefined;
  const pool = new CrcPool(Math.min(input.parallel ?? 4, defaultPoolSize()));
  // Hashing already done by the worker: send() must not hash the body again on the event loop.
  const unchecked: SendContext = { ...client.context, crc64Check: false };
  const crcs = new Map<number, Promise<string | undefined>>();

  const sendPart = async (part: UploadPartInput): Promise<UploadPartOutput> => {
    const pending = crcs.get(part.partNumber);
    if (pending === undefined || !(part.body instanceof Uint8Array)) return api.uploadPart(part);
    const answer = await send(unchecked, uploadPart, { ...part, bucket: part.bucket ?? client.bucket });
    // A worker that failed (file unreadable, pool closed) costs only speed: hash here instead.
    const expected = (await pending) ?? crc64(part.body);
    if (answer.crc64 !== undefined && answer.crc64 !== expected) {
      // Rare, so worth one in-thread hash to say which read is wrong. Bytes damaged on the way:
      // CrcMismatch, and the part is sent again. Bytes sent intact: the file changed between the
      // two reads; the part holds what was sent, and uploadFile's own file-status checks refuse
      // the upload as a changed file.
      if (crc64(part.body) === answer.crc64) return answer;
      throw new OssClientError('CrcMismatch', `part ${part.partNumber}: the service's CRC-64 differs from the bytes sent`, {
        operation: 'UploadPart',
        bucket: part.bucket ?? client.bucket,
        key: part.key,
      });
    }
    return { ...answer, crc64: expected };
  };

  return {
    api: {
      putObject: (i) => api.putObject(i),
      initiateMultipartUpload: (i) => api.initiateMultipartUpload(i),
      uploadPart: sendPart,
      completeMultipartUpload: (i) => api.completeMultipartUpload(i),
      abortMultipartUpload: (i) => api.abortMultipartUpload(i),
      listParts: (i) => api.listParts(i),
    },
    env: { partCrcChecked: true },
    hashPart: async (partNumber, bytes) => {
      // Once per part: a second pass over the file (a recheck before commit) needs no worker CRC.
      if (crcs.has(partNumber)) return bytes;
      const hashed = pool.hashBytes(bytes);
      crcs.set(partNumber, hashed.then((answer) => answer.crc, () => undefined));
      return (await hashed).bytes;
    },
    close: () => pool.close(),
  };
}
