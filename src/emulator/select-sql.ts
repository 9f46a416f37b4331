/**
 * The small SQL subset the emulator's SelectObject runs:
 *
 *   select * | col[, col …] from ossobject [alias] [where col op literal [and …]] [limit n]
 *
 * `col` is `_1`, `_2`, … (CSV position), a header name (CSV with FileHeaderInfo=USE), or a JSON
 * field (`s.name` with an alias, or a bare name); `op` is one of = != <> < > <= >=; a literal is a
 * number or a 'quoted string'. Numbers compare as numbers when both sides are numeric, else as text.
 * Anything else is a syntax error, which the handler reports in the end frame.
 */

export type Comparison = '=' | '!=' | '<' | '>' | '<=' | '>=';

export interface Condition {
  column: string;
  op: Comparison;
  value: string | number;
}

export interface SelectQuery {
  /** Undefined for `*`. */
  columns?: string[];
  where: Condition[];
  limit?: number;
}

export class SqlError extends Error {}

const TOKEN = /\s*(?:('(?:[^']|'')*')|("(?:[^"]|"")*")|(<=|>=|!=|<>|=|<|>|,|\*)|([A-Za-z_][\w.]*(?:\[\*\])?)|(-?\d+(?:\.\d+)?))/y;

function tokenize(sql: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < sql.length) {
    if (/^\s*$/.test(sql.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(sql);
    if (!match) throw new SqlError(`Syntax error near position ${at}: '${sql.slice(at, at + 10).trim()}'`);
    tokens.push(match[0].trim());
  }
  return tokens;
}

/** Drops an alias prefix (`s.name` → `name`) and quotes (`"my col"` → `my col`). */
function columnName(token: string, alias: string | undefined): string {
  if (token.startsWith('"')) return token.slice(1, -1).replace(/""/g, '"');
  if (alias && token.toLowerCase().startsWith(`${alias.toLowerCase()}.`)) return token.slice(alias.length + 1);
  return token;
}

/** Parses a statement or throws `SqlError` with a reason. */
export function parseSelect(sql: string): SelectQuery {
  const tokens = tokenize(sql);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => {
    const token = tokens[i++];
    if (token === undefined) throw new SqlError('Unexpected end of the SQL expression');
    return token;
  };
  const keyword = (word: string) => {
    const token = next();
    if (token.toLowerCase() !== word) throw new SqlError(`Expected '${word}' but found '${token}'`);
  };
  keyword('select');
  const raw: string[] = [];
  if (peek() === '*') i++;
  else {
    do raw.push(next());
    while (peek() === ',' && ++i);
  }
  keyword('from');
  const source = next().toLowerCase();
  if (!source.startsWith('ossobject')) throw new SqlError(`Unknown table '${source}': select from ossobject`);
  let alias: string | undefined;
  const maybeAlias = peek();
  if (maybeAlias && !['where', 'limit'].includes(maybeAlias.toLowerCase())) {
    alias = next();
    if (alias.toLowerCase() === 'as') alias = next();
  }
  const where: Condition[] = [];
  if (peek()?.toLowerCase() === 'where') {
    i++;
    do where.push(condition(next(), next(), next(), alias));
    while (peek()?.toLowerCase() === 'and' && ++i);
  }
  let limit: number | undefined;
  if (peek()?.toLowerCase() === 'limit') {
    i++;
    limit = Number(next());
    if (!Number.isInteger(limit) || limit < 0) throw new SqlError('LIMIT needs a whole number');
  }
  if (i < tokens.length) throw new SqlError(`Unexpected '${tokens[i]}'`);
  const columns = raw.length ? raw.map((token) => {
    if (/^[,*=<>!]/.test(token) || /^'|^-?\d/.test(token)) throw new SqlError(`Not a column: '${token}'`);
    return columnName(token, alias);
  }) : undefined;
  return { columns, where, limit };
}

function condition(left: string, op: string, right: string, alias: string | undefined): Condition {
  const ops: Record<string, Comparison> = { '=': '=', '!=': '!=', '<>': '!=', '<': '<', '>': '>', '<=': '<=', '>=': '>=' };
  const comparison = ops[op];
  if (!comparison) throw new SqlError(`Unknown operator '${op}'`);
  let value: string | number;
  if (right.startsWith("'")) value = right.slice(1, -1).replace(/''/g, "'");
  else if (/^-?\d/.test(right)) value = Number(right);
  else throw new SqlError(`Expected a literal after '${op}', found '${right}'`);
  return { column: columnName(left, alias), op: comparison, value };
}

/** Whether a field value satisfies a condition. */
export function matches(field: unknown, { op, value }: Condition): boolean {
  if (field === undefined || field === null) return false;
  const text = typeof field === 'string' ? field : typeof field === 'object' ? JSON.stringify(field) : String(field);
  const numeric = typeof value === 'number' && text.trim() !== '' && !Number.isNaN(Number(text));
  const a: string | number = numeric ? Number(text) : text;
  const b: string | number = numeric ? value : String(value);
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
}
