/**
 * SelectObject (`POST /<key>?x-oss-process=csv/select|json/select`) over the SQL subset of
 * ../select-sql.ts. The answer is framed (206) as OSS frames it: data frames of output rows,
 * a continuous frame whenever CONTINUOUS_EVERY_BYTES of the object were scanned with no output
 * (so clients see progress during long scans), and an end frame with the status — 400 and the
 * reason for SQL the subset does not accept. `OutputRawData` answers 200 with bare rows.
 */
import { gunzipSync } from 'node:zlib';
import { encodeFrame } from '../../select/encode-frame.js';
import type { SelectFrame } from '../../select/frames.js';
import type { EmulatorRequest, EmulatorResponse, Handler } from '../context.js';
import type { RouteInput, RouteRow } from './index.js';
import { EmulatorError } from '../context.js';
import { matches, parseSelect, SqlError, type SelectQuery } from '../select-sql.js';
import { childText, children, parseXml, type ParsedXml } from '../xml.js';
import { malformedXml, requireObject } from './common.js';

/** A continuous frame after this many scanned bytes with no frame sent. */
export const CONTINUOUS_EVERY_BYTES = 256;
/** Output is flushed into a data frame once this much is pending. */
export const DATA_FRAME_BYTES = 512;

interface Row {
  /** Byte offset just past the row in the (uncompressed) object. */
  end: number;
  /** CSV: by position (`_1` …) and, with a header, by name; JSON: the object. */
  get(column: string): unknown;
  /** `select *` output. */
  all(): string;
  /** Output of listed columns. */
  pick(columns: string[]): string;
  /** CSV: the number of fields. */
  width?: number;
}

interface Format {
  rows: Row[];
  recordDelimiter: string;
}

const fromB64 = (value: string | undefined, fallback: string) =>
  value === undefined || value === '' ? fallback : Buffer.from(value, 'base64').toString('utf8');

function invalidArgument(message: string, name: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', message, { ArgumentName: name, EC: '0016-00000801' });
}

/** `line-range=a-b` → [a, b] (b inclusive, open-ended when absent). */
function lineRange(range: string | undefined): [number, number] | undefined {
  if (!range) return undefined;
  const match = /^line-range=(\d*)-(\d*)$/.exec(range.trim());
  if (!match) throw invalidArgument(`Unsupported range '${range}' (the emulator supports line-range=a-b)`, 'Range');
  return [match[1] ? Number(match[1]) : 0, match[2] ? Number(match[2]) : Number.MAX_SAFE_INTEGER];
}

/** Splits CSV text into records of fields, honouring quotes; byte offsets track the scan. */
function csvFormat(text: string, csv: ParsedXml, output: ParsedXml | undefined): Format {
  const recordDelimiter = fromB64(childText(csv, 'RecordDelimiter'), '\n');
  const fieldDelimiter = fromB64(childText(csv, 'FieldDelimiter'), ',');
  const quote = fromB64(childText(csv, 'QuoteCharacter'), '"');
  const comment = fromB64(childText(csv, 'CommentCharacter'), '#');
  const headerInfo = (childText(csv, 'FileHeaderInfo') ?? 'NONE').toUpperCase();
  if (!['NONE', 'IGNORE', 'USE'].includes(headerInfo)) throw invalidArgument(`Invalid FileHeaderInfo ${headerInfo}`, 'FileHeaderInfo');
  const outField = fromB64(childText(output, 'FieldDelimiter'), ',');
  const outRecord = fromB64(childText(output, 'RecordDelimiter'), '\n');

  const records: { fields: string[]; end: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let bytes = 0;
  let i = 0;
  const endRecord = (width: number) => {
    fields.push(field);
    bytes += width;
    records.push({ fields, end: bytes });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (text.startsWith(quote + quote, i)) {
        field += quote;
        i += 2;
        bytes += 2 * Buffer.byteLength(quote);
      } else {
        if (c === quote) quoted = false;
        else field += c;
        i++;
        bytes += Buffer.byteLength(c);
      }
    } else if (c === quote && field === '') {
      quoted = true;
      i++;
      bytes += Buffer.byteLength(c);
    } else if (text.startsWith(recordDelimiter, i)) {
      endRecord(Buffer.byteLength(recordDelimiter));
      i += recordDelimiter.length;
    } else if (text.startsWith(fieldDelimiter, i)) {
      fields.push(field);
      field = '';
      i += fieldDelimiter.length;
      bytes += Buffer.byteLength(fieldDelimiter);
    } else {
      field += c;
      i++;
      bytes += Buffer.byteLength(c);
    }
  }
  if (field !== '' || fields.length) endRecord(0);
  const data = records.filter((r) => !(r.fields.length === 1 && (r.fields[0] === '' || r.fields[0]!.startsWith(comment))));
  const header = headerInfo === 'NONE' ? undefined : data.shift();
  const names = new Map((headerInfo === 'USE' ? header?.fields ?? [] : []).map((name, index) => [name.toLowerCase(), index]));
  const index = (column: string) => {
    const positional = /^_(\d+)$/.exec(column);
    if (positional) return Number(positional[1]) - 1;
    const byName = names.get(column.toLowerCase());
    if (byName === undefined) throw new SqlError(`Unknown column '${column}'${headerInfo === 'USE' ? '' : ' (use _1, _2, … or FileHeaderInfo USE)'}`);
    return byName;
  };
  return {
    recordDelimiter: outRecord,
    rows: data.map(({ fields: values, end }) => ({
      end,
      width: values.length,
      get: (column) => values[index(column)],
      all: () => values.join(outField),
      pick: (columns) => columns.map((column) => values[index(column)] ?? '').join(outField),
    })),
  };
}

/** JSON LINES (one object per line) or a DOCUMENT (one object, or an array of them). */
function jsonFormat(text: string, json: ParsedXml, output: ParsedXml | undefined): Format {
  const type = (childText(json, 'Type') ?? '').toUpperCase();
  if (type !== 'LINES' && type !== 'DOCUMENT') throw invalidArgument(`Invalid JSON Type '${type}'`, 'Type');
  const entries: { value: Record<string, unknown>; end: number }[] = [];
  const parse = (source: string) => {
    try {
      return JSON.parse(source) as unknown;
    } catch {
      throw new SqlError('Invalid JSON input');
    }
  };
  if (type === 'LINES') {
    let bytes = 0;
    for (const line of text.split('\n')) {
      bytes += Buffer.byteLength(line) + 1;
      if (line.trim()) entries.push({ value: parse(line) as Record<string, unknown>, end: Math.min(bytes, Buffer.byteLength(text)) });
    }
  } else {
    const document = parse(text);
    const list = Array.isArray(document) ? document : [document];
    const size = Buffer.byteLength(text);
    list.forEach((value, n) => entries.push({ value: value as Record<string, unknown>, end: Math.round(((n + 1) * size) / list.length) }));
  }
  const get = (value: Record<string, unknown>, column: string) =>
    column.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), value);
  return {
    recordDelimiter: fromB64(childText(output, 'RecordDelimiter'), '\n'),
    rows: entries.map(({ value, end }) => ({
      end,
      get: (column) => get(value, column),
      all: () => JSON.stringify(value),
      pick: (columns) => JSON.stringify(Object.fromEntries(columns.map((column) => [column.split('.').pop()!, get(value, column) ?? null]))),
    })),
  };
}

/** Runs the query and lays the result out as frames. */
function frames(format: Format, query: SelectQuery, size: number, checksum: boolean): Uint8Array[] {
  const out: Uint8Array[] = [];
  const push = (frame: SelectFrame) => out.push(encodeFrame(frame, checksum));
  let pending = '';
  let lastFrameAt = 0;
  let emitted = 0;
  let scanned = 0;
  for (const row of format.rows) {
    if (query.limit !== undefined && emitted >= query.limit) break;
    scanned = row.end;
    if (query.where.every((condition) => matches(row.get(condition.column), condition))) {
      pending += (query.columns ? row.pick(query.columns) : row.all()) + format.recordDelimiter;
      emitted++;
    }
    // Output goes out when enough is pending or the last frame is long ago; a long stretch
    // without output gets a continuous frame instead.
    const quiet = scanned - lastFrameAt >= CONTINUOUS_EVERY_BYTES;
    if (Buffer.byteLength(pending) >= DATA_FRAME_BYTES || (quiet && pending)) {
      push({ type: 'data', offset: scanned, data: Buffer.from(pending) });
      pending = '';
      lastFrameAt = scanned;
    } else if (quiet) {
      push({ type: 'continuous', offset: scanned });
      lastFrameAt = scanned;
    }
  }
  if (query.limit === undefined) scanned = size;
  if (pending) push({ type: 'data', offset: scanned, data: Buffer.from(pending) });
  push({ type: 'end', offset: scanned, scannedBytes: scanned, status: 200, errorMessage: '' });
  return out;
}

function framed(parts: Uint8Array[]): EmulatorResponse {
  return {
    status: 206,
    headers: { 'Content-Type': 'application/octet-stream', 'x-oss-select-output-raw': 'false' },
    body: Buffer.concat(parts),
  };
}

export const selectObject: Handler = async (request: EmulatorRequest, env) => {
  const object = requireObject(request, env);
  const process = request.query['x-oss-process'] ?? '';
  const parsed = parseXml(new TextDecoder().decode(await request.body()));
  const root = parsed?.['SelectRequest'];
  if (!root || Array.isArray(root) || typeof root === 'string') throw malformedXml();
  const expression = childText(root, 'Expression');
  if (!expression) throw invalidArgument('The SQL Expression is missing', 'Expression');
  const input = children(root, 'InputSerialization')[0];
  const output = children(root, 'OutputSerialization')[0];
  const csv = children(input, 'CSV')[0];
  const json = children(input, 'JSON')[0];
  if (process === 'json/select' ? json === undefined : csv === undefined) {
    throw invalidArgument(`${process} needs InputSerialization/${process === 'json/select' ? 'JSON' : 'CSV'}`, 'InputSerialization');
  }
  const raw = childText(output, 'OutputRawData')?.toLowerCase() === 'true';
  const checksum = childText(output, 'EnablePayloadCrc')?.toLowerCase() === 'true';
  let data: Uint8Array = object.data;
  if ((childText(input, 'CompressionType') ?? 'None').toUpperCase() === 'GZIP') {
    try {
      data = gunzipSync(data);
    } catch {
      throw invalidArgument('The object is not GZIP data', 'CompressionType');
    }
  }
  const text = Buffer.from(data).toString('utf8');
  const sql = Buffer.from(expression, 'base64').toString('utf8');
  const range = lineRange(childText(csv ?? json, 'Range'));
  try {
    const query = parseSelect(sql);
    const format = json ? jsonFormat(text, json, children(output, 'JSON')[0]) : csvFormat(text, csv!, children(output, 'CSV')[0]);
    if (range) format.rows = format.rows.slice(range[0], range[1] + 1);
    const parts = frames(format, query, data.length, checksum);
    if (!raw) return framed(parts);
    // Raw output: the same rows without frames.
    const rows = format.rows
      .filter((row) => query.where.every((condition) => matches(row.get(condition.column), condition)))
      .slice(0, query.limit)
      .map((row) => (query.columns ? row.pick(query.columns) : row.all()) + format.recordDelimiter);
    return { status: 200, headers: { 'Content-Type': 'application/octet-stream', 'x-oss-select-output-raw': 'true' }, body: rows.join('') };
  } catch (error) {
    if (!(error instanceof SqlError)) throw error;
    if (raw) throw new EmulatorError(400, 'InvalidSqlExpression', error.message, { EC: '0016-00000802' });
    return framed([encodeFrame({ type: 'end', offset: 0, scannedBytes: 0, status: 400, errorMessage: `InvalidSqlExpression.${error.message}` }, checksum)]);
  }
};

/** Splits the emulator reports per this many bytes (OSS splits are larger; the count only has to be consistent). */
export const SPLIT_BYTES = 64 * 1024;

/** CreateSelectObjectMeta: counts rows (and CSV columns) and answers with a meta end frame. */
export const createSelectObjectMeta: Handler = async (request, env) => {
  const object = requireObject(request, env);
  const json = request.query['x-oss-process'] === 'json/meta';
  const rootName = json ? 'JsonMetaRequest' : 'CsvMetaRequest';
  const root = parseXml(new TextDecoder().decode(await request.body()))?.[rootName];
  if (root === undefined || Array.isArray(root) || typeof root === 'string') throw malformedXml();
  const input = children(root, 'InputSerialization')[0];
  const node = children(input, json ? 'JSON' : 'CSV')[0] ?? {};
  let data: Uint8Array = object.data;
  if ((childText(input, 'CompressionType') ?? 'None').toUpperCase() === 'GZIP') data = gunzipSync(data);
  const text = Buffer.from(data).toString('utf8');
  const format = json ? jsonFormat(text, node, undefined) : csvFormat(text, node, undefined);
  const parts: Uint8Array[] = [];
  let lastFrameAt = 0;
  for (const row of format.rows) {
    if (row.end - lastFrameAt >= CONTINUOUS_EVERY_BYTES) {
      parts.push(encodeFrame({ type: 'continuous', offset: row.end }));
      lastFrameAt = row.end;
    }
  }
  parts.push(
    encodeFrame({
      type: 'metaEnd',
      format: json ? 'json' : 'csv',
      offset: data.length,
      scannedBytes: data.length,
      status: 200,
      splits: Math.max(1, Math.ceil(data.length / SPLIT_BYTES)),
      rows: format.rows.length,
      ...(json ? {} : { columns: Math.max(0, ...format.rows.map((row) => row.width ?? 0)) }),
      errorMessage: '',
    }),
  );
  return framed(parts);
};

const process = (pattern: RegExp) => (input: RouteInput) => pattern.test(input.query['x-oss-process'] ?? '');

/** `POST /<key>?x-oss-process=csv/select|json/select` and `…/meta`. */
export const SELECT_ROUTES: readonly RouteRow[] = [
  { method: 'POST', level: 'object', subresource: 'x-oss-process', operation: 'SelectObject', when: process(/^(csv|json)\/select$/) },
  { method: 'POST', level: 'object', subresource: 'x-oss-process', operation: 'CreateSelectObjectMeta', when: process(/^(csv|json)\/meta$/) },
];

export const selectObjectHandlers: Record<string, Handler> = { SelectObject: selectObject, CreateSelectObjectMeta: createSelectObjectMeta };
