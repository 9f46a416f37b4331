/**
 * Client-level post policies for PostObject form uploads (docs/protocol.md, "Form uploads"): turns friendly options
 * into a policy document whose conditions pin every field the form will carry, then has the signer
 * add the signature fields. Pure apart from reading credentials; browser-safe.
 */
import { encodeCallbackFormFields, type CallbackInput } from './callback.js';
import { DEFAULT_PRESIGN_EXPIRES, MAX_V4_EXPIRES } from '../defaults.js';
import { requestUrl, resolveEndpoint } from '../pipeline/endpoint.js';
import { invalidArgument } from '../errors.js';
import { loadCredentials, type PresignConfig } from './presign.js';
import { signPostPolicy } from '../signer/post-policy.js';
import { validateBucketName, validateExpires, validateKey } from '../commands/validate.js';

/** The same configuration presigning uses. */
export type PostPolicyConfig = PresignConfig;

export interface CreatePostPolicyInput {
  /** The exact key the form must use (sent as the `key` field). */
  key?: string;
  /** Or a prefix the key must start with; the form then adds its own `key` field. */
  keyPrefix?: string;
  /** Seconds the policy stays valid; default 900. V4: 1…604800. */
  expires?: number;
  /** Allowed file size in bytes, inclusive: `[0, 10 * 1024 * 1024]`. */
  contentLengthRange?: [number, number];
  /** Extra raw OSS conditions, e.g. `['in', '$content-type', ['image/jpeg', 'image/png']]`. */
  conditions?: unknown[];
  /** Upload callback: adds the `callback` field and one `x:var` field per custom variable. */
  callback?: CallbackInput;
  /** Status OSS answers on success: 200, 201 (with an XML body) or 204 (OSS's default). */
  successActionStatus?: 200 | 201 | 204;
  /** The Content-Type the stored object gets; sent as a `Content-Type` field. */
  contentType?: string;
  bucket?: string;
}

export interface PostPolicyOutput {
  /** Where to POST the form: the bucket URL. */
  url: string;
  /** Form fields to send, in order, before the `file` field (which must be last). */
  fields: Record<string, string>;
  /** When the policy stops working. */
  expiration: Date;
}

/** PostObject stores at most 5 GiB. */
const MAX_POST_OBJECT_SIZE = 5 * 1024 ** 3;

/**
 * Creates a signed post policy for a browser form (or {@link OssClient.postObject}). Every field in
 * `fields` is also a policy condition, so a changed field is refused by OSS.
 *
 * @example
 * const { url, fields } = await createPostPolicy(config, { keyPrefix: 'uploads/', contentLengthRange: [0, 1 << 20] });
 * const form = new FormData();
 * for (const [name, value] of Object.entries(fields)) form.append(name, value);
 * form.append('key', `uploads/${file.name}`);
 * form.append('file', file); // last
 * await fetch(url, { method: 'POST', body: form });
 */
export async function createPostPolicy(config: PostPolicyConfig, input: CreatePostPolicyInput): Promise<PostPolicyOutput> {
  const bucket = input.bucket ?? config.bucket;
  if (bucket === undefined) throw invalidArgument('createPostPolicy needs a bucket');
  validateBucketName(bucket);
  const version = config.signatureVersion ?? 'v4';
  const expires = input.expires ?? DEFAULT_PRESIGN_EXPIRES;
  validateExpires(expires, version === 'v4' ? MAX_V4_EXPIRES : Number.MAX_SAFE_INTEGER);

  const { fields, conditions } = fieldsAndConditions(bucket, input);
  const endpoint = resolveEndpoint({ ...config, signatureVersion: version });
  const credentials = await loadCredentials(config.credentials);
  const now = config.now ? config.now() : new Date();
  const expiration = new Date(now.getTime() + expires * 1000);
  if (Number.isNaN(expiration.getTime())) throw invalidArgument(`createPostPolicy expires ${expires} is too large`);
  if (credentials.expiration && expiration.getTime() > credentials.expiration.getTime()) {
    throw invalidArgument("createPostPolicy expires past the temporary credentials' expiration");
  }
  const signed = signPostPolicy({ expiration, conditions }, credentials, { version, now, region: endpoint.region });
  return { url: requestUrl(endpoint, { bucket, query: {} }), fields: { ...fields, ...signed }, expiration };
}

/** Form fields and the conditions that pin them (OSS PostObject "Policy" appendix). */
function fieldsAndConditions(bucket: string, input: CreatePostPolicyInput) {
  const fields: Record<string, string> = {};
  const conditions: unknown[] = [{ bucket }];
  if (input.key !== undefined && input.keyPrefix !== undefined) {
    throw invalidArgument('createPostPolicy takes key or keyPrefix, not both');
  }
  if (input.key !== undefined) {
    validateKey(input.key);
    fields.key = input.key;
    conditions.push(['eq', '$key', input.key]);
  } else if (input.keyPrefix !== undefined) {
    if (typeof input.keyPrefix !== 'string') throw invalidArgument('keyPrefix must be a string');
    conditions.push(['starts-with', '$key', input.keyPrefix]);
  }
  if (input.contentLengthRange !== undefined) {
    const [min, max] = input.contentLengthRange;
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || max < min || max > MAX_POST_OBJECT_SIZE) {
      throw invalidArgument(`contentLengthRange must be whole byte counts with 0 ≤ min ≤ max ≤ ${MAX_POST_OBJECT_SIZE}`);
    }
    conditions.push(['content-length-range', min, max]);
  }
  if (input.successActionStatus !== undefined) {
    if (![200, 201, 204].includes(input.successActionStatus)) {
      throw invalidArgument('successActionStatus must be 200, 201 or 204');
    }
    fields.success_action_status = String(input.successActionStatus);
    conditions.push({ success_action_status: fields.success_action_status });
  }
  if (input.contentType !== undefined) {
    if (typeof input.contentType !== 'string' || input.contentType === '') {
      throw invalidArgument('contentType must be a non-empty string');
    }
    fields['Content-Type'] = input.contentType;
    conditions.push(['eq', '$Content-Type', input.contentType]);
  }
  if (input.callback !== undefined) {
    for (const [name, value] of Object.entries(encodeCallbackFormFields(input.callback))) {
      fields[name] = value;
      conditions.push({ [name]: value });
    }
  }
  if (input.conditions !== undefined) {
    if (!Array.isArray(input.conditions)) throw invalidArgument('conditions must be an array');
    conditions.push(...input.conditions);
  }
  return { fields, conditions };
}
