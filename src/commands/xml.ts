/**
 * The XML mapping shared by commands: a small parser that keeps every value a string (so `"007"`
 * and ETags survive), typed readers over the parsed tree, and a tiny builder with escaping.
 *
 * The parser is written here rather than taken from fast-xml-parser because OSS answers use a
 * narrow subset of XML (elements, text, the five entities, character references, CDATA) and that
 * package and its dependencies weigh about 60 KB minified — more than the whole rest of the browser
 * build's XML needs (docs/architecture.md: the browser client stays within 40 KiB gzip). DOCTYPEs are skipped,
 * never expanded, so entity-expansion attacks have nothing to work with.
 */
import { isReadableStream, readAll, readBody } from '../pipeline/body.js';
import { OssClientError } from '../errors.js';

/** A parsed element: children by tag name; a repeated tag becomes an array. */
export interface XmlNode {
  [tag: string]: XmlValue;
}
export type XmlValue = string | XmlNode | XmlValue[];

/** What `buildXml` accepts: arrays repeat their tag, `undefined` drops it. */
export type XmlInput = string | number | boolean | undefined | XmlInput[] | { [tag: string]: XmlInput };

interface Frame {
  tag: string;
  node: XmlNode;
  text: string;
  hasChildren: boolean;
}

/**
 * Parses an XML document leniently (error bodies, which may come from a proxy); the result's keys
 * are the root tags. Leaf elements become their text, elements with children become nodes;
 * attributes and comments are ignored. A text that is not XML at all yields `{}`; broken XML throws
 * `OssClientError('NetworkError')`. Answers of operations go through {@link parseXmlDocument}.
 *
 * @example parseXml('<A><B>1</B><B>2</B></A>') // { A: { B: ['1', '2'] } }
 */
export function parseXml(xml: string): XmlNode {
  if (!xml.trimStart().startsWith('<')) return {};
  return parseTree(xml).node;
}

/** The parse proper: the top-level elements, and any text found outside them. */
function parseTree(xml: string): { node: XmlNode; stray: string } {
  const root: Frame = { tag: '', node: {}, text: '', hasChildren: true };
  const stack: Frame[] = [root];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    if (lt === -1) break;
    if (lt > i) top.text += decodeEntities(xml.slice(i, lt));
    if (xml.startsWith('<!--', lt)) i = after(xml, '-->', lt);
    else if (xml.startsWith('<![CDATA[', lt)) {
      const end = after(xml, ']]>', lt);
      top.text += xml.slice(lt + 9, end - 3);
      i = end;
    } else if (xml.startsWith('<?', lt)) i = after(xml, '?>', lt);
    else if (xml.startsWith('<!', lt)) i = skipDoctype(xml, lt);
    else if (xml[lt + 1] === '/') {
      const gt = after(xml, '>', lt);
      const frame = stack.pop()!;
      if (stack.length === 0 || frame.tag !== xml.slice(lt + 2, gt - 1).trim()) throw malformed();
      close(stack, frame);
      i = gt;
    } else {
      const gt = endOfTag(xml, lt);
      let inner = xml.slice(lt + 1, gt - 1);
      const selfClosing = inner.endsWith('/');
      if (selfClosing) inner = inner.slice(0, -1);
      const tag = /^[^\s/>]+/.exec(inner)?.[0];
      if (!tag) throw malformed();
      const frame: Frame = { tag, node: {}, text: '', hasChildren: false };
      if (selfClosing) close(stack, frame);
      else stack.push(frame);
      i = gt;
    }
  }
  if (stack.length !== 1) throw malformed();
  // Text after the last tag belongs to no element: only whitespace may stand there.
  return { node: root.node, stray: root.text + xml.slice(i) };
}

/**
 * Parses the document an operation answers with, strictly: well-formed XML with exactly one root
 * element, named `root`, and nothing but whitespace around it. Anything else (an empty or
 * truncated body, a proxy's HTML page, another document) is `OssClientError('NetworkError')` — a
 * broken answer that is retried like a dropped connection — rather than an empty result.
 *
 * @example parseXmlDocument('<A><B>1</B></A>', 'A') // { B: '1' }
 */
export function parseXmlDocument(xml: string, root: string): XmlNode {
  const value = xmlDocumentValue(xml, root);
  return isNode(value) ? value : {};
}

/** Like {@link parseXmlDocument}, but a root holding only text gives that text (`<LocationConstraint>`). */
export function xmlDocumentValue(xml: string, root: string): XmlValue {
  const expected = `expected an XML <${root}> document`;
  if (xml.trim() === '') throw brokenAnswer(`${expected}, got an empty body`);
  if (!xml.trimStart().startsWith('<')) throw brokenAnswer(`${expected}, got text that is not XML`);
  let tree: { node: XmlNode; stray: string };
  try {
    tree = parseTree(xml);
  } catch (cause) {
    throw brokenAnswer(`${expected}, got XML that is not well-formed (a truncated body, or an HTML page?)`, cause);
  }
  const tops = Object.keys(tree.node);
  const value = tree.node[root];
  if (tops.length !== 1 || value === undefined || Array.isArray(value)) {
    const found = tops.length ? tops.map((t) => `<${t.slice(0, 40)}>`).join(', ') : 'no element';
    throw brokenAnswer(`${expected}, got ${found}`);
  }
  if (tree.stray.trim() !== '') throw brokenAnswer(`${expected}, got text outside the root element`);
  return value;
}

function brokenAnswer(message: string, cause?: unknown): OssClientError {
  return new OssClientError('NetworkError', message, cause === undefined ? undefined : { cause });
}

/** Hands a finished element to its parent: a node when it had children, else its text. */
function close(stack: Frame[], frame: Frame): void {
  const parent = stack[stack.length - 1]!;
  parent.hasChildren = true;
  const value: XmlValue = frame.hasChildren ? frame.node : frame.text;
  const existing = Object.prototype.hasOwnProperty.call(parent.node, frame.tag) ? parent.node[frame.tag] : undefined;
  const next = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  // defineProperty: a tag named `__proto__` must stay data, not reach the prototype.
  Object.defineProperty(parent.node, frame.tag, { value: next, enumerable: true, writable: true, configurable: true });
}

/** Index just past `token`, searching from `from`. */
function after(xml: string, token: string, from: number): number {
  const at = xml.indexOf(token, from);
  if (at === -1) throw malformed();
  return at + token.length;
}

/** Index just past the `>` that ends a start tag, skipping `>` inside quoted attribute values. */
function endOfTag(xml: string, from: number): number {
  let quote = '';
  for (let j = from + 1; j < xml.length; j++) {
    const c = xml[j];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j + 1;
  }
  throw malformed();
}

/** Skips `<!DOCTYPE …>` including an internal subset `[…]`, without interpreting it. */
function skipDoctype(xml: string, from: number): number {
  const bracket = xml.indexOf('[', from);
  const gt = xml.indexOf('>', from);
  if (bracket !== -1 && gt !== -1 && bracket < gt) return after(xml, '>', after(xml, ']', bracket));
  return after(xml, '>', from);
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name] ?? whole;
    const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function malformed(): OssClientError {
  return new OssClientError('NetworkError', 'the answer is not well-formed XML');
}

/**
 * Reads a whole answer body and returns its root element `root`, strictly (see {@link parseXmlDocument}).
 *
 * @example const result = await readXmlRoot(response, 'ListBucketResult');
 */
export async function readXmlRoot(from: ReadableStream<Uint8Array> | { readonly body: ReadableStream<Uint8Array> | null } | null, root: string): Promise<XmlNode> {
  const bytes = from === null ? undefined : isReadableStream(from) ? await readAll(from) : await readBody(from);
  return parseXmlDocument(bytes ? new TextDecoder().decode(bytes) : '', root);
}

/** The child element `tag` as a node (an empty element reads as `{}`). */
export function child(node: XmlNode | undefined, tag: string): XmlNode | undefined {
  const value = first(node?.[tag]);
  if (value === undefined) return undefined;
  return isNode(value) ? value : {};
}

/** All `tag` children as nodes, whether the document had zero, one or many. */
export function children(node: XmlNode | undefined, tag: string): XmlNode[] {
  const value = node?.[tag];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => (isNode(item) ? item : {}));
}

/** Text of the child element `tag`; an empty element is `''`, a missing one `undefined`. */
export function text(node: XmlNode | undefined, tag: string): string | undefined {
  const value = first(node?.[tag]);
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : '';
}

/** Texts of every `tag` child. */
export function texts(node: XmlNode | undefined, tag: string): string[] {
  const value = node?.[tag];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((item) => (typeof item === 'string' ? item : ''));
}

export function int(node: XmlNode | undefined, tag: string): number | undefined {
  const value = text(node, tag);
  return value === undefined || value === '' ? undefined : Number(value);
}

export function bool(node: XmlNode | undefined, tag: string): boolean {
  return text(node, tag)?.toLowerCase() === 'true';
}

export function date(node: XmlNode | undefined, tag: string): Date | undefined {
  const value = text(node, tag);
  return value ? new Date(value) : undefined;
}

/**
 * Undoes `encoding-type=url`: OSS escapes keys as a query value would be (`+` is a space, `%2B` a
 * plus), which lets it return keys holding characters XML 1.0 cannot carry.
 */
export function urlDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch (cause) {
    // A malformed `%` sequence is a broken answer, not a caller mistake.
    throw new OssClientError('NetworkError', 'the answer holds a malformed url-encoded value', { cause });
  }
}

/**
 * Text of `tag` in `node`, url-decoded when the answer's root `result` says `EncodingType` is `url`
 * (OSS then encodes keys, prefixes, delimiters and markers).
 *
 * @example const key = encodedText(result, entry, 'Key');
 */
export function encodedText(result: XmlNode, node: XmlNode | undefined, tag: string): string | undefined {
  const value = text(node, tag);
  return value !== undefined && text(result, 'EncodingType') === 'url' ? urlDecode(value) : value;
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Builds a document: `buildXml('Delete', { Quiet: true, Object: [{ Key: 'a' }, { Key: 'b' }] })` →
 * `<?xml …?><Delete><Quiet>true</Quiet><Object><Key>a</Key></Object><Object><Key>b</Key></Object></Delete>`.
 */
export function buildXml(root: string, content: XmlInput): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, content)}`;
}

function element(tag: string, content: XmlInput): string {
  if (content === undefined) return '';
  if (Array.isArray(content)) return content.map((item) => element(tag, item)).join('');
  if (typeof content === 'object') {
    const inner = Object.entries(content)
      .map(([name, value]) => element(name, value))
      .join('');
    return `<${tag}>${inner}</${tag}>`;
  }
  return `<${tag}>${escapeXml(String(content))}</${tag}>`;
}

function first(value: XmlValue | undefined): XmlValue | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
