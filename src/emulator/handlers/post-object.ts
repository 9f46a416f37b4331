/**
 * PostObject (browser form upload). Anonymous at the server level: the form carries its own V1 or V4
 * policy signature, checked here, then the policy's conditions, then the object is
 * stored and `success_action_*` or the callback decide the answer.
 */
import { timingSafeEqual } from 'node:crypto';
import { lookup } from 'mime-types';
import { MAX_CLOCK_SKEW_MS } from '../../defaults.js';
import { postPolicySignatureV1, postPolicySignatureV4 } from '../../signer/post-policy.js';
import { V4_ALGORITHM } from '../../signer/v4.js';
import { callbackFailed, parseCallbackParams, performCallback } from '../callbacks.js';
import { versionHeader, withVersion } from './versioning.js';
import { EmulatorError, type EmulatorEnv, type Handler } from '../context.js';
import { parsePostForm, type PostForm } from '../form-data.js';
import { checkPolicy, decodePolicy } from '../post-policy-check.js';
import { xmlDocument } from '../xml.js';
import { describeFromHeaders, isValidKey, makeObject, requireBucket } from './common.js';
import { checkForbidOverwrite } from './multipart-common.js';

/** MAX object size of a single upload (5 GiB). */
const MAX_OBJECT_SIZE = 5 * 1024 * 1024 * 1024;
const V4_FIELDS = ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date'];

function signatureMismatch(accessKeyId: string): EmulatorError {
  return new EmulatorError(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    { OSSAccessKeyId: accessKeyId },
  );
}

function secretOf(env: EmulatorEnv, accessKeyId: string): string {
  const secret = env.secretFor(accessKeyId);
  if (secret === undefined) {
    throw new EmulatorError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
      OSSAccessKeyId: accessKeyId,
    });
  }
  return secret;
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function missing(name: string): EmulatorError {
  return new EmulatorError(400, 'InvalidArgument', `The form field ${name} is required.`, { ArgumentName: name });
}

/** Verifies the form's signature; returns the V4 fields the policy must cover, or undefined when anonymous. */
function verifySignature(form: PostForm, env: EmulatorEnv): readonly string[] | undefined {
  const policy = form.get('policy');
  if (form.get('x-oss-signature-version') !== undefined || form.get('x-oss-signature') !== undefined) {
    for (const name of [...V4_FIELDS, 'x-oss-signature', 'policy']) if (form.get(name) === undefined) throw missing(name);
    if (form.get('x-oss-signature-version') !== V4_ALGORITHM) {
      throw new EmulatorError(400, 'InvalidArgument', 'The x-oss-signature-version is invalid.', { ArgumentName: 'x-oss-signature-version' });
    }
    const credential = form.get('x-oss-credential')!;
    const [accessKeyId = '', date = '', region = '', product = '', terminal = ''] = credential.split('/');
    const isoDate = form.get('x-oss-date')!;
    if (!/^\d{8}$/.test(date) || region === '' || product === '' || terminal !== 'aliyun_v4_request') {
      throw new EmulatorError(400, 'InvalidArgument', 'Invalid credential in x-oss-credential.', { ArgumentName: 'x-oss-credential' });
    }
    if (!/^\d{8}T\d{6}Z$/.test(isoDate) || isoDate.slice(0, 8) !== date) {
      throw new EmulatorError(400, 'InvalidArgument', 'The x-oss-date is invalid or not on the credential date.', { ArgumentName: 'x-oss-date' });
    }
    if (region !== env.region) {
      throw new EmulatorError(400, 'InvalidArgument', 'The signing region in credential is invalid.', { ArgumentName: 'x-oss-credential' });
    }
    const [y, mo, d, h, mi, s] = [0, 4, 6, 9, 11, 13].map((at, i) => Number(isoDate.slice(at, at + (i === 0 ? 4 : 2))));
    // A form signed in the future beyond the allowed skew is refused (§5.2).
    if (Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) - env.now().getTime() > MAX_CLOCK_SKEW_MS) {
      throw new EmulatorError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    }
    const expected = postPolicySignatureV4(policy!, secretOf(env, accessKeyId), date, region, product);
    if (!sameString(expected, form.get('x-oss-signature')!)) throw signatureMismatch(accessKeyId);
    // §5.2: with STS the policy must pin the token too, so a signed policy cannot travel with another token.
    return form.get('x-oss-security-token') !== undefined ? [...V4_FIELDS, 'x-oss-security-token'] : V4_FIELDS;
  }
  const v1 = ['OSSAccessKeyId', 'policy', 'Signature'];
  if (v1.some((name) => form.get(name) !== undefined)) {
    // §5.1: the three V1 fields come together or not at all.
    for (const name of v1) if (form.get(name) === undefined) throw missing(name);
    const accessKeyId = form.get('OSSAccessKeyId')!;
    const expected = postPolicySignatureV1(policy!, secretOf(env, accessKeyId));
    if (!sameString(expected, form.get('Signature')!)) throw signatureMismatch(accessKeyId);
    return [];
  }
  return undefined;
}

/** Text fields as the header map PutObject would have received. */
function headersOf(form: PostForm): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { name, value } of form.fields) if (!(name in headers)) headers[name] = value;
  return headers;
}

function location(env: EmulatorEnv, bucket: string, key: string): string {
  return `${env.endpoint}/${bucket}/${encodeURI(key)}`;
}

/** POST /bucket with multipart/form-data. */
export const handlePostObject: Handler = async (request, env) => {
  const bucketRecord = requireBucket(request, env);
  const bucket = bucketRecord.name;
  const form = await parsePostForm(request.headers['content-type'], await request.body());
  const rawKey = form.get('key');
  if (rawKey === undefined || rawKey === '') throw missing('key');
  const key = rawKey.split('${filename}').join(form.file.filename);
  if (!isValidKey(key)) throw new EmulatorError(400, 'InvalidObjectName', 'The specified object is not valid.');

  const required = verifySignature(form, env);
  if (required === undefined) {
    if (bucketRecord.acl !== 'public-read-write') {
      throw new EmulatorError(403, 'AccessDenied', 'You have no right to access this bucket.');
    }
  } else {
    const policy = decodePolicy(form.get('policy')!);
    // A content-type condition sees the form field, else the file part's own type.
    const field = (name: string): string | undefined =>
      form.get(name) ?? (name === 'content-type' && form.file.type ? form.file.type : undefined);
    const subject = { bucket, rawKey, key, size: form.file.data.length, field, now: env.now() };
    checkPolicy(policy, subject, required);
  }
  if (form.file.data.length > MAX_OBJECT_SIZE) {
    throw new EmulatorError(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size.');
  }

  const callback = form.get('callback');
  const extraVars: Record<string, string> = {};
  for (const { name, value } of form.fields) if (name.startsWith('x:')) extraVars[name] = value;
  if (callback !== undefined) parseCallbackParams(callback);
  const headers = headersOf(form);
  checkForbidOverwrite(env, bucket, key, headers['x-oss-forbid-overwrite']);

  const described = describeFromHeaders(headers);
  const contentType = headers['content-type'] || form.file.type || lookup(key) || 'application/octet-stream';
  const object = makeObject(key, form.file.data, { ...described, contentType }, env.now());
  object.headers['x-oss-object-type'] = 'Normal';
  const record = env.storage.getBucket(bucket)!;
  env.storage.putObject(bucket, withVersion(object, record));
  const answerHeaders = { etag: object.etag, 'x-oss-hash-crc64ecma': object.crc64, ...versionHeader(record, object) };

  if (callback !== undefined) {
    const outcome = await performCallback(
      { callback, bucket, key, etag: object.etag.replace(/"/g, ''), size: form.file.data.length, mimeType: contentType, extraVars },
      env,
    );
    if (!outcome.ok) throw callbackFailed(outcome.message, answerHeaders);
    return { status: 200, headers: { ...answerHeaders, 'content-type': outcome.contentType }, body: outcome.body };
  }

  const redirect = form.get('success_action_redirect');
  if (redirect) {
    const query = new URLSearchParams({ bucket, key, etag: object.etag }).toString();
    return { status: 303, headers: { ...answerHeaders, location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` } };
  }
  // OSS: 201 answers a PostResponse document; 200 and 204 (the default) answer an empty body.
  const status = form.get('success_action_status');
  if (status === '201') {
    return {
      status: 201,
      headers: { ...answerHeaders, 'content-type': 'application/xml', location: location(env, bucket, key) },
      body: xmlDocument('PostResponse', { Bucket: bucket, Location: location(env, bucket, key), Key: key, ETag: object.etag }),
    };
  }
  return { status: status === '200' ? 200 : 204, headers: answerHeaders };
};
