/**
 * Secrets are scrubbed by value: a server or proxy that echoes the Authorization header, the
 * security token or the secret inside <Message> or any other tag (or in an x-oss-err header) must
 * not put them into any error field, message, stack, details or cause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOssError } from '../src/errors.js';
import { OssClient } from '../src/index.node.js';
import { readRequest, startLocalServer, type LocalServer } from './transport/local-server.js';

const CREDENTIALS = {
  accessKeyId: 'LTAI5tEchoTestKeyId',
  accessKeySecret: 'EchoSecret+/=Value0123456789',
  securityToken: 'CAIS+echo/token==with&odd<chars>0123456789',
};

let server: LocalServer;
let seen: { authorization: string; token: string }[] = [];

beforeAll(async () => {
  server = await startLocalServer();
  server.handle(async (req, res) => {
    const body = (await readRequest(req)).toString('latin1');
    const authorization = String(req.headers['authorization'] ?? '');
    const token = String(req.headers['x-oss-security-token'] ?? '');
    seen.push({ authorization, token });
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    // A form upload carries its signature and token in the body: echo that too. (The secret itself
    // never travels; a server that somehow knows it echoes it as well.)
    const echo = `${authorization} token=${token} body=${body} secret=${req.method === 'POST' ? '' : CREDENTIALS.accessKeySecret}`;
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Error>' +
      `<Code>AccessDenied</Code><Message>denied: ${escape(echo)}</Message><RequestId>${escape(token)}</RequestId>` +
      `<HostId>${escape(authorization)}</HostId><EchoedHeader>${escape(authorization)}</EchoedHeader>` +
      `<Url>https://b.example/k?security-token=${encodeURIComponent(token)}</Url><Token>${escape(token)}</Token></Error>`;
    res.statusCode = 403;
    res.setHeader('content-type', 'application/xml');
    if (req.method === 'HEAD') {
      res.setHeader('x-oss-err', Buffer.from(xml).toString('base64'));
      res.end();
    } else {
      res.end(xml);
    }
  });
});
afterAll(async () => {
  await server.close();
});

/** Everything an error exposes, its causes included, as one string. */
function everything(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let i = 0; i < 10 && current; i++) {
    if (typeof current !== 'object') {
      parts.push(String(current));
      break;
    }
    const e = current as Record<string, unknown>;
    parts.push(String(e['message']), String(e['stack']), JSON.stringify(e), JSON.stringify(e['details'] ?? {}));
    current = e['cause'];
  }
  return parts.join('\n');
}

function signatureOf(authorization: string): string {
  return /Signature=([^,\s]+)/.exec(authorization)?.[1] ?? authorization.slice(authorization.lastIndexOf(':') + 1);
}

describe.each(['v4', 'v1'] as const)('secrets echoed by a server, %s signatures', (signatureVersion) => {
  it.each(['GET', 'HEAD'])('%s: the error carries no signature, secret or token', async (method) => {
    seen = [];
    const client = new OssClient({ endpoint: server.url, region: 'cn-hangzhou', bucket: 'bkt', credentials: CREDENTIALS, signatureVersion });
    const call = method === 'GET' ? client.getObject({ key: 'k' }) : client.headObject({ key: 'k' });
    const error = await call.catch((e: unknown) => e);
    expect(isOssError(error)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    const text = everything(error);
    // The echo did arrive (the scrubbed message still says what the server said around it).
    expect(text).toContain('denied:');
    expect(text).toContain('[redacted]');
    for (const { authorization, token } of seen) {
      expect(text).not.toContain(signatureOf(authorization));
      expect(text).not.toContain(token);
      expect(text).not.toContain(encodeURIComponent(token));
    }
    expect(text).not.toContain(CREDENTIALS.accessKeySecret);
    expect(text).not.toContain(CREDENTIALS.securityToken);
    await client.close();
  });
});

describe('secrets echoed back from a form upload', () => {
  it.each(['v4', 'v1'] as const)('postObject (%s): the error carries neither the form signature nor the token', async (signatureVersion) => {
    const client = new OssClient({ endpoint: server.url, region: 'cn-hangzhou', bucket: 'bkt', credentials: CREDENTIALS, signatureVersion });
    const { fields } = await client.createPostPolicy({ key: 'k' });
    const signature = fields['Signature'] ?? fields['x-oss-signature']!;
    const error = await client.postObject({ key: 'k', file: new Blob(['x']) }).catch((e: unknown) => e);
    expect(isOssError(error)).toBe(true);
    const text = everything(error);
    expect(text).toContain('denied:');
    expect(text).not.toContain(signature.slice(0, 20));
    expect(text).not.toContain(CREDENTIALS.securityToken);
    expect(text).not.toContain(CREDENTIALS.accessKeySecret);
    await client.close();
  });
});
