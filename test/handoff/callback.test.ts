import { describe, expect, it } from 'vitest';
import {
  callbackFailedError,
  encodeCallback,
  encodeCallbackFormFields,
  encodeCallbackQuery,
  parseCallbackResult,
  type CallbackInput,
} from '../../src/handoff/callback.js';
import { OssClientError, OssError } from '../../src/errors.js';
import { fromBase64, fromUtf8, utf8 } from '../../src/integrity/hash.js';

const decode = (b64: string): unknown => JSON.parse(fromUtf8(fromBase64(b64)));

function refusal(cb: CallbackInput): OssClientError {
  try {
    encodeCallback(cb);
  } catch (err) {
    expect(err).toBeInstanceOf(OssClientError);
    expect((err as OssClientError).code).toBe('InvalidArgument');
    return err as OssClientError;
  }
  throw new Error('encodeCallback accepted an invalid callback');
}

describe('encodeCallback', () => {
  it('encodes the callback JSON and the vars as base64 UTF-8', () => {
    const encoded = encodeCallback({
      url: 'https://app.example.com/cb?a=1',
      host: 'app.example.com',
      body: 'bucket=${bucket}&object=${object}&name=${x:name}',
      bodyType: 'application/json',
      sni: true,
      vars: { 'x:name': '中文 value' },
    });
    expect(decode(encoded['x-oss-callback'])).toEqual({
      callbackUrl: 'https://app.example.com/cb?a=1',
      callbackHost: 'app.example.com',
      callbackBody: 'bucket=${bucket}&object=${object}&name=${x:name}',
      callbackBodyType: 'application/json',
      callbackSNI: true,
    });
    expect(decode(encoded['x-oss-callback-var']!)).toEqual({ 'x:name': '中文 value' });
  });

  it('matches the documented callback-var example byte for byte', () => {
    const encoded = encodeCallback({ url: 'http://a.example/', body: 'v=${x:my_var}', vars: { 'x:my_var': 'hello' } });
    expect(encoded['x-oss-callback-var']).toBe('eyJ4Om15X3ZhciI6ImhlbGxvIn0=');
  });

  it('leaves out optional fields and the var header when not given', () => {
    const encoded = encodeCallback({ url: 'http://a.example/cb', body: 'k=${object}' });
    expect(decode(encoded['x-oss-callback'])).toEqual({ callbackUrl: 'http://a.example/cb', callbackBody: 'k=${object}' });
    expect('x-oss-callback-var' in encoded).toBe(false);
  });

  it('accepts up to five URLs and refuses six', () => {
    const five = Array.from({ length: 5 }, (_, i) => `http://h${i}.example/cb`).join(';');
    expect(() => encodeCallback({ url: five, body: 'x' })).not.toThrow();
    expect(refusal({ url: `${five};http://h5.example/cb`, body: 'x' }).message).toMatch(/at most 5/);
  });

  it('refuses a missing url, an empty body, a bad body type and bad var names', () => {
    refusal({ url: '', body: 'x' });
    refusal({ url: 'http://a.example/;', body: 'x' });
    refusal({ url: 'http://a.example/', body: '' });
    refusal({ url: 'http://a.example/', body: 'x', bodyType: 'text/plain' as 'application/json' });
    expect(refusal({ url: 'http://a.example/', body: 'x', vars: { name: 'v' } }).message).toMatch(/x:/);
    refusal({ url: 'http://a.example/', body: 'x', vars: { 'x:Upper': 'v' } });
    refusal({ url: 'http://a.example/', body: 'x', vars: { 'x:': 'v' } });
  });

  it('refuses a callback over 5 KB once encoded', () => {
    refusal({ url: 'http://a.example/', body: 'b'.repeat(4000) });
    refusal({ url: 'http://a.example/', body: 'x', vars: { 'x:big': 'v'.repeat(4000) } });
    expect(() => encodeCallback({ url: 'http://a.example/', body: 'b'.repeat(3000) })).not.toThrow();
  });
});

describe('other encodings', () => {
  const cb: CallbackInput = { url: 'http://a.example/', body: 'o=${object}&u=${x:u}', vars: { 'x:u': '7' } };

  it('puts the same values in the query for presigned URLs', () => {
    const headers = encodeCallback(cb);
    expect(encodeCallbackQuery(cb)).toEqual({ callback: headers['x-oss-callback'], 'callback-var': headers['x-oss-callback-var'] });
  });

  it('gives PostObject a callback field and one field per var', () => {
    const fields = encodeCallbackFormFields(cb);
    expect(fields).toEqual({ callback: encodeCallback(cb)['x-oss-callback'], 'x:u': '7' });
  });
});

describe('parseCallbackResult', () => {
  it('parses JSON answers and keeps other text as text', () => {
    expect(parseCallbackResult(utf8('{"ok":true,"n":1}'), 'application/json')).toEqual({ ok: true, n: 1 });
    expect(parseCallbackResult(utf8('[1,2]'), undefined)).toEqual([1, 2]);
    expect(parseCallbackResult(utf8('plain words'), 'text/plain')).toBe('plain words');
    expect(parseCallbackResult(utf8('{broken'), 'application/json')).toBe('{broken');
    expect(parseCallbackResult(new Uint8Array(), 'application/json')).toBe('');
  });
});

describe('callbackFailedError', () => {
  it('is an OssError CallbackFailed saying the object was stored', () => {
    const err = callbackFailedError({ message: 'Error status : 502.', requestId: 'RID', ec: '0007-00000203' });
    expect(err).toBeInstanceOf(OssError);
    expect(err.code).toBe('CallbackFailed');
    expect(err.status).toBe(203);
    expect(err.requestId).toBe('RID');
    expect(err.ec).toBe('0007-00000203');
    expect(err.message).toMatch(/object was stored/);
    expect(err.message).toMatch(/Error status : 502\./);
  });
});
