import { describe, expect, it } from 'vitest';
import { encodePath, rfc3986Encode } from '../../src/signer/encode.js';

describe('rfc3986Encode', () => {
  it('keeps only unreserved characters and uses upper-case hex', () => {
    expect(rfc3986Encode('AZaz09-_.~')).toBe('AZaz09-_.~');
    expect(rfc3986Encode(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}")).toBe(
      '%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D',
    );
  });
  it('encodes UTF-8 bytes', () => {
    expect(rfc3986Encode('中é😀')).toBe('%E4%B8%AD%C3%A9%F0%9F%98%80');
  });
  it('encodes every byte 0x00-0x7F exactly as RFC 3986 says', () => {
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      const unreserved = /[A-Za-z0-9\-_.~]/.test(ch);
      const expected = unreserved ? ch : '%' + c.toString(16).toUpperCase().padStart(2, '0');
      expect(rfc3986Encode(ch)).toBe(expected);
    }
  });
});

describe('encodePath', () => {
  it('keeps slashes, including repeated and trailing ones', () => {
    expect(encodePath('/b/a//c d/')).toBe('/b/a//c%20d/');
    expect(encodePath('/')).toBe('/');
  });
});

describe('encodePath over whole paths', () => {
  it('matches encoding each segment, keeps / and leaves a literal %2F encoded', () => {
    for (const path of ['/b/a b+c.txt', '/b/中文/x*y(1)', '/b/%2F/%', "/b/!'()*~", '/b//double//', '/']) {
      expect(encodePath(path)).toBe(path.split('/').map(rfc3986Encode).join('/'));
    }
    expect(encodePath('/b/a%2Fb')).toBe('/b/a%252Fb');
  });

  it('encodes every ASCII character, in and around segments, as rfc3986Encode does', () => {
    for (let c = 0; c < 128; c++) {
      const ch = String.fromCharCode(c);
      if (ch === '/') continue;
      const path = `/b/${ch}/x${ch}y${ch}/中${ch}`;
      expect(encodePath(path), JSON.stringify(ch)).toBe(path.split('/').map(rfc3986Encode).join('/'));
    }
  });

  it('answers the same path twice in a row, and others in between, correctly', () => {
    const a = 'dir/a b+c.txt';
    const b = 'dir/中 文';
    for (const [path, expected] of [
      [a, 'dir/a%20b%2Bc.txt'],
      [a, 'dir/a%20b%2Bc.txt'],
      [b, 'dir/%E4%B8%AD%20%E6%96%87'],
      ['plain/key', 'plain/key'],
      [b, 'dir/%E4%B8%AD%20%E6%96%87'],
      [a, 'dir/a%20b%2Bc.txt'],
    ] as const) {
      expect(encodePath(path)).toBe(expected);
    }
  });

  it('refuses a lone surrogate like rfc3986Encode does', () => {
    expect(() => rfc3986Encode('a\ud800')).toThrow(URIError);
    expect(() => encodePath('/b/a\ud800')).toThrow(URIError);
  });
});
