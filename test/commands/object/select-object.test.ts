import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectObject, selectRequestXml } from '../../../src/commands/object/select-object.js';
import { createSelectObjectMeta } from '../../../src/commands/object/create-select-object-meta.js';
import { OssError } from '../../../src/errors.js';
import { OssClient } from '../../../src/index.node.js';
import { CONTINUOUS_EVERY_BYTES } from '../../../src/emulator/handlers/select-object.js';
import { startHarness, type Harness } from '../../upload/emulator-setup.js';
import { codeOf } from '../fixtures.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('SelectObject request', () => {
  it('builds the reference document: Base64 expression and delimiters, csv/select process, Content-MD5', () => {
    const input = {
      bucket: 'b',
      key: 'data.csv',
      expression: 'select * from ossobject where _1 > 10',
      inputSerialization: {
        compressionType: 'None' as const,
        csv: { fileHeaderInfo: 'Use' as const, recordDelimiter: '\r\n', fieldDelimiter: ',', quoteCharacter: '"', commentCharacter: '#', range: 'line-range=0-9' },
      },
      outputSerialization: { csv: { recordDelimiter: '\n', fieldDelimiter: '|' }, keepAllColumns: false, outputHeader: true },
      options: { skipPartialDataRecord: false, maxSkippedRecordsAllowed: 3 },
    };
    const request = selectObject.serialize(input);
    expect(request).toMatchObject({ method: 'POST', bucket: 'b', key: 'data.csv', query: { 'x-oss-process': 'csv/select' } });
    expect(request.headers['content-type']).toBe('application/xml');
    expect(request.headers['content-md5']).toBe(Buffer.from(require('node:crypto').createHash('md5').update(request.body as Uint8Array).digest()).toString('base64'));
    expect(selectRequestXml(input)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<SelectRequest>' +
        `<Expression>${b64('select * from ossobject where _1 > 10')}</Expression>` +
        '<InputSerialization><CompressionType>None</CompressionType><CSV><FileHeaderInfo>USE</FileHeaderInfo>' +
        `<RecordDelimiter>${b64('\r\n')}</RecordDelimiter><FieldDelimiter>${b64(',')}</FieldDelimiter>` +
        `<QuoteCharacter>${b64('"')}</QuoteCharacter><CommentCharacter>${b64('#')}</CommentCharacter>` +
        '<Range>line-range=0-9</Range></CSV></InputSerialization>' +
        `<OutputSerialization><CSV><RecordDelimiter>${b64('\n')}</RecordDelimiter><FieldDelimiter>${b64('|')}</FieldDelimiter></CSV>` +
        '<KeepAllColumns>false</KeepAllColumns><EnablePayloadCrc>true</EnablePayloadCrc><OutputHeader>true</OutputHeader></OutputSerialization>' +
        '<Options><SkipPartialDataRecord>false</SkipPartialDataRecord><MaxSkippedRecordsAllowed>3</MaxSkippedRecordsAllowed></Options>' +
        '</SelectRequest>',
    );
  });

  it('uses json/select for JSON input and refuses a missing or double input format', () => {
    const json = selectObject.serialize({ bucket: 'b', key: 'k', expression: 'select * from ossobject', inputSerialization: { json: { type: 'LINES' } } });
    expect(json.query['x-oss-process']).toBe('json/select');
    expect(new TextDecoder().decode(json.body as Uint8Array)).toContain('<JSON><Type>LINES</Type></JSON>');
    expect(codeOf(() => selectObject.serialize({ bucket: 'b', key: 'k', expression: 'select 1', inputSerialization: {} }))).toBe('InvalidArgument');
    expect(codeOf(() => selectObject.serialize({ bucket: 'b', key: 'k', expression: ' ', inputSerialization: { csv: {} } }))).toBe('InvalidArgument');
    expect(
      codeOf(() => selectObject.serialize({ bucket: 'b', key: 'k', expression: 'select 1', inputSerialization: { csv: {}, json: { type: 'LINES' } } })),
    ).toBe('InvalidArgument');
  });
});

describe('CreateSelectObjectMeta request', () => {
  it('sends CsvMetaRequest on csv/meta and JsonMetaRequest on json/meta', () => {
    const csv = createSelectObjectMeta.serialize({ bucket: 'b', key: 'k', inputSerialization: { csv: { recordDelimiter: '\n' } }, overwriteIfExists: true });
    expect(csv.query).toEqual({ 'x-oss-process': 'csv/meta' });
    expect(new TextDecoder().decode(csv.body as Uint8Array)).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<CsvMetaRequest><InputSerialization><CSV><RecordDelimiter>${b64('\n')}</RecordDelimiter></CSV></InputSerialization><OverwriteIfExists>true</OverwriteIfExists></CsvMetaRequest>`,
    );
    const json = createSelectObjectMeta.serialize({ bucket: 'b', key: 'k', inputSerialization: { json: { type: 'LINES' } } });
    expect(json.query).toEqual({ 'x-oss-process': 'json/meta' });
    expect(new TextDecoder().decode(json.body as Uint8Array)).toContain('<JsonMetaRequest><InputSerialization><JSON><Type>LINES</Type></JSON></InputSerialization></JsonMetaRequest>');
  });
});

describe('SelectObject against the emulator', () => {
  let h: Harness;
  const rows = Array.from({ length: 200 }, (_, i) => `${i},name-${i},${i % 7 === 0 ? 'Hangzhou' : 'Beijing'}`);
  const csv = `id,name,city\n${rows.join('\n')}\n`;

  beforeAll(async () => {
    h = await startHarness('select-test');
    await h.client.putObject({ key: 'people.csv', body: csv });
    await h.client.putObject({
      key: 'people.jsonl',
      body: rows.map((r) => {
        const [id, name, city] = r.split(',');
        return JSON.stringify({ id: Number(id), name, city });
      }).join('\n'),
    });
  });
  afterAll(async () => {
    await h.client.close();
    await h.emu.close();
  });

  it('selects named columns with a where clause (header USE), reporting progress from continuous frames', async () => {
    const progress: number[] = [];
    const result = await h.client.selectObject({
      key: 'people.csv',
      expression: "select name, id from ossobject where city = 'Hangzhou' and id >= 140",
      inputSerialization: { csv: { fileHeaderInfo: 'Use' } },
      onProgress: (p) => progress.push(p.loadedBytes),
    });
    expect(result.status).toBe(206);
    const expected = rows
      .map((r) => r.split(','))
      .filter(([id, , city]) => city === 'Hangzhou' && Number(id) >= 140)
      .map(([id, name]) => `${name},${id}`);
    const lines: string[] = [];
    for await (const line of result.lines()) lines.push(line);
    expect(lines).toEqual(expected);
    expect(result.summary).toEqual({ scannedBytes: csv.length, status: 200 });
    // The first 140 rows give no output: only continuous frames report that stretch of the scan.
    const quietBytes = csv.indexOf('\n140,');
    expect(progress.filter((at) => at <= quietBytes).length).toBeGreaterThanOrEqual(Math.floor(quietBytes / CONTINUOUS_EVERY_BYTES) - 1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    await expect(result.text()).rejects.toThrow(/already read/);
  });

  it('select * by position over many data frames, raw records joined = the rows', async () => {
    const result = await h.client.selectObject({
      key: 'people.csv',
      expression: 'select * from ossobject where _1 < 1000',
      inputSerialization: { csv: { fileHeaderInfo: 'Ignore' } },
    });
    let chunks = 0;
    const parts: Uint8Array[] = [];
    for await (const chunk of result.records) {
      chunks++;
      parts.push(chunk);
    }
    expect(chunks).toBeGreaterThan(3);
    expect(Buffer.concat(parts).toString()).toBe(rows.join('\n') + '\n');
  });

  it('works signed with V1 too (x-oss-process is a signed sub-resource) and over GZIP input', async () => {
    const { gzipSync } = await import('node:zlib');
    await h.client.putObject({ key: 'people.csv.gz', body: gzipSync(csv) });
    const v1 = new OssClient({ endpoint: h.emu.endpoint, region: h.emu.region, credentials: h.emu.credentials, bucket: h.bucket, signatureVersion: 'v1' });
    const result = await v1.selectObject({
      key: 'people.csv.gz',
      expression: "select _2 from ossobject where _1 = '7'",
      inputSerialization: { compressionType: 'GZIP', csv: { fileHeaderInfo: 'Ignore' } },
    });
    expect(await result.text()).toBe('name-7\n');
    await v1.close();
  });

  it('selects from JSON lines', async () => {
    const result = await h.client.selectObject({
      key: 'people.jsonl',
      expression: "select s.name from ossobject s where s.id > 195",
      inputSerialization: { json: { type: 'LINES' } },
    });
    expect(await result.text()).toBe(['196', '197', '198', '199'].map((i) => `{"name":"name-${i}"}\n`).join(''));
  });

  it('turns an end frame with an error status into OssError (bad SQL)', async () => {
    const result = await h.client.selectObject({ key: 'people.csv', expression: 'select from where', inputSerialization: { csv: {} } });
    const error = await result.text().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OssError);
    expect(error).toMatchObject({ status: 400, code: 'InvalidSqlExpression' });
    expect(result.summary?.status).toBe(400);
  });

  it('CreateSelectObjectMeta counts rows, columns and splits from the meta end frame', async () => {
    expect(await h.client.createSelectObjectMeta({ key: 'people.csv', inputSerialization: { csv: {} } })).toMatchObject({
      rows: 201,
      columns: 3,
      splits: 1,
      scannedBytes: csv.length,
    });
    const json = await h.client.createSelectObjectMeta({ key: 'people.jsonl', inputSerialization: { json: { type: 'LINES' } } });
    expect(json).toMatchObject({ rows: 200, splits: 1 });
    expect(json.columns).toBeUndefined();
  });

  it('returns bare rows with outputRawData, and NoSuchKey for a missing object', async () => {
    const result = await h.client.selectObject({
      key: 'people.csv',
      expression: 'select _2 from ossobject limit 2',
      inputSerialization: { csv: { fileHeaderInfo: 'Ignore' } },
      outputSerialization: { outputRawData: true },
    });
    expect(result.status).toBe(200);
    expect(await result.text()).toBe('name-0\nname-1\n');
    await expect(h.client.selectObject({ key: 'nope.csv', expression: 'select * from ossobject', inputSerialization: { csv: {} } })).rejects.toMatchObject({
      code: 'NoSuchKey',
    });
  });
});
