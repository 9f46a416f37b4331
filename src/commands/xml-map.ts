/**
 * Declarative XML mapping for the rich configuration documents (website routing rules, lifecycle
 * rules, …): a schema lists each field's element name and type once, in document order, and the
 * same schema both writes the PUT body and reads the GET answer. Absent fields stay absent on the way
 * back, so `read(schema, write(schema, x))` gives `x` again. Element names default to the field
 * name with an upper-case first letter, so a schema only spells out the names that differ.
 */
import { child, children, text, texts, type XmlInput, type XmlNode } from './xml.js';

type Scalar = 'string' | 'int' | 'bool' | 'date';

export interface FieldSpec {
  /** Element name; by default the field name with its first letter upper-cased (`suffix` → `Suffix`). */
  tag?: string;
  /** A scalar, or the schema of a nested element. */
  type: Scalar | Schema;
  /** The element repeats; the field is an array. */
  list?: boolean;
  /** The repeated elements sit inside this container element (`<RoutingRules><RoutingRule/>…`). */
  wrap?: string;
}

/** Field name → how it maps; key order is element order. */
export type Schema = Readonly<Record<string, FieldSpec>>;

function tagOf(field: string, spec: FieldSpec): string {
  return spec.tag ?? field[0]!.toUpperCase() + field.slice(1);
}

function writeValue(type: FieldSpec['type'], value: unknown): XmlInput {
  if (typeof type === 'object') return write(type, value as Record<string, unknown>);
  return value instanceof Date ? value.toISOString() : String(value);
}

/** A value → the content of its element, ready for `buildXml`. */
export function write(schema: Schema, value: Record<string, unknown> | undefined): Record<string, XmlInput> {
  const out: Record<string, XmlInput> = {};
  for (const [field, spec] of Object.entries(schema)) {
    const item = value?.[field];
    if (item === undefined) continue;
    const content = spec.list ? (item as unknown[]).map((entry) => writeValue(spec.type, entry)) : writeValue(spec.type, item);
    const tag = tagOf(field, spec);
    if (spec.wrap) out[spec.wrap] = { [tag]: content };
    else out[tag] = content;
  }
  return out;
}

function readScalar(type: Scalar, raw: string): string | number | boolean | Date {
  if (type === 'int') return Number(raw);
  if (type === 'date') return new Date(raw);
  if (type === 'bool') return raw.toLowerCase() === 'true';
  return raw;
}

/** An element's content → the value, fields absent from the document left out. */
export function read<T>(schema: Schema, node: XmlNode | undefined): T {
  const out: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(schema)) {
    const tag = tagOf(field, spec);
    const parent = spec.wrap ? child(node, spec.wrap) : node;
    if (spec.wrap && parent === undefined) continue;
    const { type } = spec;
    if (spec.list) {
      if (typeof type === 'object') {
        const items = children(parent, tag);
        if (items.length || spec.wrap) out[field] = items.map((item) => read(type, item));
      } else {
        const items = texts(parent, tag);
        if (items.length || spec.wrap) out[field] = items.map((item) => readScalar(type, item));
      }
    } else if (typeof type === 'object') {
      const element = child(parent, tag);
      if (element !== undefined) out[field] = read(type, element);
    } else {
      const raw = text(parent, tag);
      if (raw !== undefined && (raw !== '' || type === 'string')) out[field] = readScalar(type, raw);
    }
  }
  return out as T;
}

/** Shorthands for schema fields; `tag` only where the element name is not the capitalised field name. */
export const str = (tag?: string): FieldSpec => ({ tag, type: 'string' });
export const int = (tag?: string): FieldSpec => ({ tag, type: 'int' });
export const bool = (tag?: string): FieldSpec => ({ tag, type: 'bool' });
export const date = (tag?: string): FieldSpec => ({ tag, type: 'date' });
export const nested = (type: Schema, tag?: string): FieldSpec => ({ tag, type });
export const list = (tag: string, type: Scalar | Schema, wrap?: string): FieldSpec => ({ tag, type, list: true, wrap });
