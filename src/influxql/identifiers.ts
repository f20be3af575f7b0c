// `use db[.rp]` and `insert into [db.]rp` argument parsing, with 1.x's quoting rules.

export interface DbRp {
  db?: string;
  rp?: string;
}

/**
 * Parses the argument of `use` as 1.x does: `"` toggles quoting and is dropped, an unquoted `.`
 * separates db from rp, a trailing `;` is ignored, case is kept. Beyond 1.x, `\"` inside quotes
 * is a literal quote. Returns an error message for more than one unquoted dot or an empty name.
 */
export function parseUseTarget(arg: string): DbRp | { error: string } {
  const text = arg.trim().replace(/;\s*$/, '').trim();
  const parts: string[] = [''];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '\\' && text[i + 1] === '"') {
      parts[parts.length - 1] += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === '.' && !quoted) {
      if (parts.length === 2) return { error: `unable to parse database and retention policy from "${text}": too many dots` };
      parts.push('');
    } else parts[parts.length - 1] += c;
  }
  if (quoted) return { error: `unable to parse database and retention policy from "${text}": unterminated quote` };
  const [db, rp] = parts;
  if (parts.length === 1) return db ? { db } : { error: 'usage: use <database>[.<retention policy>]' };
  if (!db && !rp) return { error: 'usage: use <database>[.<retention policy>]' };
  return { db: db || undefined, rp: rp || undefined };
}

/** Reads one identifier (unquoted or double-quoted with \" escapes) at `i`. */
function readIdent(s: string, i: number): { value: string; end: number } | null {
  if (s[i] === '"') {
    let v = '';
    let j = i + 1;
    while (j < s.length) {
      if (s[j] === '\\' && j + 1 < s.length) {
        v += s[j + 1];
        j += 2;
      } else if (s[j] === '"') return { value: v, end: j + 1 };
      else v += s[j++];
    }
    return null;
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
  return m ? { value: m[0], end: i + m[0].length } : null;
}

export interface InsertTarget extends DbRp {
  /** The line protocol after the target. */
  body: string;
}

/**
 * `insert <lp>` or `insert into [<db>.]<rp> <lp>`. As in 1.x, a single identifier after INTO is
 * the retention policy, not the database.
 */
export function parseInsert(line: string): InsertTarget | { error: string } {
  const m = /^\s*insert\s+/i.exec(line);
  if (!m) return { error: 'not an insert' };
  let rest = line.slice(m[0].length);
  const into = /^into(?:\s+|$)/i.exec(rest);
  if (!into) return rest.trim() ? { body: rest } : { error: 'usage: insert <line protocol> | insert into [<db>.]<rp> <line protocol>' };
  rest = rest.slice(into[0].length);
  let i = 0;
  let first: string | undefined;
  if (rest[0] !== '.') {
    const id = readIdent(rest, 0);
    if (!id) return { error: `unable to parse the database or retention policy after INTO` };
    first = id.value;
    i = id.end;
  }
  let target: DbRp;
  if (rest[i] === '.') {
    const id = readIdent(rest, i + 1);
    if (!id) return { error: `unable to parse the retention policy after INTO` };
    target = { db: first, rp: id.value };
    i = id.end;
  } else target = { rp: first };
  if (!/^\s/.test(rest.slice(i))) return { error: 'expected line protocol after the INTO target' };
  const body = rest.slice(i).trimStart();
  if (!body) return { error: 'expected line protocol after the INTO target' };
  return { ...target, body };
}

/** Quotes an identifier for InfluxQL when it needs it. */
export function quoteIdent(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
