/**
 * Credentials and how send() obtains them: fixed credentials, or an async provider whose answer is
 * cached until 80 % of its lifetime has passed (as the Go SDK's fetcher provider does), so that a
 * token with an hour left is renewed after 48 minutes and one with 4 minutes left after 3.2,
 * instead of on every request. Concurrent requests share one refresh (single flight).
 */
import { OssClientError, OssError } from '../errors.js';

/** Share of a temporary credential's remaining lifetime (when it was obtained) it is used for. */
const REFRESH_AT_LIFETIME = 0.8;

/** Long-term or temporary (STS) credentials. */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** When temporary credentials stop working; providers are asked again after 80 % of the time left. */
  expiration?: Date;
}

export type CredentialsProvider = () => Promise<Credentials>;

/** What the client accepts: fixed credentials or a provider (e.g. one that calls STS AssumeRole). */
export type CredentialsSource = Credentials | CredentialsProvider;

/** What send() uses. */
export interface CredentialsResolver {
  /** Cached credentials, refreshed once 80 % of the lifetime they had when obtained has passed. */
  get(): Promise<Credentials>;
  /**
   * Asks the provider again even though the cache looks valid (after `SecurityTokenExpired`). With
   * `stale` (the credentials the refused request used), a cache that has already moved on from them
   * is returned as is, so that requests refused together share one refresh.
   */
  refresh(stale?: Credentials): Promise<Credentials>;
  /** False for fixed credentials: refreshing cannot change them. */
  readonly refreshable: boolean;
}

export interface CredentialsResolverOptions {
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * Wraps a credentials source.
 *
 * @example
 * const creds = createCredentialsResolver(async () => fetchStsToken());
 * await Promise.all([creds.get(), creds.get()]); // one provider call
 */
export function createCredentialsResolver(
  source: CredentialsSource | undefined,
  options: CredentialsResolverOptions = {},
): CredentialsResolver {
  if (source === undefined) {
    const fail = async (): Promise<Credentials> => {
      throw new OssClientError('CredentialsError', 'no credentials: pass `credentials` to the client');
    };
    return { get: fail, refresh: fail, refreshable: false };
  }
  if (typeof source !== 'function') {
    const fixed = checkCredentials(source);
    return { get: async () => fixed, refresh: async () => fixed, refreshable: false };
  }
  return new ProviderResolver(source, options.now ?? Date.now);
}

class ProviderResolver implements CredentialsResolver {
  readonly refreshable = true;
  #cached: Credentials | undefined;
  /** When the cached credentials are due for renewal (Infinity without an expiration). */
  #refreshAt = Infinity;
  #pending: Promise<Credentials> | undefined;
  readonly #provider: CredentialsProvider;
  readonly #now: () => number;

  constructor(provider: CredentialsProvider, now: () => number) {
    this.#provider = provider;
    this.#now = now;
  }

  get(): Promise<Credentials> {
    const cached = this.#cached;
    if (cached && this.#now() < this.#refreshAt) return Promise.resolve(cached);
    return this.refresh();
  }

  refresh(stale?: Credentials): Promise<Credentials> {
    const cached = this.#cached;
    // Another request already replaced the credentials this one was refused with.
    if (!this.#pending && stale && cached && cached !== stale) return Promise.resolve(cached);
    this.#pending ??= this.#load().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #load(): Promise<Credentials> {
    let answer: Credentials;
    try {
      answer = await this.#provider();
    } catch (error) {
      if (error instanceof OssClientError) throw error;
      throw new OssClientError('CredentialsError', 'the credentials provider failed', { cause: error });
    }
    const credentials = checkCredentials(answer);
    const obtained = this.#now();
    const left = credentials.expiration ? credentials.expiration.getTime() - obtained : Infinity;
    this.#cached = credentials;
    this.#refreshAt = obtained + Math.max(0, left) * REFRESH_AT_LIFETIME;
    return credentials;
  }
}

function checkCredentials(value: Credentials | undefined): Credentials {
  if (!value || typeof value !== 'object' || !value.accessKeyId || !value.accessKeySecret) {
    throw new OssClientError('CredentialsError', 'credentials need a non-empty accessKeyId and accessKeySecret');
  }
  // They travel in the Authorization and x-oss-security-token headers: a character a header cannot
  // carry would be refused by the transport on every attempt.
  for (const [field, text] of [['accessKeyId', value.accessKeyId], ['securityToken', value.securityToken]] as const) {
    if (text !== undefined && text !== '' && (typeof text !== 'string' || !/^[\x21-\x7e]+$/.test(text))) {
      throw new OssClientError('CredentialsError', `credentials ${field} must be printable ASCII without spaces`);
    }
  }
  if (value.expiration !== undefined && !(value.expiration instanceof Date)) {
    throw new OssClientError('CredentialsError', 'credentials expiration must be a Date');
  }
  return value;
}

/**
 * Wraps an attempt: obtains the credentials it signs with (once per attempt, so a provider is not
 * asked twice for one request), and on an expired-token answer (`SecurityTokenExpired`, or
 * `InvalidAccessKeyId` from a provider that can hand out new keys) forces one refresh and one more
 * attempt.
 *
 * @example
 * const run = withCredentialRefresh((credentials) => attempt(credentials), resolver, true);
 */
export function withCredentialRefresh<T>(
  attempt: (credentials: Credentials) => Promise<T>,
  resolver: CredentialsResolver,
  replayable: boolean,
): () => Promise<T> {
  let refreshed = false;
  return async () => {
    const used = await resolver.get();
    try {
      return await attempt(used);
    } catch (error) {
      if (refreshed || !replayable || !resolver.refreshable || !isExpiredCredentials(error)) throw error;
      refreshed = true;
      return attempt(await resolver.refresh(used));
    }
  };
}

function isExpiredCredentials(error: unknown): boolean {
  return error instanceof OssError && (error.code === 'SecurityTokenExpired' || error.code === 'InvalidAccessKeyId');
}
