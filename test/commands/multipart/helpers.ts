import type { HttpResponse } from '../../../src/commands/types.js';

/** A canned answer for deserialize(). */
export function answer(body: string, headers: Record<string, string> = {}, status = 200): HttpResponse {
  return {
    status,
    headers: { 'x-oss-request-id': 'REQ1', ...headers },
    body: body === '' ? null : new Blob([body]).stream(),
  };
}

export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}
