import { describe, expect, it } from 'vitest';
import { byteOrder, findHeader, normalizeHeaders } from '../../src/signer/headers.js';

describe('findHeader', () => {
  it('finds an exact name first, else a name differing in case', () => {
    expect(findHeader({ 'content-type': 'a', 'Content-Type': 'b' }, 'content-type')).toBe('a');
    expect(findHeader({ 'Content-Type': 'b' }, 'content-type')).toBe('b');
    expect(findHeader({ 'CONTENT-MD5': 'x', 'content-md': 'y' }, 'content-md5')).toBe('x');
    expect(findHeader({ 'x-oss-date': 'd' }, 'date')).toBeUndefined();
    expect(findHeader({}, 'date')).toBeUndefined();
  });

  it('ignores inherited properties', () => {
    const headers = Object.create({ Date: 'inherited' }) as Record<string, string>;
    expect(findHeader(headers, 'date')).toBeUndefined();
  });
});

describe('normalizeHeaders', () => {
  it('lower-cases (ASCII and beyond), trims and joins case variants in order', () => {
    const map = normalizeHeaders({ 'X-OSS-Meta-A': ' 1 ', 'x-oss-meta-a': '2', 'x-oss-meta-b': 'b', 'X-OSS-META-Ä': 'u' });
    expect([...map]).toEqual([
      ['x-oss-meta-a', '1,2'],
      ['x-oss-meta-b', 'b'],
      ['x-oss-meta-ä', 'u'],
    ]);
  });

  it('skips undefined and null values from untyped callers', () => {
    const map = normalizeHeaders({ a: undefined, b: null, c: 'x' } as unknown as Record<string, string>);
    expect([...map]).toEqual([['c', 'x']]);
  });
});

describe('byteOrder', () => {
  it('sorts by code unit, upper case first', () => {
    expect(['b', 'B', 'a', 'A'].sort(byteOrder)).toEqual(['A', 'B', 'a', 'b']);
  });
});
