/**
 * A second read of a source whose metadata may not show a change made during the upload (a file
 * modified moments before it, see upload-file.node.ts): every part is read again and compared with
 * the CRC-64 of what was sent, so an object of old and new bytes is never committed.
 */
import { crc64 } from '../integrity/crc64.js';
import { OssClientError } from '../errors.js';
import type { Part } from './parts.js';

/** Throws `InvalidArgument` naming the first part whose bytes now differ from `sent` (CRC-64 by part number). */
export async function recheckParts(
  parts: AsyncIterable<Part>,
  sent: ReadonlyMap<number, string>,
  where: { bucket?: string; key: string },
): Promise<void> {
  for await (const part of parts) {
    const expected = sent.get(part.partNumber);
    const same = expected === undefined || crc64(part.bytes) === expected;
    part.release?.();
    if (!same) {
      throw new OssClientError('InvalidArgument', `part ${part.partNumber}: the source changed while it was being uploaded; upload it again`, {
        operation: 'Upload',
        ...where,
      });
    }
  }
}
