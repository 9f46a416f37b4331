/**
 * PostObject from code: sends a form built from a post policy (docs/protocol.md, "Form uploads") as multipart/form-data.
 * The body is one Blob assembled here, not a FormData, so its length is known, it can be retried, and
 * every transport (undici, fetch, XHR with upload progress) sends it unchanged. OSS authenticates the
 * form by its policy signature and ignores header signatures on PostObject, so it is sent unsigned.
 */
import { bodyLength, isBlob, readBody } from '../../pipeline/body.js';
import { hasBody } from '../../pipeline/tapped-stream.js';
import { parseCallbackResult } from '../../handoff/callback.js';
import { requestUrl, type ResolvedEndpoint } from '../../pipeline/endpoint.js';
import { invalidArgument, scrubSecrets } from '../../errors.js';
import { toOssError } from '../../pipeline/response-error.js';
import { withRetry } from '../../pipeline/retry.js';
import type { Transport } from '../../transport/types.js';
import { requireBucket, validateTimeout } from '../validate.js';
import { child, parseXml, text } from '../xml.js';
import type { BaseInput, BaseOutput, Command, Progress } from '../types.js';
import { writeResultOf } from '../shared.js';
import type { CreatePostPolicyInput } from '../../handoff/post-policy.js';

export interface PostObjectInput extends BaseInput {
  /** The `key` field; needed unless `fields` already holds one (a policy made with `key`). */
  key?: string;
  /** Fields from `createPostPolicy` (policy, signature, …). The client makes them when absent. */
  fields?: Record<string, string>;
  /** Where to POST (the `url` createPostPolicy returned); default: the bucket URL of the client's endpoint. */
  url?: string;
  /** Policy options the client uses when it makes the fields itself. */
  policy?: Omit<CreatePostPolicyInput, 'key' | 'keyPrefix' | 'bucket'>;
  file: Blob | Uint8Array | string;
  /** The file part's filename (OSS substitutes it for `${filename}` in the key). Default: the File's name, else the key's last segment. */
  filename?: string;
  /** The file part's Content-Type. Default: the Blob's type, else `application/octet-stream`. */
  contentType?: string;
  /** Upload progress of the whole form body. */
  onProgress?: (progress: Progress) => void;
}

export interface PostObjectOutput extends BaseOutput {
  etag: string;
  crc64?: string;
  /** The new object's version (versioned buckets; a browser reads it only when CORS exposes `x-oss-version-id`). */
  versionId?: string;
  /** From the XML answer when `success_action_status` is 201. */
  location?: string;
  /** The application server's answer when the policy carried a callback. */
  callbackResult?: unknown;
}

/**
 * @example
 * const { url, fields } = await client.createPostPolicy({ key: 'a.txt' });
 * await client.postObject({ fields, file: new Blob(['hi']) });
 */
export const postObject: Command<PostObjectInput, PostObjectOutput> = {
  name: 'PostObject',
  serialize(input) {
    // With the policy's own URL the bucket is already in it; otherwise the URL is built from the bucket.
    const bucket = input.url !== undefined && input.bucket === undefined ? undefined : requireBucket(input.bucket, 'PostObject');
    if (!input.fields) throw invalidArgument('PostObject needs the form fields of a post policy', { operation: 'PostObject' });
    const fields = { ...input.fields };
    if (input.key !== undefined && !hasField(fields, 'key')) fields.key = input.key;
    if (!hasField(fields, 'key')) throw invalidArgument('PostObject needs a key', { operation: 'PostObject', bucket });
    const file = input.file;
    if (!(typeof file === 'string' || file instanceof Uint8Array || isBlob(file))) {
      throw invalidArgument('PostObject file must be a Blob, Uint8Array or string', { operation: 'PostObject' });
    }
    const key = fieldValue(fields, 'key')!;
    const filename = input.filename ?? (isFile(file) && file.name ? file.name : key.split('/').pop() || 'file');
    const type = input.contentType ?? (isBlob(file) && file.type ? file.type : 'application/octet-stream');
    const boundary = `----osskit${randomHex(16)}`;
    const body = multipartBody(boundary, fields, { filename, type, data: file });
    return {
      method: 'POST',
      bucket,
      query: {},
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.size) },
      body,
    };
  },
  async deserialize(response) {
    const output: PostObjectOutput = writeResultOf(response);
    if (!hasBody(response)) return output;
    const bytes = await readBody(response);
    const type = response.headers['content-type'] ?? '';
    const posted = response.status === 201 ? child(parseXml(new TextDecoder().decode(bytes)), 'PostResponse') : undefined;
    if (posted) {
      output.location = text(posted, 'Location');
      output.etag ||= text(posted, 'ETag') ?? '';
    } else if (bytes.byteLength > 0 && !/xml/i.test(type)) {
      output.callbackResult = parseCallbackResult(bytes, type);
    }
    return output;
  },
};

/** What the unsigned runner needs from the client. */
export interface PostObjectContext {
  endpoint: ResolvedEndpoint;
  transport: Transport;
  maxAttempts: number;
  timeoutMs?: number;
}

/**
 * Sends a PostObject form through the client's transport, with retries (the Blob body is
 * replayable) and OSS error mapping, but without header signing.
 *
 * @example const out = await sendPostObject(context, { bucket, fields, file });
 */
export async function sendPostObject(context: PostObjectContext, input: PostObjectInput): Promise<PostObjectOutput> {
  const request = postObject.serialize(input);
  const url = input.url ?? requestUrl(context.endpoint, request);
  const total = bodyLength(request.body);
  const { onProgress, signal } = input;
  const timeoutMs = input.timeoutMs === undefined ? context.timeoutMs : validateTimeout(input.timeoutMs, 'timeoutMs');
  const where = { method: request.method, bucket: request.bucket, key: input.key ?? fieldValue(input.fields ?? {}, 'key') };
  // The form's signature and token must not reach an error, whatever the server echoes.
  const secrets = ['signature', 'x-oss-signature', 'x-oss-security-token'].map((name) => fieldValue(input.fields ?? {}, name));
  const response = await withRetry(
    async () => {
      const answer = await context.transport.send(
        { method: 'POST', url, headers: request.headers, body: request.body },
        {
          signal,
          timeoutMs,
          onUploadProgress: onProgress && ((loadedBytes) => onProgress({ loadedBytes, totalBytes: total })),
        },
      );
      // 203: stored, but the callback failed → OssError('CallbackFailed') (docs/protocol.md, "Upload callbacks"), as in send().
      if (answer.status < 200 || answer.status > 299 || answer.status === 203) {
        throw await toOssError(answer, { operation: 'PostObject', request: where });
      }
      return answer;
    },
    { maxAttempts: context.maxAttempts, replayable: true, signal },
  ).catch((error: unknown) => {
    throw scrubSecrets(error, secrets);
  });
  return postObject.deserialize(response, input);
}

/** Form field names are case-insensitive (§5). */
function fieldValue(fields: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(fields)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function hasField(fields: Record<string, string>, name: string): boolean {
  return fieldValue(fields, name) !== undefined;
}

function isFile(value: unknown): value is File {
  return typeof File !== 'undefined' && value instanceof File;
}

/** HTML's multipart/form-data escaping of names and filenames: `"`, CR and LF are percent-encoded. */
function escapeName(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

interface FilePart {
  filename: string;
  type: string;
  data: Blob | Uint8Array | string;
}

/** Text fields first, the file last (OSS ignores anything after the file field). */
function multipartBody(boundary: string, fields: Record<string, string>, file: FilePart): Blob {
  const parts: BlobPart[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`);
  }
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${escapeName(file.filename)}"\r\n` +
      `Content-Type: ${file.type}\r\n\r\n`,
  );
  parts.push(file.data as BlobPart, `\r\n--${boundary}--\r\n`);
  return new Blob(parts);
}

function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}
