/** Canned answers and error probes shared by the command tests (object, bucket, multipart). */
import type { HttpResponse } from '../../src/commands/types.js';

/** An answer for deserialize(): request id `RID`, and a body stream when `body` is given. */
export function response(status: number, headers: Record<string, string>, body?: string): HttpResponse {
  const bytes = body === undefined ? undefined : new TextEncoder().encode(body);
  return {
    status,
    headers: { 'x-oss-request-id': 'RID', ...headers },
    body: bytes ? new ReadableStream({ start: (c) => (c.enqueue(bytes), c.close()) }) : null,
  };
}

/** The `code` of what `fn` throws, or undefined when it does not throw. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}
