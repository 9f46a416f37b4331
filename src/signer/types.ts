import type { Credentials } from '../credentials/credentials.js';

/**
 * A fully described request, as the signer sees it: decoded bucket, key and query, lower-case
 * header names. The signer never sees URLs, so addressing style cannot change a signature.
 */
export interface SigningRequest {
  method: string;
  bucket?: string;
  key?: string;
  /** Decoded query; an empty string value is a bare key (`?acl`). */
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
}

export interface SignV1Options {
  /** The signing instant; the signer never reads the clock. */
  now: Date;
}

export interface PresignV1Options {
  now: Date;
  /** Seconds from `now` until the URL stops working. */
  expires: number;
}

export interface SignV4Options {
  now: Date;
  /** Bare region id (`cn-hangzhou`). */
  region: string;
  /** `oss` unless CloudBox (`oss-cloudbox`). */
  product?: string;
  /** Extra header names to sign (e.g. `host`), beyond x-oss-*, content-type and content-md5. */
  additionalHeaders?: readonly string[];
}

export interface PresignV4Options extends SignV4Options {
  /** Seconds, 1…604800. */
  expires: number;
}

export type { Credentials };
