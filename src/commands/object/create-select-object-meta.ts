/**
 * CreateSelectObjectMeta (`POST /<key>?x-oss-process=csv/meta|json/meta`): has OSS scan a CSV or
 * JSON LINES object once and keep its row and split counts, so later SelectObject calls can ask for
 * `split-range` / `line-range` slices. The answer is framed like SelectObject's and ends with a
 * meta end frame carrying the counts.
 */
import { OssClientError } from '../../errors.js';
import { b64, endFrameError, selectPost } from './select-object.js';
import { decodeFrames, type MetaEndFrame } from '../../select/frames.js';
import { buildXml } from '../xml.js';
import { requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command } from '../types.js';

export interface CreateSelectObjectMetaInput extends BaseInput {
  key: string;
  /** Exactly one of `csv` and `json` (JSON must be `LINES`). */
  inputSerialization: {
    csv?: { recordDelimiter?: string; fieldDelimiter?: string; quoteCharacter?: string };
    json?: { type: 'LINES' };
    compressionType?: 'None' | 'GZIP';
  };
  /** Scan again even when OSS already has the meta. */
  overwriteIfExists?: boolean;
}

export interface CreateSelectObjectMetaOutput extends BaseOutput {
  /** Splits OSS divided the object into (for `split-range`). */
  splits: number;
  rows: number;
  /** CSV only. */
  columns?: number;
  scannedBytes: number;
}

/** The `<CsvMetaRequest>` / `<JsonMetaRequest>` document. */
export function selectMetaRequestXml(input: CreateSelectObjectMetaInput): string {
  const { csv, json, compressionType } = input.inputSerialization;
  return buildXml(json ? 'JsonMetaRequest' : 'CsvMetaRequest', {
    InputSerialization: {
      CompressionType: compressionType,
      CSV: csv && { RecordDelimiter: b64(csv.recordDelimiter), FieldDelimiter: b64(csv.fieldDelimiter), QuoteCharacter: b64(csv.quoteCharacter) },
      JSON: json && { Type: json.type },
    },
    OverwriteIfExists: input.overwriteIfExists,
  });
}

/** @example const { rows, splits } = await client.createSelectObjectMeta({ key: 'big.csv', inputSerialization: { csv: {} } }); */
export const createSelectObjectMeta: Command<CreateSelectObjectMetaInput, CreateSelectObjectMetaOutput> = {
  name: 'CreateSelectObjectMeta',
  serialize(input) {
    return selectPost('CreateSelectObjectMeta', 'meta', input, selectMetaRequestXml);
  },
  async deserialize(response, input) {
    const requestId = requestIdOf(response);
    let end: MetaEndFrame | undefined;
    if (response.body) {
      for await (const frame of decodeFrames(response.body, { checkCrc: true })) if (frame.type === 'metaEnd') end = frame;
    }
    if (!end) throw new OssClientError('NetworkError', 'CreateSelectObjectMeta: the answer held no meta end frame');
    if (end.status >= 300) throw endFrameError('CreateSelectObjectMeta', end.status, end.errorMessage, requestId, input);
    return {
      requestId,
      splits: end.splits,
      rows: end.rows,
      scannedBytes: end.scannedBytes,
      ...(end.columns !== undefined ? { columns: end.columns } : {}),
    };
  },
};
