/** The Node default credentials: environment variables, read when a request needs them. */
import type { CredentialsProvider } from './credentials.js';
import { OssClientError } from '../errors.js';

/**
 * Reads `OSS_ACCESS_KEY_ID`, `OSS_ACCESS_KEY_SECRET` and (for STS) `OSS_SESSION_TOKEN`.
 * A missing id or secret fails the request with `CredentialsError`.
 *
 * @example
 * new OssClient({ region: 'cn-hangzhou', credentials: fromEnv() });
 */
export function fromEnv(env: Record<string, string | undefined> = process.env): CredentialsProvider {
  return async () => {
    const accessKeyId = env.OSS_ACCESS_KEY_ID;
    const accessKeySecret = env.OSS_ACCESS_KEY_SECRET;
    if (!accessKeyId || !accessKeySecret) {
      throw new OssClientError(
        'CredentialsError',
        'no credentials: set OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET or pass `credentials` to the client',
      );
    }
    const securityToken = env.OSS_SESSION_TOKEN || undefined;
    return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
  };
}
