// Signing throughput: osskit signV1 / signV4 / presignV4 against ali-oss's signUtils on the same
// requests. Prints one JSON line per case with ops/s and the ratio (osskit / ali-oss); peakRssMiB is
// the whole process's (both libraries loaded), printed on each line.
// Each case alternates osskit and ali-oss over ROUNDS rounds and reports each one's median, so a
// burst of load from elsewhere on the machine does not land on one side only. (Signing is pure CPU
// with no I/O or memory to speak of, so both libraries share one process here.)
// Both sides format the request time themselves, as their clients do per request: osskit inside
// signV1/signV4 from a Date, ali-oss with `dateformat` in createRequest (its signUtils take the
// formatted x-oss-date header). Each iteration signs at a later millisecond, like real traffic.
// The client rows are what an application calls: osskit `client.presign({ key, method, expires })`
// against ali-oss's client `signatureUrlV4(method, expires, request, key)` (V4) and `signatureUrl(key,
// { method, expires })` (V1), each client built once, as an app would; both read the real clock and
// return the whole URL.
// Run after `npm run build`: node bench/signer.mjs [iterations]
import { createRequire } from 'node:module';
import { OssClient, presignV4, signV1, signV4 } from '../dist/index.node.js';
import { median } from './child.mjs';

const require = createRequire(import.meta.url);
const signUtils = require('ali-oss/lib/common/signUtils.js');
// ali-oss's own date formatter (a dependency of ali-oss), with the patterns its createRequest uses.
const dateFormat = require(require.resolve('dateformat', { paths: [require.resolve('ali-oss')] }));
const RFC1123 = "UTC:ddd, dd mmm yyyy HH:MM:ss 'GMT'";
const ISO8601 = "UTC:yyyymmdd'T'HHMMss'Z'";

const N = Number(process.argv[2] ?? 20000);
const ROUNDS = 5;
const credentials = { accessKeyId: 'LTAI5tExample', accessKeySecret: 'OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV' };
const region = 'cn-hangzhou';
const start = Date.parse('2024-03-05T06:07:08Z');
const iso = '20240305T060708Z'; // presign's fixed x-oss-date (both sides take it as given there)

const requests = Array.from({ length: 64 }, (_, i) => ({
  method: i % 2 ? 'PUT' : 'GET',
  bucket: 'examplebucket',
  key: `photos/2024/中文 ${i}+x.jpg`,
  query: i % 3 ? { uploadId: `0004B9${i}`, partNumber: String(1 + i) } : { 'x-oss-process': 'image/resize,w_100' },
  headers: { 'content-type': 'image/jpeg', 'x-oss-meta-author': `user${i}`, 'x-oss-object-acl': 'private' },
}));

async function measure(fn, isAsync) {
  // The client rows return promises: awaited one by one, as a caller would.
  if (isAsync) {
    for (let i = 0; i < Math.min(N, 2000); i++) await fn(requests[i % requests.length]); // warm-up
    const began = performance.now();
    for (let i = 0; i < N; i++) await fn(requests[i % requests.length]);
    return N / ((performance.now() - began) / 1000);
  }
  for (let i = 0; i < Math.min(N, 2000); i++) fn(requests[i % requests.length], new Date(start + i)); // warm-up
  const began = performance.now();
  for (let i = 0; i < N; i++) fn(requests[i % requests.length], new Date(start + i));
  return N / ((performance.now() - began) / 1000);
}

const OSS = require('ali-oss');
const clientOptions = { region, bucket: 'examplebucket', credentials };
const aliOptions = { region: `oss-${region}`, bucket: 'examplebucket', secure: true, ...credentials };
const ours = { v4: new OssClient(clientOptions), v1: new OssClient({ ...clientOptions, signatureVersion: 'v1' }) };
const theirs = { v4: new OSS({ ...aliOptions, authorizationV4: true }), v1: new OSS(aliOptions) };

const cases = {
  'v1-header': {
    osskit: (r, now) => signV1(r, credentials, { now }),
    aliOss: (r, now) => {
      const headers = { ...r.headers, 'x-oss-date': dateFormat(now, RFC1123) };
      const canonical = signUtils.buildCanonicalString(r.method, `/${r.bucket}/${r.key}`, { headers, parameters: r.query });
      return signUtils.authorization(credentials.accessKeyId, credentials.accessKeySecret, canonical);
    },
  },
  'v4-header': {
    osskit: (r, now) => signV4(r, credentials, { now, region }),
    aliOss: (r, now) => {
      const headers = { ...r.headers, 'x-oss-date': dateFormat(now, ISO8601), 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' };
      return signUtils.authorizationV4(
        credentials.accessKeyId, credentials.accessKeySecret, region, r.method, { headers, queries: r.query }, r.bucket, r.key,
      );
    },
  },
  'v4-presign': {
    osskit: (r) => presignV4(r, credentials, { now: new Date(start), region, expires: 900 }),
    aliOss: (r) => {
      const queries = {
        ...r.query,
        'x-oss-credential': `${credentials.accessKeyId}/20240305/${region}/oss/aliyun_v4_request`,
        'x-oss-date': iso,
        'x-oss-expires': 900,
        'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      };
      const canonical = signUtils.getCanonicalRequest(r.method, { headers: r.headers, queries }, r.bucket, r.key);
      const stringToSign = signUtils.getStringToSign(region, iso, canonical);
      return signUtils.getSignatureV4(credentials.accessKeySecret, '20240305', region, stringToSign);
    },
  },

  'client-presign-v4': {
    isAsync: true,
    osskit: (r) => ours.v4.presign({ key: r.key, method: r.method, expires: 900 }),
    aliOss: (r) => theirs.v4.signatureUrlV4(r.method, 900, undefined, r.key),
  },
  'client-presign-v1': {
    isAsync: true,
    osskit: (r) => ours.v1.presign({ key: r.key, method: r.method, expires: 900 }),
    aliOss: (r) => theirs.v1.signatureUrl(r.key, { method: r.method, expires: 900 }),
  },
};

for (const [name, { osskit, aliOss, isAsync = false }] of Object.entries(cases)) {
  const oursRuns = [];
  const theirsRuns = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first in each round.
    if (round % 2) {
      theirsRuns.push(await measure(aliOss, isAsync));
      oursRuns.push(await measure(osskit, isAsync));
    } else {
      oursRuns.push(await measure(osskit, isAsync));
      theirsRuns.push(await measure(aliOss, isAsync));
    }
  }
  const ours = median(oursRuns);
  const theirs = median(theirsRuns);
  console.log(
    JSON.stringify({
      bench: `signer/${name}`,
      iterations: N,
      rounds: ROUNDS,
      osskitOpsPerSec: Math.round(ours),
      aliOssOpsPerSec: Math.round(theirs),
      ratio: Number((ours / theirs).toFixed(2)),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
