/** Content-Type from a key's extension, Node build: the full `mime-types` database. */
import { lookup } from 'mime-types';
import { extensionOf } from './mime.js';

/**
 * @example contentTypeFor('report.docx') // 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
 */
export function contentTypeFor(key: string): string | undefined {
  const ext = extensionOf(key);
  if (ext === undefined) return undefined;
  const type = lookup(ext);
  return type === false ? undefined : type;
}
