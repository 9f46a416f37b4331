import type { HttpResponse } from '../../../src/commands/types.js';

export function response(status: number, headers: Record<string, string>, body?: string): HttpResponse {
  const bytes = body === undefined ? undefined : new TextEncoder().encode(body);
  return {
    status,
    headers: { 'x-oss-request-id': 'RID', ...headers },
    body: bytes ? new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }) : null,
  };
}
