/** Shared by the send*.test.ts files: a scripted transport and a ready SendContext. */
import { SkewedClock } from '../../src/pipeline/clock-skew.js';
import { createCredentialsResolver, type CredentialsSource } from '../../src/credentials/credentials.js';
import { resolveEndpoint } from '../../src/pipeline/endpoint.js';
import { readAll } from '../../src/pipeline/body.js';
import type { SendContext } from '../../src/pipeline/send.js';
import type { Transport, TransportOptions, TransportRequest, TransportResponse } from '../../src/transport/types.js';

export const CREDS = { accessKeyId: 'AKIDEXAMPLE', accessKeySecret: 'very-secret-value', securityToken: 'sts-token-value' };

export interface Recorded {
  request: TransportRequest;
  options: TransportOptions;
  /** The body bytes the transport consumed. */
  body: Uint8Array | undefined;
}

export type Script = (request: TransportRequest, n: number) => TransportResponse | Error | Promise<TransportResponse | Error>;

/** A transport that reads each request body fully (as a real one would) and answers from a script. */
export function scriptedTransport(script: Script): Transport & { calls: Recorded[] } {
  const calls: Recorded[] = [];
  return {
    calls,
    async send(request, options) {
      const body = request.body === undefined ? undefined : await readAll(request.body);
      if (body) options.onUploadProgress?.(body.byteLength);
      calls.push({ request, options, body });
      const answer = await script(request, calls.length);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

export function reply(status: number, headers: Record<string, string> = {}, body?: string | Uint8Array): TransportResponse {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return {
    status,
    headers: { 'x-oss-request-id': `req-${status}`, ...headers },
    body: bytes === undefined ? null : new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }),
  };
}

export function errorXml(code: string, extra: Record<string, string> = {}): string {
  const fields = { Code: code, Message: `message for ${code}`, RequestId: 'RID123', HostId: 'b.oss-cn-hangzhou.aliyuncs.com', ...extra };
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('')}</Error>`;
}

export function context(transport: Transport, overrides: Partial<SendContext> & { credentials?: unknown } = {}): SendContext {
  const { credentials, ...rest } = overrides;
  return {
    endpoint: resolveEndpoint({ region: 'cn-hangzhou' }),
    credentials: createCredentialsResolver((credentials as CredentialsSource | undefined) ?? CREDS),
    transport,
    signatureVersion: 'v4',
    maxAttempts: 3,
    timeoutMs: 1000,
    crc64Check: true,
    clock: new SkewedClock(),
    contentTypeFor: (key) => (key.endsWith('.txt') ? 'text/plain' : undefined),
    retry: { sleep: async () => undefined },
    ...rest,
  } as SendContext;
}
