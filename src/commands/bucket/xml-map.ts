/**
 * Declarative XML mapping for the rich configuration documents (website routing rules, lifecycle
 * rules, …): a schema lists each field's element name and type once, in document order, and the
 * same schema both writes the PUT body and reads the GET answer. Absent fields stay absent on the way
 * back, so `read(schema, write(schema, x))` gives `x` again.
 */
import { child, children, text, texts, type XmlInput, type XmlNode } from '../../xml.js';

type Scalar = 'string' | 'int' | 'bool';

export interface FieldSpec {
  /** Element name. */
  tag: string;
  /** A scalar, or the schema of a nested element. */
  type: Scalar | Schema;
  /** The element repeats; the field is an array. */
  list?: boolean;
  /** The repeated elements sit inside this container element (`<RoutingRules><RoutingRule/>…`). */
  wrap?: string;
}

/** Field name → how it maps; key order is element order. */
export type Schema = Readonly<Record<string, FieldSpec>>;

function writeValue(type: FieldSpec['type'], value: unknown): XmlInput {
  if (typeof type === 'object') return write(type, value as Record<string, unknown>);
  return String(value);
}

/** A value → the content of its element, ready for `buildXml`. */
export function write(schema: Schema, value: Record<string, unknown> | undefined): Record<string, XmlInput> {
  const out: Record<string, XmlInput> = {};
  for (const [field, spec] of Object.entries(schema)) {
    const item = value?.[field];
    if (item === undefined) continue;
    const content = spec.list ? (item as unknown[]).map((entry) => writeValue(spec.type, entry)) : writeValue(spec.type, item);
    if (spec.wrap) out[spec.wrap] = { [spec.tag]: content };
    else out[spec.tag] = content;
  }
  return out;
}

function readScalar(type: Scalar, raw: string): string | number | boolean {
  if (type === 'int') return Number(raw);
  if (type === 'bool') return raw.toLowerCase() === 'true';
  return raw;
}

/** An element's content → the value, fields absent from the document left out. */
export function read<T>(schema: Schema, node: XmlNode | undefined): T {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(schema)) {
    const parent = spec.wrap ? child(node, spec.wrap) : node;
    if (spec.wrap && parent === undefined) continue;
    const { type } = spec;
    if (spec.list) {
      if (typeof type === 'object') {
        const items = children(parent, spec.tag);
        if (items.length || spec.wrap) out[field] = items.map((item) => read(type, item));
      } else {
        const items = texts(parent, spec.tag);
        if (items.length || spec.wrap) out[field] = items.map((item) => readScalar(type, item));
      }
    } else if (typeof type === 'object') {
      const element = child(parent, spec.tag);
      if (element !== undefined) out[field] = read(type, element);
    } else {
      const raw = text(parent, spec.tag);
      if (raw !== undefined && (raw !== '' || type === 'string')) out[field] = readScalar(type, raw);
    }
  }
  return out as T;
}

/** Shorthands for schema fields. */
export const str = (tag: string): FieldSpec => ({ tag, type: 'string' });
export const int = (tag: string): FieldSpec => ({ tag, type: 'int' });
export const bool = (tag: string): FieldSpec => ({ tag, type: 'bool' });
export const nested = (tag: string, type: Schema): FieldSpec => ({ tag, type });
export const list = (tag: string, type: Scalar | Schema, wrap?: string): FieldSpec => ({ tag, type, list: true, ...(wrap ? { wrap } : {}) });
