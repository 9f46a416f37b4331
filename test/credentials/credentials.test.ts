import { describe, expect, it, vi } from 'vitest';
import { createCredentialsResolver, withCredentialRefresh, type Credentials } from '../../src/credentials/credentials.js';
import { isOssClientError, OssError } from '../../src/errors.js';

const T0 = Date.UTC(2024, 0, 1);

function sts(n: number, expiresAt: number): Credentials {
  return { accessKeyId: `STS.id${n}`, accessKeySecret: `secret${n}`, securityToken: `token${n}`, expiration: new Date(expiresAt) };
}

describe('createCredentialsResolver', () => {
  it('returns fixed credentials as they are and cannot refresh them', async () => {
    const fixed = { accessKeyId: 'id', accessKeySecret: 'secret' };
    const resolver = createCredentialsResolver(fixed);
    expect(await resolver.get()).toBe(fixed);
    expect(resolver.refreshable).toBe(false);
  });

  it('refuses missing or incomplete credentials with CredentialsError', async () => {
    await expect(createCredentialsResolver(undefined).get()).rejects.toSatisfy((e) => isOssClientError(e, 'CredentialsError'));
    expect(() => createCredentialsResolver({ accessKeyId: 'id', accessKeySecret: '' })).toThrow(/accessKeySecret/);
    const bad = createCredentialsResolver(async () => ({ accessKeyId: '', accessKeySecret: 'x' }));
    await expect(bad.get()).rejects.toSatisfy((e) => isOssClientError(e, 'CredentialsError'));
  });

  it('wraps a failing provider without leaking its message', async () => {
    const resolver = createCredentialsResolver(async () => {
      throw new Error('STS said: secret=abc');
    });
    const error = await resolver.get().catch((e: unknown) => e);
    expect(isOssClientError(error, 'CredentialsError')).toBe(true);
    expect((error as Error).message).not.toContain('secret=abc');
  });

  it('shares one provider call between concurrent requests (single flight)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const provider = vi.fn(async () => {
      await gate;
      return sts(1, T0 + 3_600_000);
    });
    const resolver = createCredentialsResolver(provider, { now: () => T0 });
    const pending = [resolver.get(), resolver.get(), resolver.get()];
    release();
    const results = await Promise.all(pending);
    expect(provider).toHaveBeenCalledTimes(1);
    expect(new Set(results.map((c) => c.accessKeyId))).toEqual(new Set(['STS.id1']));
  });

  it.each([
    ['an hour', 3_600_000],
    ['4 minutes', 240_000],
    ['10 seconds', 10_000],
  ])('caches credentials with %s left until 80 %% of that has passed, then asks again', async (_name, lifetime) => {
    let now = T0;
    let n = 0;
    const provider = vi.fn(async () => sts(++n, now + lifetime));
    const resolver = createCredentialsResolver(provider, { now: () => now });
    expect((await resolver.get()).accessKeyId).toBe('STS.id1');
    now = T0 + lifetime * 0.8 - 1;
    expect((await resolver.get()).accessKeyId).toBe('STS.id1');
    expect(provider).toHaveBeenCalledTimes(1);
    now = T0 + lifetime * 0.8;
    expect((await resolver.get()).accessKeyId).toBe('STS.id2');
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('asks again on every get for credentials that arrive already expired (no stale cache)', async () => {
    const provider = vi.fn(async () => sts(1, T0 - 1));
    const resolver = createCredentialsResolver(provider, { now: () => T0 });
    await resolver.get();
    await resolver.get();
    expect(provider).toHaveBeenCalledTimes(2);
  });

  it('keeps credentials without expiration until a forced refresh', async () => {
    let n = 0;
    const resolver = createCredentialsResolver(async () => ({ accessKeyId: `id${++n}`, accessKeySecret: 's' }));
    await resolver.get();
    await resolver.get();
    expect(n).toBe(1);
    expect((await resolver.refresh()).accessKeyId).toBe('id2');
    expect((await resolver.get()).accessKeyId).toBe('id2');
  });
});

describe('withCredentialRefresh', () => {
  const expired = () => new OssError({ code: 'SecurityTokenExpired', status: 403, message: 'expired' });

  it('refreshes once and retries once on SecurityTokenExpired', async () => {
    let n = 0;
    const resolver = createCredentialsResolver(async () => ({ accessKeyId: `id${++n}`, accessKeySecret: 's' }));
    await resolver.get();
    const attempt = vi.fn(async () => {
      const creds = await resolver.get();
      if (creds.accessKeyId === 'id1') throw expired();
      return creds.accessKeyId;
    });
    expect(await withCredentialRefresh(attempt, resolver, true)()).toBe('id2');
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('gives up after one refresh', async () => {
    const resolver = createCredentialsResolver(async () => ({ accessKeyId: 'id', accessKeySecret: 's' }));
    const attempt = vi.fn(async () => {
      throw expired();
    });
    await expect(withCredentialRefresh(attempt, resolver, true)()).rejects.toMatchObject({ code: 'SecurityTokenExpired' });
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it('treats InvalidAccessKeyId as expired only for providers that can refresh', async () => {
    const invalid = new OssError({ code: 'InvalidAccessKeyId', status: 403, message: 'bad id' });
    const fixed = createCredentialsResolver({ accessKeyId: 'id', accessKeySecret: 's' });
    const attempt = vi.fn(async () => {
      throw invalid;
    });
    await expect(withCredentialRefresh(attempt, fixed, true)()).rejects.toBe(invalid);
    expect(attempt).toHaveBeenCalledTimes(1);
    const provider = createCredentialsResolver(async () => ({ accessKeyId: 'id', accessKeySecret: 's' }));
    await expect(withCredentialRefresh(attempt, provider, true)()).rejects.toBe(invalid);
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('does not retry a body that cannot be replayed, nor other errors', async () => {
    const resolver = createCredentialsResolver(async () => ({ accessKeyId: 'id', accessKeySecret: 's' }));
    const attempt = vi.fn(async () => {
      throw expired();
    });
    await expect(withCredentialRefresh(attempt, resolver, false)()).rejects.toMatchObject({ code: 'SecurityTokenExpired' });
    expect(attempt).toHaveBeenCalledTimes(1);
    const denied = vi.fn(async () => {
      throw new OssError({ code: 'AccessDenied', status: 403, message: 'no' });
    });
    await expect(withCredentialRefresh(denied, resolver, true)()).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(denied).toHaveBeenCalledTimes(1);
  });
});
