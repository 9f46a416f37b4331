/**
 * The built packages pick the right digest backend: dist/index.node.js hashes with node:crypto
 * (tsup swaps src/integrity/hash-impl.ts for hash-impl.node.ts), dist/index.browser.js keeps @noble/hashes,
 * and the Node build's signatures equal the sources' (which run on @noble/hashes) byte for byte.
 * Needs `npm run build` (npm test runs it first).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as src from '../../src/signer/index.js';
import type { SigningRequest } from '../../src/signer/index.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const built = existsSync(`${DIST}index.node.js`) && existsSync(`${DIST}index.browser.js`);

/** The Node ESM build's own files: the entry and the chunks it shares with the emulator. */
function nodeEsmCode(): string {
  return readdirSync(DIST)
    .filter((name) => name.endsWith('.js') && !name.startsWith('index.browser'))
    .map((name) => readFileSync(`${DIST}${name}`, 'utf8'))
    .join('\n');
}

describe.runIf(built)('digest backend in dist', () => {
  it('the Node build imports createHmac/createHash from crypto and no @noble hmac or legacy hashes', () => {
    const code = nodeEsmCode();
    expect(code).toMatch(/import \{[^}]*\bcreateHmac\b[^}]*\} from ['"](node:)?crypto['"]/);
    expect(code).toMatch(/createHmac\(["']sha1["']/);
    expect(code).toMatch(/createHash\(["']md5["']/);
    expect(code).not.toMatch(/@noble\/hashes\/(hmac|legacy)\.js/);
    expect(readFileSync(`${DIST}index.node.cjs`, 'utf8') + chunksCjs()).toMatch(/createHmac\(["']sha256["']/);
  });

  it('the browser build keeps @noble/hashes (hashes and HMAC) and has no crypto import', () => {
    for (const file of ['index.browser.js', 'index.browser.cjs']) {
      const code = readFileSync(`${DIST}${file}`, 'utf8');
      expect(code, file).toMatch(/@noble\/hashes\/sha2\.js/);
      expect(code, file).toMatch(/@noble\/hashes\/legacy\.js/);
      expect(code, file).toMatch(/@noble\/hashes\/hmac\.js/);
      expect(code, file).not.toMatch(/createHmac|['"](node:)?crypto['"]/);
    }
  });

  it('dist signatures (node:crypto) equal the sources’ (@noble/hashes) for V1, V4 and presigned V4', async () => {
    const dist = (await import(`${DIST}index.node.js`)) as typeof src;
    const credentials = { accessKeyId: 'LTAI5tExample', accessKeySecret: '密钥-OtxrzxIsfpFjA7SwPzILwy8Bw21TLh' };
    const now = new Date('2024-03-05T06:07:08Z');
    for (let i = 0; i < 40; i++) {
      const request: SigningRequest = {
        method: ['GET', 'PUT', 'POST', 'DELETE'][i % 4]!,
        bucket: 'examplebucket',
        key: `dir/中文 ${i}+😀~.bin`,
        query: i % 2 ? { uploadId: `up${i}`, partNumber: String(i + 1) } : { acl: '' },
        headers: { 'content-type': 'application/octet-stream', 'content-md5': 'eB5eJF1ptWaXm4bijSPyxw==', [`x-oss-meta-n${i}`]: `välue ${i}` },
      };
      expect(dist.signV1(request, credentials, { now })).toEqual(src.signV1(request, credentials, { now }));
      expect(dist.signV4(request, credentials, { now, region: 'cn-hangzhou' })).toEqual(
        src.signV4(request, credentials, { now, region: 'cn-hangzhou' }),
      );
      expect(dist.presignV4(request, credentials, { now, region: 'cn-hangzhou', expires: 900 })).toEqual(
        src.presignV4(request, credentials, { now, region: 'cn-hangzhou', expires: 900 }),
      );
    }
  });
});

function chunksCjs(): string {
  return readdirSync(DIST)
    .filter((name) => name.startsWith('chunk-') && name.endsWith('.cjs'))
    .map((name) => readFileSync(`${DIST}${name}`, 'utf8'))
    .join('\n');
}

describe('dist presence', () => {
  it('is built (run `npm run build` first)', () => {
    expect(built, 'dist/ is missing: run npm run build').toBe(true);
  });
});
