/**
 * Reads a PostObject body (multipart/form-data, RFC 7578) into ordered fields. Field names are
 * case-insensitive for OSS (docs/protocol.md, "Form uploads"), so each field keeps its name lower-cased beside the original.
 */
import { EmulatorError } from './context.js';

export interface FormField {
  /** Lower-cased name, for lookups. */
  name: string;
  value: string;
}

export interface PostForm {
  /** The text fields in order, `file` excluded. */
  fields: FormField[];
  file: { data: Uint8Array; filename: string; type: string };
  /** First value of a text field by case-insensitive name. */
  get(name: string): string | undefined;
}

function malformed(message = 'The body of your POST request is not well-formed multipart/form-data.'): EmulatorError {
  return new EmulatorError(400, 'MalformedPOSTRequest', message);
}

/**
 * Parses the form with the platform's multipart parser (undici). `file` must be the last field;
 * anything after it, or a form without it, is refused as OSS does.
 * @example const form = await parsePostForm(request.headers['content-type'], await request.body());
 */
export async function parsePostForm(contentType: string | undefined, body: Uint8Array): Promise<PostForm> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) throw malformed();
  let data: FormData;
  try {
    data = await new Request('http://emulator.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: body as Uint8Array<ArrayBuffer> }).formData();
  } catch {
    throw malformed();
  }
  const fields: FormField[] = [];
  let file: PostForm['file'] | undefined;
  for (const [rawName, value] of data.entries()) {
    const name = rawName.toLowerCase();
    if (file) throw malformed('The file field must be the last field of the form.');
    if (name === 'file') {
      file =
        typeof value === 'string'
          ? { data: new TextEncoder().encode(value), filename: '', type: '' }
          : { data: new Uint8Array(await value.arrayBuffer()), filename: value.name, type: value.type };
      continue;
    }
    if (typeof value !== 'string') throw malformed(`The form field ${rawName} must not be a file.`);
    fields.push({ name, value });
  }
  if (!file) throw new EmulatorError(400, 'InvalidArgument', 'The file field is missing from the form.', { ArgumentName: 'file' });
  const get = (name: string): string | undefined => fields.find((f) => f.name === name.toLowerCase())?.value;
  return { fields, file, get };
}
