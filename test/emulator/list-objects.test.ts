/**
 * ListObjects (v1) and ListObjectsV2 paging, prefixes, delimiters and URL encoding
 * (src/emulator/handlers/list-objects.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createBucket, putObject, send, xmlText, xmlTexts } from './helpers.js';

let emu: Emulator;
const B = 'listing';
const KEYS = ['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'd/4.txt', 'e.txt', 'z\u00e9.txt', 'z\u{1F600}.txt', 'z\uFF5E.txt'];

beforeAll(async () => {
  emu = await startEmulator();
  await createBucket(emu, B);
  for (const key of KEYS) await putObject(emu, B, key, key);
});
afterAll(async () => {
  await emu.close();
});

/** Contents keys (inside <Contents>) and common prefixes of a listing. */
function parse(xml: string): { keys: string[]; prefixes: string[] } {
  const keys = [...xml.matchAll(/<Contents><Key>([\s\S]*?)<\/Key>/g)].map((m) => m[1]!);
  const prefixes = [...xml.matchAll(/<CommonPrefixes><Prefix>([\s\S]*?)<\/Prefix>/g)].map((m) => m[1]!);
  return { keys, prefixes };
}

describe('ListObjects (v1)', () => {
  test('all keys in UTF-8 byte order with size, ETag, owner', async () => {
    const res = await send(emu, { bucket: B });
    expect(res.status).toBe(200);
    // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 …) in bytes, though not in UTF-16.
    expect(parse(res.text).keys).toEqual(['a.txt', 'b/1.txt', 'b/2.txt', 'b/c/3.txt', 'd/4.txt', 'e.txt', 'z\u00e9.txt', 'z\uFF5E.txt', 'z\u{1F600}.txt']);
    expect(xmlText(res.text, 'Name')).toBe(B);
    expect(xmlText(res.text, 'MaxKeys')).toBe('100');
    expect(xmlText(res.text, 'IsTruncated')).toBe('false');
    expect(xmlText(res.text, 'Size')).toBe('5');
    expect(xmlText(res.text, 'ETag')).toMatch(/^"[0-9A-F]{32}"$/);
    expect(xmlText(res.text, 'ID')).toBeTruthy();
  });

  test('delimiter folds keys into CommonPrefixes; prefix narrows', async () => {
    const top = parse((await send(emu, { bucket: B, query: { delimiter: '/' } })).text);
    expect(top.keys).toEqual(['a.txt', 'e.txt', 'z\u00e9.txt', 'z\uFF5E.txt', 'z\u{1F600}.txt']);
    expect(top.prefixes).toEqual(['b/', 'd/']);
    const inB = parse((await send(emu, { bucket: B, query: { prefix: 'b/', delimiter: '/' } })).text);
    expect(inB.keys).toEqual(['b/1.txt', 'b/2.txt']);
    expect(inB.prefixes).toEqual(['b/c/']);
  });

  test('max-keys and NextMarker page through, a common prefix counting as one', async () => {
    const seen: string[] = [];
    let marker = '';
    for (let i = 0; i < 10; i++) {
      const res = await send(emu, { bucket: B, query: { delimiter: '/', 'max-keys': '2', marker } });
      const page = parse(res.text);
      seen.push(...page.keys, ...page.prefixes);
      if (xmlText(res.text, 'IsTruncated') === 'false') break;
      marker = xmlText(res.text, 'NextMarker')!;
    }
    expect(seen.sort()).toEqual(['a.txt', 'b/', 'd/', 'e.txt', 'z\u00e9.txt', 'z\uFF5E.txt', 'z\u{1F600}.txt'].sort());
  });

  test('encoding-type=url encodes keys and prefixes', async () => {
    const res = await send(emu, { bucket: B, query: { prefix: 'z', 'encoding-type': 'url' } });
    expect(xmlText(res.text, 'EncodingType')).toBe('url');
    expect(parse(res.text).keys).toEqual([encodeURIComponent('z\u00e9.txt'), encodeURIComponent('z\uFF5E.txt'), encodeURIComponent('z\u{1F600}.txt')]);
  });

  test('invalid max-keys: 400 InvalidArgument', async () => {
    for (const value of ['abc', '1001', '-1']) {
      const res = await send(emu, { bucket: B, query: { 'max-keys': value } });
      expect(res.status).toBe(400);
      expect(xmlText(res.text, 'Code')).toBe('InvalidArgument');
    }
  });
});

describe('ListObjectsV2', () => {
  test('KeyCount, continuation tokens and no owner unless fetch-owner', async () => {
    const first = await send(emu, { bucket: B, query: { 'list-type': '2', 'max-keys': '4' } });
    expect(xmlText(first.text, 'KeyCount')).toBe('4');
    expect(xmlText(first.text, 'IsTruncated')).toBe('true');
    expect(xmlText(first.text, 'Owner')).toBeUndefined();
    const token = xmlText(first.text, 'NextContinuationToken')!;
    const second = await send(emu, { bucket: B, query: { 'list-type': '2', 'max-keys': '100', 'continuation-token': token } });
    expect(xmlText(second.text, 'ContinuationToken')).toBe(token);
    expect(xmlText(second.text, 'KeyCount')).toBe(String(KEYS.length - 4));
    expect(xmlText(second.text, 'NextContinuationToken')).toBeUndefined();
    expect([...parse(first.text).keys, ...parse(second.text).keys]).toHaveLength(KEYS.length);

    const owned = await send(emu, { bucket: B, query: { 'list-type': '2', 'fetch-owner': 'true', 'max-keys': '1' } });
    expect(xmlText(owned.text, 'Owner')).toBeTruthy();
  });

  test('start-after, prefix and delimiter', async () => {
    const res = await send(emu, { bucket: B, query: { 'list-type': '2', 'start-after': 'b/1.txt', prefix: 'b/', delimiter: '/' } });
    expect(parse(res.text).keys).toEqual(['b/2.txt']);
    expect(parse(res.text).prefixes).toEqual(['b/c/']);
    expect(xmlText(res.text, 'StartAfter')).toBe('b/1.txt');
    expect(xmlText(res.text, 'KeyCount')).toBe('2');
  });

  test('a forged continuation token: 400 InvalidArgument', async () => {
    const res = await send(emu, { bucket: B, query: { 'list-type': '2', 'continuation-token': 'garbage' } });
    expect(res.status).toBe(400);
  });

  test('an empty bucket lists nothing', async () => {
    await createBucket(emu, 'empty-listing');
    const res = await send(emu, { bucket: 'empty-listing', query: { 'list-type': '2' } });
    expect(xmlText(res.text, 'KeyCount')).toBe('0');
    expect(xmlTexts(res.text, 'Key')).toEqual([]);
  });
});
