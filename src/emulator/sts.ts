/**
 * Temporary (STS) credentials issued by the emulator, and the check OSS applies to tokens: a request
 * signed with an `STS.` key must carry that key's security token (docs/protocol.md, "Signature V1"),
 * the token stops working at its expiration (judged by the emulator's clock), and a token sent with
 * any other key makes OSS treat the request as an STS request whose key it does not know.
 *
 * Error codes, from the OSS documentation (alibabacloud.com/help/en/oss, "HTTP 403 errors", the
 * per-EC pages 0002-00000002 / 0002-00000003 / 0002-00000006 / 0002-00000007, and the PostObject
 * "The OSS Access Key Id you provided does not exist in our records" troubleshooting page):
 * - token with a long-term (or unknown) key → 403 `InvalidAccessKeyId`, EC 0002-00000002 ("the
 *   AccessKey ID in the STS request does not exist": a security-token parameter or
 *   x-oss-security-token header makes OSS judge the request to be STS);
 * - issued key without its token → 403 `InvalidAccessKeyId`, EC 0002-00000003;
 * - token wrong → 403 `InvalidSecurityToken`, EC 0002-00000006;
 * - token expired → 403 `SecurityTokenExpired`, EC 0002-00000007.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EmulatorError } from './context.js';
import type { PostForm } from './form-data.js';

/** What `emu.issueTemporaryCredentials()` hands out, shaped like an STS AssumeRole answer. */
export interface TemporaryCredentials {
  /** `STS.` followed by random letters and digits. */
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** After this instant (emulator clock) requests are refused with `SecurityTokenExpired`. */
  expiration: Date;
}

export interface IssueTemporaryCredentialsOptions {
  /**
   * Lifetime in seconds, default 900 (the real STS minimum). Any positive number is accepted here,
   * fractions included, so that tests can watch a token expire without a long wait.
   */
  durationSeconds?: number;
}

/** The default lifetime, as STS AssumeRole's minimum and most common value. */
export const DEFAULT_STS_DURATION_SECONDS = 900;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/** Equal-length compare that does not stop at the first difference. */
function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** OSS words both "STS key without its token" and "token with a key STS never issued" this way. */
function unknownKey(accessKeyId: string, ec: string): EmulatorError {
  return new EmulatorError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', {
    OSSAccessKeyId: accessKeyId,
    EC: ec,
  });
}

/**
 * The issued temporary keys of one emulator.
 * @example
 * const store = new TemporaryCredentialStore(() => new Date());
 * const creds = store.issue({ durationSeconds: 60 });
 * store.check(creds.accessKeyId, creds.securityToken, new Date()); // passes
 */
export class TemporaryCredentialStore {
  readonly #issued = new Map<string, TemporaryCredentials>();
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  /** Issues a fresh key, secret and token valid for `durationSeconds` from now. */
  issue(options: IssueTemporaryCredentialsOptions = {}): TemporaryCredentials {
    const duration = options.durationSeconds ?? DEFAULT_STS_DURATION_SECONDS;
    if (!Number.isFinite(duration) || duration <= 0) {
      throw new RangeError(`durationSeconds must be a positive number of seconds, got ${duration}`);
    }
    const credentials: TemporaryCredentials = {
      accessKeyId: `STS.${randomText(24)}`,
      accessKeySecret: randomText(30),
      // Real tokens are long base64 strings (`CAIS…`); keeping `+`, `/` and `=` in ours exercises the
      // URL encoding of `security-token` / `x-oss-security-token` in presigned URLs.
      securityToken: `CAIS${randomBytes(120).toString('base64')}`,
      expiration: new Date(this.#now().getTime() + duration * 1000),
    };
    this.#issued.set(credentials.accessKeyId, credentials);
    return { ...credentials, expiration: new Date(credentials.expiration) };
  }

  /** Whether the key was issued here (it may have expired since). */
  isTemporary(accessKeyId: string): boolean {
    return this.#issued.has(accessKeyId);
  }

  /** The secret of an issued key; undefined for any other key. */
  secretFor(accessKeyId: string): string | undefined {
    return this.#issued.get(accessKeyId)?.accessKeySecret;
  }

  /**
   * Throws the error OSS answers when an issued key comes without its token, with another token, or
   * after its expiration, and when any other key comes with a token. A key that is not issued here
   * and comes without a token is left alone (long-term keys need none; unknown ones fail later).
   */
  check(accessKeyId: string, securityToken: string | undefined, now: Date): void {
    const hasToken = securityToken !== undefined && securityToken !== '';
    const issued = this.#issued.get(accessKeyId);
    if (!issued) {
      if (hasToken) throw unknownKey(accessKeyId, '0002-00000002');
      return;
    }
    if (!hasToken) throw unknownKey(accessKeyId, '0002-00000003');
    if (!sameToken(securityToken, issued.securityToken)) {
      throw new EmulatorError(403, 'InvalidSecurityToken', 'The security token you provided is invalid.', { EC: '0002-00000006' });
    }
    if (now.getTime() > issued.expiration.getTime()) {
      throw new EmulatorError(403, 'SecurityTokenExpired', 'The security token you provided has expired.', {
        Expiration: issued.expiration.toISOString(),
        ServerTime: now.toISOString(),
        EC: '0002-00000007',
      });
    }
  }

  /**
   * PostObject carries its key in the form (`OSSAccessKeyId`, or the first part of `x-oss-credential`)
   * and the token in the `x-oss-security-token` field (docs/protocol.md, "Form uploads").
   */
  checkPostForm(form: PostForm, now: Date): void {
    const credential = form.get('x-oss-credential');
    const accessKeyId = credential !== undefined ? credential.split('/')[0] : form.get('OSSAccessKeyId');
    if (accessKeyId) this.check(accessKeyId, form.get('x-oss-security-token'), now);
  }
}
