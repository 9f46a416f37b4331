/**
 * XML for the emulator: render answers the way OSS writes them (declaration, elements in document
 * order, no attributes) and read the small request documents clients send.
 */
import { XMLParser } from 'fast-xml-parser';

/** A value rendered as element content: arrays repeat the element, objects nest, undefined is skipped. */
export type XmlValue = string | number | boolean | Date | undefined | null | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

// Element content only needs these three; OSS leaves quotes raw (`<ETag>"…"</ETag>`).
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Escapes text for element content. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

/** One element (repeated for an array), for answers built piece by piece. */
export function renderValue(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => renderValue(name, v)).join('');
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([k, v]) => renderValue(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A document whose root holds the given elements in this order (for interleaved repeated elements). */
export function xmlDocumentOf(root: string, elements: string[]): string {
  return `${DECLARATION}<${root}>${elements.join('')}</${root}>`;
}

/**
 * Renders a whole document.
 * @example xmlDocument('LocationConstraint', 'oss-cn-hangzhou')
 */
export function xmlDocument(root: string, content: XmlValue): string {
  const body = renderValue(root, content);
  return DECLARATION + (body || `<${root}></${root}>`);
}

/** The `<Error>` body OSS sends (docs/protocol.md, "Error answers"); extra children follow the fixed ones. */
export function errorXml(
  code: string,
  message: string,
  requestId: string,
  hostId: string,
  extra: Record<string, string>,
): string {
  return xmlDocument('Error', { Code: code, Message: message, RequestId: requestId, HostId: hostId, ...extra });
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  // Keys may begin or end with spaces; callers trim where OSS does.
  trimValues: false,
  processEntities: true,
  ignoreDeclaration: true,
});

/** A parsed element: text, or children by name (a repeated child becomes an array). */
export type ParsedXml = string | { [name: string]: ParsedXml | ParsedXml[] };

/** Parses a request document; undefined when the text is not well-formed XML. */
export function parseXml(text: string): Record<string, ParsedXml | ParsedXml[]> | undefined {
  try {
    const parsed: unknown = parser.parse(text, true);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, ParsedXml>) : undefined;
  } catch {
    return undefined;
  }
}

/** Child elements with this name, always as a list. */
export function children(node: ParsedXml | ParsedXml[] | undefined, name: string): ParsedXml[] {
  if (node === undefined || typeof node === 'string' || Array.isArray(node)) return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Text of a child element ('' for an empty element, undefined when absent). */
export function childText(node: ParsedXml | ParsedXml[] | undefined, name: string): string | undefined {
  const [first] = children(node, name);
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : '';
}
