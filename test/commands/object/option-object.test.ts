import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionObject } from '../../../src/commands/object/option-object.js';
import { startHarness, type Harness } from '../../upload/emulator-setup.js';
import { codeOf } from '../fixtures.js';

describe('OptionObject', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('option-test');
  });
  afterAll(async () => {
    await h.client.close();
    await h.emu.close();
  });

  it('sends the preflight headers on OPTIONS /<key>', () => {
    expect(optionObject.serialize({ bucket: 'b', key: 'k', origin: 'https://a.example', requestMethod: 'PUT', requestHeaders: ['content-type', 'x-oss-meta-a'] })).toEqual({
      method: 'OPTIONS',
      bucket: 'b',
      key: 'k',
      query: {},
      headers: { origin: 'https://a.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type, x-oss-meta-a' },
    });
    expect(codeOf(() => optionObject.serialize({ bucket: 'b', key: 'k', origin: '', requestMethod: 'GET' }))).toBe('InvalidArgument');
  });

  it('reads what the bucket CORS rules allow, and is refused when none matches', async () => {
    await h.client.putBucketCors({
      rules: [{ allowedOrigins: ['https://a.example'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'], exposeHeaders: ['ETag'], maxAgeSeconds: 600 }],
    });
    const allowed = await h.client.optionObject({ key: 'x.txt', origin: 'https://a.example', requestMethod: 'PUT', requestHeaders: ['content-type'] });
    expect(allowed).toMatchObject({ allowOrigin: 'https://a.example', exposeHeaders: ['ETag'], maxAge: 600 });
    expect(allowed.allowMethods).toEqual(expect.arrayContaining(['GET', 'PUT']));
    await expect(h.client.optionObject({ key: 'x.txt', origin: 'https://evil.example', requestMethod: 'GET' })).rejects.toMatchObject({ status: 403 });
  });
});
