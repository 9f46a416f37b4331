/**
 * How header text that is not ASCII travels: as its UTF-8 bytes, raw.
 *
 * HTTP carries header values as bytes, and the JavaScript HTTP stacks only take strings whose
 * characters are bytes (U+0000–U+00FF, "byte strings"): undici, Node's http and fetch all refuse
 * `'张三'`. OSS stores the bytes of a user metadata value as they arrive and answers them back
 * unchanged. The official SDKs send UTF-8 bytes raw: the Go SDK writes Go strings (UTF-8) as they
 * are, and ali-oss does the same with its `headerEncoding: 'latin1'` option. So osskit does too:
 * the signer signs the text (its string to sign is UTF-8, i.e. the same bytes the server hashes),
 * and only the value handed to the transport is turned into the byte string of its UTF-8 bytes.
 * Reading metadata back, a value whose bytes are valid UTF-8 is decoded; anything else is kept as
 * the byte string the transport gave. Percent-encoding was the alternative; it would show
 * `%E5%BC%A0` to every other SDK and to the OSS console, where raw UTF-8 shows `张三`.
 */

const encoder = new TextEncoder();

/** Any character outside printable ASCII (and tab). */
// eslint-disable-next-line no-control-regex
const NOT_ASCII = /[^\t\u0020-\u007e]/;
/** Characters 0x80–0xFF, the only ones a decoded byte string holds beyond ASCII. */
const HIGH_BYTE = /[\u0080-\u00ff]/;

/**
 * The byte string of a value's UTF-8 bytes; ASCII values are returned as they are.
 *
 * @example encodeHeaderValue('é') // 'Ã©' (the bytes C3 A9)
 */
export function encodeHeaderValue(value: string): string {
  if (!NOT_ASCII.test(value)) return value;
  const bytes = encoder.encode(value);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

/** Every value of a header map through {@link encodeHeaderValue}; the same map when all are ASCII. */
export function encodeHeaderValues(headers: Record<string, string>): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const name in headers) {
    const value = headers[name]!;
    const wire = encodeHeaderValue(value);
    if (wire !== value) (out ??= { ...headers })[name] = wire;
  }
  return out ?? headers;
}

/**
 * The text of a received byte string holding UTF-8; the value as it is when it is ASCII, holds
 * characters beyond U+00FF (a transport that decoded it already) or is not valid UTF-8.
 *
 * @example decodeHeaderValue('Ã©') // 'é'
 */
export function decodeHeaderValue(value: string): string {
  if (!HIGH_BYTE.test(value)) return value;
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) return value;
    bytes[i] = code;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return value;
  }
}
