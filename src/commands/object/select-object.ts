/**
 * SelectObject: runs an SQL expression over a CSV or JSON object server-side
 * (`POST /<key>?x-oss-process=csv/select` or `json/select`) and decodes the framed answer
 * (src/select/frames.ts) into the raw output rows.
 */
import { iterateBody, readAll } from '../../pipeline/body.js';
import { invalidArgument, OssError } from '../../errors.js';
import { base64Utf8, md5, toBase64 } from '../../integrity/hash.js';
import { decodeFrames } from '../../select/frames.js';
import { requireBucket, requireField } from '../validate.js';
import { buildXml, type XmlInput } from '../xml.js';
import { requestIdOf } from '../shared.js';
import type { BaseInput, BaseOutput, Command, HttpRequest, Progress } from '../types.js';

export interface SelectCsvInput {
  /** Whether the first line names the columns: `Use` lets the SQL name them, `Ignore` skips it. Default `None`. */
  fileHeaderInfo?: 'None' | 'Ignore' | 'Use';
  /** Default `\n`. */
  recordDelimiter?: string;
  /** Default `,`. */
  fieldDelimiter?: string;
  /** Default `"`. */
  quoteCharacter?: string;
  /** Lines starting with it are skipped. Default `#`. */
  commentCharacter?: string;
  /** A raw range, e.g. `line-range=10-20` or `split-range=0-3`. */
  range?: string;
  allowQuotedRecordDelimiter?: boolean;
}

export interface SelectJsonInput {
  /** `LINES`: one JSON object per line; `DOCUMENT`: one document. */
  type: 'DOCUMENT' | 'LINES';
  /** A raw range, e.g. `line-range=10-20` (LINES only). */
  range?: string;
  parseJsonNumberAsString?: boolean;
}

export interface SelectOutputSerialization {
  csv?: { recordDelimiter?: string; fieldDelimiter?: string };
  json?: { recordDelimiter?: string };
  /** Output every column, the unselected ones empty. */
  keepAllColumns?: boolean;
  /** Ask for the rows without frames (then no progress and no checksums). */
  outputRawData?: boolean;
  /** Ask OSS to checksum every frame; the client then checks them. Default true. */
  enablePayloadCrc?: boolean;
  /** Output the CSV header line first. */
  outputHeader?: boolean;
}

export interface SelectObjectInput extends BaseInput {
  key: string;
  /** SQL, e.g. `select _1, _3 from ossobject where _2 > 10` (sent Base64-encoded). */
  expression: string;
  /** Exactly one of `csv` and `json`. */
  inputSerialization: { csv?: SelectCsvInput; json?: SelectJsonInput; compressionType?: 'None' | 'GZIP' };
  outputSerialization?: SelectOutputSerialization;
  options?: { skipPartialDataRecord?: boolean; maxSkippedRecordsAllowed?: number };
  /** Scan progress from continuous and data frames: `loadedBytes` is how far into the object OSS has read. */
  onProgress?: (progress: Progress) => void;
}

export interface SelectObjectOutput extends BaseOutput {
  /** HTTP status: 206 for a framed answer, 200 for raw output. */
  status: number;
  /**
   * The output bytes as the data frames carry them (rows joined by the record delimiter; a row may
   * span two chunks). One-shot, like `text()` and `lines()`: read the answer one way only.
   * Throws `OssError` when the end frame reports a failure, `OssClientError('CrcMismatch')` for a
   * damaged frame.
   */
  records: AsyncIterable<Uint8Array>;
  /** All output as bytes. */
  bytes(): Promise<Uint8Array>;
  /** All output as UTF-8. */
  text(): Promise<string>;
  /** The output split on `\n` (a trailing `\r` removed), the last empty line left out. */
  lines(): AsyncIterable<string>;
  /** Filled in when the end frame has been read: bytes of the object scanned, and the end status. */
  readonly summary?: { scannedBytes: number; status: number };
}

/** Base64 of an optional delimiter or character, as the request documents carry them. */
export const b64 = (value: string | undefined) => (value === undefined ? undefined : base64Utf8(value));

/** The `<SelectRequest>` document, elements in the order of the API reference. */
export function selectRequestXml(input: SelectObjectInput): string {
  const { csv, json, compressionType } = input.inputSerialization;
  const out = input.outputSerialization ?? {};
  const body: XmlInput = {
    Expression: base64Utf8(input.expression),
    InputSerialization: {
      CompressionType: compressionType,
      CSV: csv && {
        FileHeaderInfo: csv.fileHeaderInfo?.toUpperCase(),
        RecordDelimiter: b64(csv.recordDelimiter),
        FieldDelimiter: b64(csv.fieldDelimiter),
        QuoteCharacter: b64(csv.quoteCharacter),
        CommentCharacter: b64(csv.commentCharacter),
        Range: csv.range,
        AllowQuotedRecordDelimiter: csv.allowQuotedRecordDelimiter,
      },
      JSON: json && { Type: json.type, Range: json.range, ParseJsonNumberAsString: json.parseJsonNumberAsString },
    },
    OutputSerialization: {
      CSV: out.csv && { RecordDelimiter: b64(out.csv.recordDelimiter), FieldDelimiter: b64(out.csv.fieldDelimiter) },
      JSON: out.json && { RecordDelimiter: b64(out.json.recordDelimiter) },
      KeepAllColumns: out.keepAllColumns,
      OutputRawData: out.outputRawData,
      EnablePayloadCrc: out.enablePayloadCrc ?? true,
      OutputHeader: out.outputHeader,
    },
    Options: input.options && {
      SkipPartialDataRecord: input.options.skipPartialDataRecord,
      MaxSkippedRecordsAllowed: input.options.maxSkippedRecordsAllowed,
    },
  };
  return buildXml('SelectRequest', body);
}

/**
 * @example
 * const result = await client.selectObject({
 *   key: 'people.csv',
 *   expression: "select name, age from ossobject where city = 'Hangzhou'",
 *   inputSerialization: { csv: { fileHeaderInfo: 'Use' } },
 * });
 * for await (const line of result.lines()) console.log(line);
 */
export const selectObject: Command<SelectObjectInput, SelectObjectOutput> = {
  name: 'SelectObject',
  options: { streaming: true, ownProgress: true },
  serialize(input) {
    if (typeof input.expression !== 'string' || input.expression.trim() === '') {
      throw invalidArgument('SelectObject needs an SQL expression');
    }
    return selectPost('SelectObject', 'select', input, selectRequestXml);
  },
  async deserialize(response, input) {
    const requestId = requestIdOf(response);
    const raw = (response.headers['x-oss-select-output-raw'] ?? '').toLowerCase() === 'true';
    const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    const output: SelectObjectOutput = {
      requestId,
      status: response.status,
      records: { [Symbol.asyncIterator]: () => take()[Symbol.asyncIterator]() },
      bytes: () => readAll(take()),
      text: async () => new TextDecoder().decode(await readAll(take())),
      lines: () => splitLines(take()),
    };
    let used = false;
    const take = (): AsyncIterable<Uint8Array> => {
      if (used) throw invalidArgument('the SelectObject answer was already read');
      used = true;
      return raw ? iterateBody(body) : frameData();
    };
    const checkCrc = input.outputSerialization?.enablePayloadCrc ?? true;
    async function* frameData(): AsyncGenerator<Uint8Array> {
      for await (const frame of decodeFrames(body, { checkCrc })) {
        if (frame.type === 'data') {
          input.onProgress?.({ loadedBytes: frame.offset, totalBytes: undefined });
          if (frame.data.length) yield frame.data;
        } else if (frame.type === 'continuous') {
          input.onProgress?.({ loadedBytes: frame.offset, totalBytes: undefined });
        } else {
          (output as { summary?: SelectObjectOutput['summary'] }).summary = { scannedBytes: frame.scannedBytes, status: frame.status };
          if (frame.status >= 300) throw endFrameError('SelectObject', frame.status, frame.errorMessage, requestId, input);
        }
      }
    }
    return output;
  },
};

/**
 * A failed end frame as an `OssError`. OSS words these messages `<Code>.<detail>` or `<Code>:…`
 * when it has a code; otherwise the code is `SelectObjectFailed`.
 */
/**
 * The POST both select calls send: `?x-oss-process=<csv|json>/<action>` with an XML body and its
 * Content-MD5, after checking that exactly one input format is named.
 */
export function selectPost<I extends BaseInput & { key: string; inputSerialization: { csv?: unknown; json?: unknown } }>(
  operation: string,
  action: 'select' | 'meta',
  input: I,
  toXml: (input: I) => string,
): HttpRequest {
  const bucket = requireBucket(input.bucket, operation);
  const key = requireField(input.key, 'key', operation);
  const { csv, json } = input.inputSerialization ?? {};
  if ((csv === undefined) === (json === undefined)) {
    throw invalidArgument(`${operation} needs exactly one of inputSerialization.csv and inputSerialization.json`);
  }
  const body = new TextEncoder().encode(toXml(input));
  return {
    method: 'POST',
    bucket,
    key,
    query: { 'x-oss-process': `${json ? 'json' : 'csv'}/${action}` },
    headers: { 'content-type': 'application/xml', 'content-md5': toBase64(md5(body)) },
    body,
  };
}

export function endFrameError(operation: string, status: number, message: string, requestId: string, input: BaseInput & { key: string }): OssError {
  return new OssError({
    code: /^([A-Z][A-Za-z]+)[.:]/.exec(message)?.[1] ?? 'SelectObjectFailed',
    status,
    message: message || `${operation} ended with status ${status}`,
    requestId,
    operation,
    bucket: input.bucket,
    key: input.key,
  });
}

async function* splitLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf('\n')) !== -1) {
      yield pending.slice(0, nl).replace(/\r$/, '');
      pending = pending.slice(nl + 1);
    }
  }
  pending += decoder.decode();
  if (pending) yield pending.replace(/\r$/, '');
}
