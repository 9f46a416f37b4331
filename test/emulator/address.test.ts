/**
 * Addressing (src/emulator/address.ts): path style vs virtual host, raw-path decoding, queries.
 */
import { describe, expect, test } from 'vitest';
import { bucketFromHost, hostnameOf, parseQuery, resolveAddress } from '../../src/emulator/address.js';

const none = new Set<string>();

describe('resolveAddress', () => {
  test.each([
    ['127.0.0.1:9000', '/b/k', { bucket: 'b', key: 'k' }],
    ['localhost:9000', '/b/dir/a%20b%2Bc', { bucket: 'b', key: 'dir/a b+c' }],
    ['localhost:9000', '/b/a+b', { bucket: 'b', key: 'a+b' }],
    ['localhost:9000', '/b', { bucket: 'b', key: undefined }],
    ['localhost:9000', '/b/', { bucket: 'b', key: undefined }],
    ['localhost:9000', '/', {}],
    ['b.localhost:9000', '/k/%E4%B8%AD', { bucket: 'b', key: 'k/中' }],
    ['b.oss-cn-hangzhou.aliyuncs.com', '/k', { bucket: 'b', key: 'k' }],
    ['oss-cn-hangzhou.aliyuncs.com', '/b/k', { bucket: 'b', key: 'k' }],
    ['undefined.oss-cn-hangzhou.aliyuncs.com', '/', {}],
    ['[::1]:9000', '/b/k', { bucket: 'b', key: 'k' }],
    ['b.localhost:9000', '/dir//double', { bucket: 'b', key: 'dir//double' }],
  ])('%s %s', (host, path, expected) => {
    expect(resolveAddress(host, path, none)).toEqual(expected);
  });

  test('the configured host is path style even with dots', () => {
    expect(resolveAddress('emu.internal:9000', '/b/k', new Set(['emu.internal']))).toEqual({ bucket: 'b', key: 'k' });
    expect(bucketFromHost('emu.internal', none)).toBe('emu');
  });

  test('a bad percent-escape is 400 InvalidURI', () => {
    expect(() => resolveAddress('localhost', '/b/%E4%B8', none)).toThrow(expect.objectContaining({ code: 'InvalidURI', status: 400 }));
  });

  test('hostnameOf strips ports and brackets', () => {
    expect(hostnameOf('Bucket.LOCALHOST:80')).toBe('bucket.localhost');
    expect(hostnameOf('[::1]:9000')).toBe('::1');
  });
});

test('parseQuery decodes, keeps bare keys as empty strings, first value wins', () => {
  const q = parseQuery('acl&prefix=a%2Fb&x=1+2&x=3&empty=&uploadId=abc%3D');
  expect({ ...q }).toEqual({ acl: '', prefix: 'a/b', x: '1 2', empty: '', uploadId: 'abc=' });
  expect('constructor' in q).toBe(false);
});

test('explicitlyEmptyKeys finds `key=` but not bare keys or filled values', async () => {
  const { explicitlyEmptyKeys } = await import('../../src/emulator/address.js');
  expect([...explicitlyEmptyKeys('acl&prefix=&a%20b=&x=1&y==')]).toEqual(['prefix', 'a b']);
});
