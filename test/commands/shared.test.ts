import { describe, expect, it } from 'vitest';
import {
  assignTexts,
  conditionHeaders,
  copySourceHeader,
  defined,
  httpDate,
  lowerCaseHeaders,
  metadataHeaders,
  readOwner,
  requestIdOf,
  responseText,
  writeResultOf,
} from '../../src/commands/shared.js';
import { child, parseXml, text } from '../../src/commands/xml.js';
import { codeOf, response } from './fixtures.js';

describe('request helpers (src/commands/shared.ts)', () => {
  it('drops undefined entries but keeps empty strings', () => {
    expect(defined({ a: '1', b: undefined, c: '' })).toEqual({ a: '1', c: '' });
  });

  it('lower-cases header names and prefixes metadata', () => {
    expect(lowerCaseHeaders({ 'Content-Type': 'text/plain', 'X-OSS-Tagging': 'a=1' })).toEqual({
      'content-type': 'text/plain',
      'x-oss-tagging': 'a=1',
    });
    expect(lowerCaseHeaders(undefined)).toEqual({});
    expect(metadataHeaders({ Author: 'Ann', year: '2024' })).toEqual({ 'x-oss-meta-author': 'Ann', 'x-oss-meta-year': '2024' });
  });

  it('maps conditions with an optional prefix; dates may be Date or preformatted', () => {
    const when = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(conditionHeaders({ ifMatch: '"E"', ifModifiedSince: when })).toEqual({
      'if-match': '"E"',
      'if-modified-since': 'Tue, 02 Jan 2024 03:04:05 GMT',
    });
    expect(conditionHeaders({ ifNoneMatch: '"F"', ifUnmodifiedSince: 'Mon, 01 Jan 2024 00:00:00 GMT' }, 'x-oss-copy-source-')).toEqual({
      'x-oss-copy-source-if-none-match': '"F"',
      'x-oss-copy-source-if-unmodified-since': 'Mon, 01 Jan 2024 00:00:00 GMT',
    });
    expect(httpDate(undefined)).toBeUndefined();
  });
});

describe('answer helpers (src/commands/shared.ts)', () => {
  it('reads the request id, ETag and CRC-64 of a write', () => {
    expect(requestIdOf(response(200, {}))).toBe('RID');
    expect(writeResultOf(response(200, { etag: '"E"', 'x-oss-hash-crc64ecma': '42' }))).toEqual({ requestId: 'RID', etag: '"E"', crc64: '42' });
    expect(writeResultOf(response(200, { 'x-oss-request-id': '' }))).toEqual({ requestId: '', etag: '' });
  });

  it('reads a body as text, empty when there is none', async () => {
    expect(await responseText(response(200, {}, 'héllo'))).toBe('héllo');
    expect(await responseText(response(204, {}))).toBe('');
  });

  it('reads an owner and copies only non-empty optional fields', () => {
    const node = child(parseXml('<R><Owner><ID>1</ID><DisplayName>me</DisplayName></Owner><A>x</A><B></B></R>'), 'R');
    expect(readOwner(node)).toEqual({ id: '1', displayName: 'me' });
    expect(readOwner(child(node, 'A'))).toBeUndefined();
    const target: { a?: string; b?: string; c?: string } = {};
    assignTexts(target, [['a', 'A'], ['b', 'B'], ['c', 'C']] as const, (tag) => text(node, tag));
    expect(target).toEqual({ a: 'x' });
  });
});

describe('copySourceHeader (x-oss-copy-source for CopyObject and UploadPartCopy)', () => {
  it('encodes the key RFC 3986 style, keeping `/`, as the Go v2 SDK does', () => {
    expect(copySourceHeader({ bucket: 'src', key: 'dir/a b+c%d.txt' })).toBe('/src/dir/a%20b%2Bc%25d.txt');
    expect(copySourceHeader({ bucket: 'src', key: "中/é*!'()~" })).toBe('/src/%E4%B8%AD/%C3%A9%2A%21%27%28%29~');
    expect(copySourceHeader({ bucket: 'src', key: 'lead//double/' })).toBe('/src/lead//double/');
  });

  it('appends an encoded versionId only when given', () => {
    expect(copySourceHeader({ bucket: 'src', key: 'k', versionId: 'CAEQ+/=' })).toBe('/src/k?versionId=CAEQ%2B%2F%3D');
    expect(copySourceHeader({ bucket: 'src', key: 'k', versionId: '' })).toBe('/src/k');
  });

  it('refuses a bad bucket name or key before sending', () => {
    expect(codeOf(() => copySourceHeader({ bucket: 'Bad_Bucket', key: 'k' }))).toBe('InvalidArgument');
    expect(codeOf(() => copySourceHeader({ bucket: 'src', key: '' }))).toBe('InvalidArgument');
    expect(codeOf(() => copySourceHeader({ bucket: 'src', key: 'x'.repeat(1024) }))).toBe('InvalidArgument');
  });
});
