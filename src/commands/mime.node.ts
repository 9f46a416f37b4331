/**
 * Content-Type from a key's extension, Node build: the full `mime-types` table. The build inlines the
 * table as data (tsup.config.ts), so the shipped client needs no CommonJS `require` to look a type up.
 */
import { types } from 'mime-types';
import { extensionOf } from './mime.js';

/**
 * @example contentTypeFor('report.docx') // 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
 */
export function contentTypeFor(key: string): string | undefined {
  const ext = extensionOf(key);
  return ext !== undefined && Object.hasOwn(types, ext) ? types[ext] : undefined;
}
