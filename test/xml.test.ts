import { describe, expect, it } from 'vitest';
import { OssClientError } from '../src/errors.js';
import { urlDecode } from '../src/xml.js';

describe('urlDecode', () => {
  it('decodes OSS url encoding, where + is a space', () => {
    expect(urlDecode('a%2Bb+c%E4%B8%AD')).toBe('a+b c中');
  });

  it('turns a malformed escape in an answer into NetworkError, not a bare URIError', () => {
    let caught: unknown;
    try {
      urlDecode('bad%E4%B8');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OssClientError);
    expect(caught).toMatchObject({ code: 'NetworkError' });
  });
});
