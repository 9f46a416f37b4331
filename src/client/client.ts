/**
 * OssClient: configuration, credentials, and one thin method per operation, each a call to
 * `send(command, input)`. Platform differences (transport, default credentials, Content-Type table)
 * come in through a {@link Platform}; `index.node.ts` and `index.browser.ts` pass theirs.
 */
import { SkewedClock } from '../pipeline/clock-skew.js';
import * as bucket from '../commands/bucket/index.js';
import * as multipart from '../commands/multipart/index.js';
import * as object from '../commands/object/index.js';
import type { BaseInput, Command } from '../commands/types.js';
import { CrcHeaderWatch, type Crc64CheckOption, type StreamCrcFactory } from '../integrity/crc-check.js';
import { createCredentialsResolver, type CredentialsSource } from '../credentials/credentials.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS } from '../defaults.js';
import { resolveEndpoint, type ResolvedEndpoint } from '../pipeline/endpoint.js';
import { invalidArgument } from '../errors.js';
import { validateTimeout } from '../commands/validate.js';
import { nextListObjects, nextListObjectsV2, paginate, paginateItems } from '../commands/paginate.js';
import { send, type SendContext } from '../pipeline/send.js';
import type { Transport } from '../transport/types.js';
import { upload, type UploadEnv, type UploadInput, type UploadOutput } from '../upload/index.js';
import { browserCheckpointStore } from '../upload/checkpoint-idb.js';
import { presignAt, type PresignConfig, type PresignInput, type PresignOutput } from '../handoff/presign.js';
import { createPostPolicy, type CreatePostPolicyInput, type PostPolicyOutput } from '../handoff/post-policy.js';
import { sendPostObject, type PostObjectInput, type PostObjectOutput } from '../commands/object/post-object.js';
import * as conveniences from '../conveniences/index.js';

export interface OssClientOptions {
  /** `cn-hangzhou` (`oss-cn-hangzhou` is accepted). Default: from the endpoint, else `cn-hangzhou`. */
  region?: string;
  /** Default `https://oss-<region>.aliyuncs.com`; `http://127.0.0.1:9000` works (path style automatically). */
  endpoint?: string;
  /** Default bucket for every call. */
  bucket?: string;
  /** Fixed credentials or an async provider. Default in Node: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN. */
  credentials?: CredentialsSource;
  /** Default `'v4'`. */
  signatureVersion?: 'v4' | 'v1';
  pathStyle?: boolean;
  /** The endpoint is the bucket's own domain. */
  cname?: boolean;
  /** Attempts per request, retries included. Default 3. */
  maxAttempts?: number;
  /** Default: undici in Node, fetch in browsers. */
  transport?: Transport;
  /**
   * Node only: send through an HTTP(S) proxy. `true` honours `HTTP_PROXY`, `HTTPS_PROXY` and
   * `NO_PROXY`; a string is the proxy's URL. Default: no proxy (the environment is ignored).
   */
  proxy?: true | string;
  /**
   * Idle time allowed (connect, or between bytes) before a request fails with Timeout. Default 60 s.
   * `0` or `Infinity`: no timeout. Each call may override it with its own `timeoutMs`.
   */
  timeoutMs?: number;
  /**
   * CRC-64 checks of uploads and whole-object downloads. Default true: an answer without the CRC
   * header is not checked (after an upload answer lacks it, the client warns once and stops hashing).
   * `'strict'`: such an answer fails with `CrcMismatch`. `false`: no checks, no hashing.
   */
  crc64Check?: Crc64CheckOption;
  /** Sent as `user-agent` (Node default `osskit/<version>`; browsers send none by default). */
  userAgent?: string;
}

/** What differs between Node and browsers. */
export interface Platform {
  createTransport(options?: { proxy?: true | string }): Transport;
  /** The default transport can go through a proxy (Node). */
  proxySupported?: boolean;
  /** Used when the options carry no credentials. */
  defaultCredentials?(): CredentialsSource | undefined;
  contentTypeFor(key: string): string | undefined;
  userAgent?: string;
  /** Hashes large downloads off the event loop (Node: a worker thread). */
  createStreamCrc?: StreamCrcFactory;
}

/**
 * The OSS client.
 *
 * @example
 * const client = new OssClient({ region: 'cn-hangzhou', bucket: 'my-bucket', credentials });
 * await client.putObject({ key: 'hello.txt', body: 'hello' });
 * const text = await (await client.getObject({ key: 'hello.txt' })).text();
 */
export class OssClient {
  /** The default bucket, if any. */
  readonly bucket: string | undefined;
  /**
   * Advanced: what `send()` works with — endpoint, credentials, transport, clock. For helpers that
   * need the same facts (presign, post policy); not for everyday use.
   */
  readonly context: SendContext;

  constructor(options: OssClientOptions, platform: Platform) {
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw invalidArgument(`maxAttempts ${maxAttempts} must be a whole number of at least 1`);
    }
    const signatureVersion = options.signatureVersion ?? 'v4';
    if (signatureVersion !== 'v4' && signatureVersion !== 'v1') {
      throw invalidArgument(`signatureVersion must be 'v4' or 'v1', not '${String(signatureVersion)}'`);
    }
    const crc64Check = options.crc64Check ?? true;
    if (crc64Check !== true && crc64Check !== false && crc64Check !== 'strict') {
      throw invalidArgument(`crc64Check must be true, false or 'strict', not ${JSON.stringify(crc64Check)}`);
    }
    this.bucket = options.bucket;
    const endpoint = lazyEndpoint(options, signatureVersion);
    if (options.proxy !== undefined && options.transport !== undefined) {
      throw invalidArgument('proxy configures the default transport: give your own transport its proxy instead');
    }
    this.context = {
      get endpoint() {
        return endpoint();
      },
      credentials: createCredentialsResolver(options.credentials ?? platform.defaultCredentials?.()),
      transport: options.transport ?? platform.createTransport(proxyOption(options, platform)),
      signatureVersion,
      maxAttempts,
      timeoutMs: options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : validateTimeout(options.timeoutMs, 'timeoutMs'),
      crc64Check: crc64Check !== false,
      crcWatch: new CrcHeaderWatch(crc64Check === 'strict'),
      userAgent: options.userAgent ?? platform.userAgent,
      clock: new SkewedClock(),
      contentTypeFor: (key) => platform.contentTypeFor(key),
      createStreamCrc: platform.createStreamCrc,
    };
  }

  /** The bare region id requests are signed for. */
  get region(): string {
    return this.context.endpoint.region;
  }

  /**
   * Advanced: sends any command (the generic behind every method). Lets a new operation be added
   * in one line: `client.send(myCommand, input)`. Fills in the client's default bucket.
   */
  send<I, O>(command: Command<I, O>, input: I): Promise<O> {
    const withBucket = { ...input, bucket: (input as BaseInput).bucket ?? this.bucket } as I;
    return send(this.context, command, withBucket);
  }

  /** Releases pooled connections. */
  async close(): Promise<void> {
    await this.context.transport.close?.();
  }

  // ── objects ──

  putObject(input: object.PutObjectInput): Promise<object.PutObjectOutput> {
    return this.send(object.putObject, input);
  }
  getObject(input: object.GetObjectInput): Promise<object.GetObjectOutput> {
    return this.send(object.getObject, input);
  }
  headObject(input: object.HeadObjectInput): Promise<object.HeadObjectOutput> {
    return this.send(object.headObject, input);
  }
  getObjectMeta(input: object.GetObjectMetaInput): Promise<object.GetObjectMetaOutput> {
    return this.send(object.getObjectMeta, input);
  }
  deleteObject(input: object.DeleteObjectInput): Promise<object.DeleteObjectOutput> {
    return this.send(object.deleteObject, input);
  }
  deleteMultipleObjects(input: object.DeleteMultipleObjectsInput): Promise<object.DeleteMultipleObjectsOutput> {
    return this.send(object.deleteMultipleObjects, input);
  }
  copyObject(input: object.CopyObjectInput): Promise<object.CopyObjectOutput> {
    return this.send(object.copyObject, input);
  }
  listObjectsV2(input: object.ListObjectsV2Input = {}): Promise<object.ListObjectsV2Output> {
    return this.send(object.listObjectsV2, input);
  }
  listObjects(input: object.ListObjectsInput = {}): Promise<object.ListObjectsOutput> {
    return this.send(object.listObjects, input);
  }
  /** Every page of ListObjectsV2: `for await (const page of client.paginateListObjectsV2({ prefix }))`. */
  paginateListObjectsV2(input: object.ListObjectsV2Input = {}): AsyncGenerator<object.ListObjectsV2Output, void, undefined> {
    return paginate((page) => this.listObjectsV2(page), input, nextListObjectsV2);
  }
  /** Every page of ListObjects (v1), following markers. */
  paginateListObjects(input: object.ListObjectsInput = {}): AsyncGenerator<object.ListObjectsOutput, void, undefined> {
    return paginate((page) => this.listObjects(page), input, nextListObjects);
  }

  // ── object sub-resources ──

  /** Sets an object's ACL (`default` follows the bucket). */
  putObjectAcl(input: object.PutObjectAclInput): Promise<object.PutObjectAclOutput> {
    return this.send(object.putObjectAcl, input);
  }
  /** An object's ACL and owner. */
  getObjectAcl(input: object.GetObjectAclInput): Promise<object.GetObjectAclOutput> {
    return this.send(object.getObjectAcl, input);
  }
  /** Replaces an object's tags (at most 10). */
  putObjectTagging(input: object.PutObjectTaggingInput): Promise<object.PutObjectTaggingOutput> {
    return this.send(object.putObjectTagging, input);
  }
  getObjectTagging(input: object.GetObjectTaggingInput): Promise<object.GetObjectTaggingOutput> {
    return this.send(object.getObjectTagging, input);
  }
  /** Removes every tag of an object; the object stays. */
  deleteObjectTagging(input: object.DeleteObjectTaggingInput): Promise<object.DeleteObjectTaggingOutput> {
    return this.send(object.deleteObjectTagging, input);
  }
  /** Makes `key` a symbolic link to `target`; GetObject/HeadObject of the link read the target. */
  putSymlink(input: object.PutSymlinkInput): Promise<object.PutSymlinkOutput> {
    return this.send(object.putSymlink, input);
  }
  /** The target of a symbolic link. */
  getSymlink(input: object.GetSymlinkInput): Promise<object.GetSymlinkOutput> {
    return this.send(object.getSymlink, input);
  }
  /**
   * Appends bytes to an Appendable object at `position` (0 creates it). Pass the previous answer's
   * `crc64` as `initCrc64` to have the whole object's CRC-64 checked past position 0.
   */
  appendObject(input: object.AppendObjectInput): Promise<object.AppendObjectOutput> {
    return this.send(object.appendObject, input);
  }
  /** Restores an Archive/ColdArchive object for reading (202 started, 200 already restored). */
  restoreObject(input: object.RestoreObjectInput): Promise<object.RestoreObjectOutput> {
    return this.send(object.restoreObject, input);
  }

  // ── multipart and managed upload (src/commands/multipart, src/upload) ──

  initiateMultipartUpload(input: multipart.InitiateMultipartUploadInput): Promise<multipart.InitiateMultipartUploadOutput> {
    return this.send(multipart.initiateMultipartUpload, input);
  }
  uploadPart(input: multipart.UploadPartInput): Promise<multipart.UploadPartOutput> {
    return this.send(multipart.uploadPart, input);
  }
  uploadPartCopy(input: multipart.UploadPartCopyInput): Promise<multipart.UploadPartCopyOutput> {
    return this.send(multipart.uploadPartCopy, input);
  }
  completeMultipartUpload(input: multipart.CompleteMultipartUploadInput): Promise<multipart.CompleteMultipartUploadOutput> {
    return this.send(multipart.completeMultipartUpload, input);
  }
  abortMultipartUpload(input: multipart.AbortMultipartUploadInput): Promise<multipart.AbortMultipartUploadOutput> {
    return this.send(multipart.abortMultipartUpload, input);
  }
  listParts(input: multipart.ListPartsInput): Promise<multipart.ListPartsOutput> {
    return this.send(multipart.listParts, input);
  }
  listMultipartUploads(input: multipart.ListMultipartUploadsInput = {}): Promise<multipart.ListMultipartUploadsOutput> {
    return this.send(multipart.listMultipartUploads, input);
  }
  /** Every page of ListParts: `for await (const page of client.paginateListParts({ key, uploadId }))`. */
  paginateListParts(input: multipart.ListPartsInput): AsyncGenerator<multipart.ListPartsOutput, void, undefined> {
    return paginate((page) => this.listParts(page), input, multipart.nextListParts);
  }
  /** Every page of ListMultipartUploads, following both markers. */
  paginateListMultipartUploads(
    input: multipart.ListMultipartUploadsInput = {},
  ): AsyncGenerator<multipart.ListMultipartUploadsOutput, void, undefined> {
    return paginate((page) => this.listMultipartUploads(page), input, multipart.nextListMultipartUploads);
  }
  /**
   * Managed upload of any body: one PutObject, or parallel parts with progress, cancel, retries,
   * CRC checks and resumable checkpoints (src/upload/upload.ts).
   */
  upload(input: UploadInput): Promise<UploadOutput> {
    return upload(this, input, this.uploadEnv());
  }
  /** Default bucket and checkpoint stores for managed uploads; the Node client stores checkpoints in files. */
  protected uploadEnv(): UploadEnv {
    const crc = this.context.crc64Check;
    return { bucket: this.bucket, checkpointStore: browserCheckpointStore, partCrcChecked: crc, crc64Check: crc };
  }

  // ── conveniences ──
  // What ali-oss and the Go SDK offer beyond one call per operation: src/conveniences/, src/commands/paginate.ts.

  /** HeadObject as a boolean: `false` when the object does not exist; other failures are thrown. */
  objectExists(input: conveniences.ObjectExistsInput): Promise<boolean> {
    return conveniences.objectExists(this, input);
  }
  /**
   * Deletes every object under a non-empty `prefix`, or any number of `keys`, 1000 per request.
   * @example const { deleted } = await client.deleteObjects({ prefix: 'tmp/' });
   */
  deleteObjects(input: conveniences.DeleteObjectsInput): Promise<conveniences.DeleteObjectsOutput> {
    return conveniences.deleteObjects(this, input);
  }
  /**
   * The object's unsigned URL (public-read objects), addressed like every request (path style,
   * CNAME, custom endpoint). For a private object use {@link presign}.
   * @example client.getObjectUrl({ key: 'a b.txt' }); // 'https://bucket.oss-cn-hangzhou.aliyuncs.com/a%20b.txt'
   */
  getObjectUrl(input: conveniences.GetObjectUrlInput): string {
    return conveniences.objectUrl(this.context.endpoint, { ...input, bucket: input.bucket ?? this.bucket });
  }
  /** Every object of a listing: `for await (const object of client.listObjectsV2Items({ prefix }))`. */
  listObjectsV2Items(input: object.ListObjectsV2Input = {}): AsyncGenerator<object.ListedObject, void, undefined> {
    return paginateItems(this.paginateListObjectsV2(input), (page) => page.contents);
  }
  /** Every object of a ListObjects (v1) listing. */
  listObjectsItems(input: object.ListObjectsInput = {}): AsyncGenerator<object.ListedObject, void, undefined> {
    return paginateItems(this.paginateListObjects(input), (page) => page.contents);
  }
  /** Every multipart upload in progress. */
  listMultipartUploadsItems(
    input: multipart.ListMultipartUploadsInput = {},
  ): AsyncGenerator<multipart.MultipartUploadSummary, void, undefined> {
    return paginateItems(this.paginateListMultipartUploads(input), (page) => page.uploads);
  }
  /** Every uploaded part of a multipart upload. */
  listPartsItems(input: multipart.ListPartsInput): AsyncGenerator<multipart.ListedPart, void, undefined> {
    return paginateItems(this.paginateListParts(input), (page) => page.parts);
  }

  // ── presign, post policy ──

  /**
   * A presigned URL (V4 by default, the client's `signatureVersion` otherwise). Async because the
   * credentials may come from a provider; it never opens a connection. Send the returned `headers`
   * exactly (a signed Content-Type especially). The bucket needs a CORS rule for the page's origin.
   *
   * @example
   * const { url, headers } = await client.presign({ key: 'a.jpg', method: 'PUT', headers: { 'Content-Type': 'image/jpeg' } });
   * await fetch(url, { method: 'PUT', headers, body: file });
   */
  async presign(input: PresignInput): Promise<PresignOutput> {
    // The client's endpoint is resolved already: not parsed again per URL.
    return presignAt(this.#signingConfig(), input, () => this.context.endpoint);
  }

  /**
   * A signed post policy and the form fields for a browser form upload (PostObject).
   *
   * @example
   * const { url, fields } = await client.createPostPolicy({ keyPrefix: 'uploads/', contentLengthRange: [0, 10 << 20] });
   */
  async createPostPolicy(input: CreatePostPolicyInput): Promise<PostPolicyOutput> {
    return createPostPolicy(this.#signingConfig(), input);
  }

  /**
   * Sends a PostObject form from code through the client's transport. Without `fields` the client
   * signs a policy for `key` itself (options in `policy`); with `fields` (and `url`) from a server's
   * createPostPolicy it needs no credentials.
   *
   * @example
   * await client.postObject({ key: 'a.txt', file: new Blob(['hello']), policy: { contentLengthRange: [0, 1024] } });
   */
  async postObject(input: PostObjectInput): Promise<PostObjectOutput> {
    const bucketName = input.bucket ?? this.bucket;
    let fields = input.fields;
    if (fields === undefined) {
      if (input.key === undefined) throw invalidArgument('postObject needs a key or the fields of a post policy');
      fields = (await this.createPostPolicy({ ...input.policy, key: input.key, bucket: bucketName })).fields;
    }
    return sendPostObject(this.context, { ...input, bucket: bucketName, fields });
  }

  /** The facts presign and post policies need, from the client's own endpoint, credentials and clock. */
  #signingConfig(): PresignConfig {
    const { endpoint, credentials, clock, signatureVersion } = this.context;
    return {
      endpoint: `${endpoint.protocol}//${endpoint.host}`,
      region: endpoint.region,
      pathStyle: endpoint.style === 'path',
      cname: endpoint.style === 'cname',
      bucket: this.bucket,
      signatureVersion,
      credentials: () => credentials.get(),
      now: () => clock.now(),
    };
  }
}

// ── transports, proxies and timeouts ──

/** The `proxy` option, checked: it configures the default Node transport only. */
function proxyOption(options: OssClientOptions, platform: Platform): { proxy?: true | string } {
  if (options.proxy === undefined) return {};
  if (!platform.proxySupported) throw invalidArgument('the proxy option needs the Node transport (browsers use their own proxy settings)');
  if (options.proxy !== true && typeof options.proxy !== 'string') throw invalidArgument('proxy must be true or a proxy URL');
  return { proxy: options.proxy };
}

/**
 * The endpoint, resolved now. With neither `region` nor `endpoint`, the refusal waits for the first
 * call that needs them (still before any byte is sent): a browser client that only posts server-signed
 * forms (`postObject({ url, fields })`) needs neither.
 */
function lazyEndpoint(options: OssClientOptions, signatureVersion: 'v4' | 'v1'): () => ResolvedEndpoint {
  if (options.region === undefined && options.endpoint === undefined) {
    return () => resolveEndpoint({ ...options, signatureVersion });
  }
  const resolved = resolveEndpoint({ ...options, signatureVersion });
  return () => resolved;
}
