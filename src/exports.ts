/** What both entries export besides their own `OssClient`: errors, types, transports, signer, CRC. */
export type { OssClientOptions, Platform } from './client/client.js';
export { OssClient as CoreOssClient } from './client/client.js';
export {
  OssError,
  OssClientError,
  isOssError,
  isOssClientError,
  type OssClientErrorCode,
  type OssErrorFields,
} from './errors.js';
export type { Credentials, CredentialsProvider, CredentialsSource } from './credentials/credentials.js';
export type { CallbackInput } from './handoff/callback.js';
export type {
  BaseInput,
  BaseOutput,
  Command,
  CommandOptions,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  Progress,
  RequestBody,
} from './commands/types.js';
export type * from './commands/object/index.js';
export type * from './commands/bucket/index.js';
export type { Transport, TransportOptions, TransportRequest, TransportResponse, TransportBody } from './transport/types.js';
export { createFetchTransport, type FetchTransportOptions } from './transport/fetch.js';
export { crc64, Crc64, combineCrc64, combineCrc64Parts } from './integrity/crc64.js';
export { signV1, signV4, presignV1, presignV4 } from './signer/index.js';
export type { SigningRequest, SignV1Options, SignV4Options, PresignV1Options, PresignV4Options } from './signer/index.js';
export { presign, type PresignConfig, type PresignInput, type PresignOutput, type PresignMethod } from './handoff/presign.js';
export { createPostPolicy, type PostPolicyConfig, type CreatePostPolicyInput, type PostPolicyOutput } from './handoff/post-policy.js';
export type { PostObjectInput, PostObjectOutput } from './commands/object/post-object.js';
export { createXhrTransport, withXhrUploads, type XhrTransportOptions } from './transport/xhr.js';
export * from './upload/index.js';
export type * from './commands/multipart/index.js';
export type { ObjectExistsInput, DeleteObjectsInput, DeleteObjectsOutput, GetObjectUrlInput } from './conveniences/index.js';
export { paginateItems } from './commands/paginate.js';
export type { Crc64CheckOption } from './integrity/crc-check.js';
export type * from './commands/live-channel/index.js';
