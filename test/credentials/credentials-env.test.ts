import { describe, expect, it } from 'vitest';
import { fromEnv } from '../../src/credentials/credentials-env.node.js';
import { isOssClientError } from '../../src/errors.js';

describe('fromEnv', () => {
  it('reads the three variables', async () => {
    const provider = fromEnv({ OSS_ACCESS_KEY_ID: 'id', OSS_ACCESS_KEY_SECRET: 'secret', OSS_SESSION_TOKEN: 'tok' });
    expect(await provider()).toEqual({ accessKeyId: 'id', accessKeySecret: 'secret', securityToken: 'tok' });
  });

  it('leaves the token out when it is not set', async () => {
    expect(await fromEnv({ OSS_ACCESS_KEY_ID: 'id', OSS_ACCESS_KEY_SECRET: 'secret' })()).toEqual({
      accessKeyId: 'id',
      accessKeySecret: 'secret',
    });
  });

  it('fails with CredentialsError naming the variables when they are missing', async () => {
    const error = await fromEnv({ OSS_ACCESS_KEY_ID: 'id' })().catch((e: unknown) => e);
    expect(isOssClientError(error, 'CredentialsError')).toBe(true);
    expect((error as Error).message).toMatch(/OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET/);
  });

  it('reads process.env by default, when called', async () => {
    const saved = { ...process.env };
    try {
      process.env.OSS_ACCESS_KEY_ID = 'env-id';
      process.env.OSS_ACCESS_KEY_SECRET = 'env-secret';
      delete process.env.OSS_SESSION_TOKEN;
      expect((await fromEnv()()).accessKeyId).toBe('env-id');
    } finally {
      process.env = saved;
    }
  });
});
