// Signing throughput: osskit signV1 / signV4 / presignV4 against ali-oss's signUtils on the same
// requests. Prints one JSON line per case with ops/s and the ratio (osskit / ali-oss); peakRssMiB is
// the whole process's (both libraries loaded), printed on each line.
// Each case alternates osskit and ali-oss over ROUNDS rounds and reports each one's median, so a
// burst of load from elsewhere on the machine does not land on one side only. (Signing is pure CPU
// with no I/O or memory to speak of, so both libraries share one process here.)
// Both sides format the request time themselves, as their clients do per request: osskit inside
// signV1/signV4 from a Date, ali-oss with `dateformat` in createRequest (its signUtils take the
// formatted x-oss-date header). Each iteration signs at a later millisecond, like real traffic.
// Run after `npm run build`: node bench/signer.mjs [iterations]
import { createRequire } from 'node:module';
import { presignV4, signV1, signV4 } from '../dist/index.node.js';
import { median } from './child.mjs';

const require = createRequire(import.meta.url);
const signUtils = require('ali-oss/lib/common/signUtils.js');
// ali-oss's own date formatter (a dependency of ali-oss), with the patterns its createRequest uses.
const dateFormat = require(require.resolve('dateformat', { paths: [require.resolve('ali-oss')] }));
const RFC1123 = "UTC:ddd, dd mmm yyyy HH:MM:ss 'GMT'";
const ISO8601 = "UTC:yyyymmdd'T'HHMMss'Z'";

const N = Number(process.argv[2] ?? 20000);
const ROUNDS = 3;
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

function measure(fn) {
  for (let i = 0; i < Math.min(N, 2000); i++) fn(requests[i % requests.length], new Date(start + i)); // warm-up
  const began = performance.now();
  for (let i = 0; i < N; i++) fn(requests[i % requests.length], new Date(start + i));
  return N / ((performance.now() - began) / 1000);
}

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
};

for (const [name, { osskit, aliOss }] of Object.entries(cases)) {
  const oursRuns = [];
  const theirsRuns = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate who goes first in each round.
    if (round % 2) {
      theirsRuns.push(measure(aliOss));
      oursRuns.push(measure(osskit));
    } else {
      oursRuns.push(measure(osskit));
      theirsRuns.push(measure(aliOss));
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
