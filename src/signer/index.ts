/** The public signer API: pure V1/V4 signing, presigning and post policies (docs/protocol.md). */
export type {
  PresignV1Options,
  PresignV4Options,
  SignV1Options,
  SignV4Options,
  SigningRequest,
} from './types.js';
export { encodePath, rfc3986Encode } from './encode.js';
export { isV1SubResource, V1_SUB_RESOURCES } from './subresources.js';
export {
  canonicalizedOssHeadersV1,
  canonicalizedResourceV1,
  formatRfc1123,
  presignV1,
  signatureV1,
  signV1,
  stringToSignV1,
} from './v1.js';
export type { ResourceV1Request } from './v1.js';
export {
  canonicalHeadersV4,
  canonicalQueryV4,
  canonicalRequestV4,
  canonicalUriV4,
  computeSignatureV4,
  formatIsoDate,
  normalizeAdditionalHeaders,
  presignV4,
  scopeV4,
  signatureV4,
  signV4,
  stringToSignV4,
  UNSIGNED_PAYLOAD,
  V4_ALGORITHM,
} from './v4.js';
export type { SignatureV4Params } from './v4.js';
export { clearSigningKeyCache, deriveSigningKeyV4, signingKeyV4 } from './signing-key.js';
export { postPolicySignatureV1, postPolicySignatureV4, signPostPolicy } from './post-policy.js';
export type { PostPolicy, SignPostPolicyOptions } from './post-policy.js';
