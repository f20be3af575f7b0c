// Splits scripts and shell input into units (what one request carries) and units into statements.
//
// The one rule, for the shell and for scripts alike: a line continues while the statement is
// incomplete by the grammar (an open quote, regex, comment or parenthesis, a SELECT without its
// FROM, BEGIN without END, a trailing operator, comma or keyword that needs more) or while the
// next line starts with a clause keyword (FROM, WHERE, GROUP BY…); a `;` at the end of a line
// always ends it. Complete one-line statements are one unit each, as in 1.x.
import { scan, type Token } from './scan.js';

/** Keywords after which a statement cannot end. */
const NEEDS_MORE = new Set(
  'SELECT FROM WHERE AND OR BY GROUP ORDER LIMIT OFFSET SLIMIT SOFFSET INTO ON WITH KEY AS BEGIN RESAMPLE EVERY FOR DURATION REPLICATION SHARD NAME TO IN FILL TZ SET NOT DEFAULT PASSWORD'.split(' '),
);

export function significant(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
}

/** Why the text cannot be sent yet, or null when it is complete. */
export function incompleteReason(text: string): string | null {
  const tokens = scan(text);
  const last = tokens[tokens.length - 1];
  if (last && last.closed === false) {
    if (last.kind === 'string') return 'open quote';
    if (last.kind === 'quoted-ident') return 'open double quote';
    if (last.kind === 'regex') return 'open regex';
    if (last.kind === 'comment') return 'open comment';
  }
  const sig = significant(tokens);
  if (!sig.length) return null;
  let depth = 0;
  let blocks = 0;
  // A continuous query is not complete before its END, whatever its first lines end with.
  let stmtStart = 0;
  let cqOpen = false;
  for (let i = 0; i < sig.length; i++) {
    const t = sig[i]!;
    if (i === stmtStart) {
      cqOpen = /^CREATE$/i.test(t.text) && /^CONTINUOUS$/i.test(sig[i + 1]?.text ?? '');
    }
    if (t.text === '(') depth++;
    else if (t.text === ')') depth = Math.max(0, depth - 1);
    else if (t.kind === 'keyword') {
      const u = t.text.toUpperCase();
      if (u === 'BEGIN') blocks++;
      else if (u === 'END') {
        blocks = Math.max(0, blocks - 1);
        cqOpen = false;
      }
    } else if (t.text === ';' && depth === 0 && blocks === 0) {
      stmtStart = i + 1;
      cqOpen = false;
    }
  }
  if (depth > 0) return 'open parenthesis';
  if (blocks > 0) return 'BEGIN without END';
  if (cqOpen && sig.length > 2) return 'continuous query without END';
  const tail = sig[sig.length - 1]!;
  if (tail.text === ';') return null;
  // `GROUP BY *` is complete; `SELECT *` still needs its FROM.
  const byStar = tail.text === '*' && /^BY$/i.test(sig[sig.length - 2]?.text ?? '');
  if ((tail.kind === 'operator' && !byStar) || tail.text === ',' || tail.text === '.') return `trailing ${tail.text}`;
  if (tail.kind === 'keyword' && NEEDS_MORE.has(tail.text.toUpperCase())) return `trailing ${tail.text.toUpperCase()}`;
  if (selectWithoutFrom(sig.slice(stmtStart))) return 'SELECT without FROM';
  return null;
}

/** A SELECT (or EXPLAIN [ANALYZE] SELECT) with no FROM at its own level yet. */
function selectWithoutFrom(stmt: Token[]): boolean {
  let k = 0;
  if (/^EXPLAIN$/i.test(stmt[k]?.text ?? '')) k++;
  if (/^ANALYZE$/i.test(stmt[k]?.text ?? '')) k++;
  if (!/^SELECT$/i.test(stmt[k]?.text ?? '') || stmt[k]!.kind !== 'keyword') return false;
  let depth = 0;
  for (const t of stmt) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'keyword' && /^FROM$/i.test(t.text)) return false;
  }
  return true;
}

/** Keywords that begin a clause: a line starting with one continues the statement above it. */
const CLAUSE_START = /^\s*(FROM|WHERE|GROUP|ORDER|LIMIT|OFFSET|SLIMIT|SOFFSET|FILL|TZ|AND|OR|INTO)\b/i;

/** True when a complete statement still takes `next` as its continuation (a clause line). */
function continuesWith(text: string, next: string | undefined): boolean {
  if (next === undefined || !CLAUSE_START.test(next)) return false;
  const sig = significant(scan(text));
  return sig.length > 0 && sig[sig.length - 1]!.text !== ';';
}

export interface ScriptUnit {
  text: string;
  /** 1-based line where the unit starts. */
  line: number;
  /** 1-based line where it ends (the same as `line` for a one-line unit). */
  endLine: number;
}

/**
 * Cuts a script into units. `isCommand(firstLine)` says whether a line is a shell command
 * (use, insert, format…): those are always one line, as in 1.x.
 */
export function splitScript(script: string, isCommand: (line: string) => boolean): ScriptUnit[] {
  const lines = script.split(/\r?\n/);
  const units: ScriptUnit[] = [];
  let buf: string[] = [];
  let startLine = 0;
  let lastLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!buf.length) {
      if (!line.trim()) continue;
      if (isCommand(line)) {
        units.push({ text: line.trim(), line: i + 1, endLine: i + 1 });
        continue;
      }
      startLine = i + 1;
    }
    buf.push(line);
    if (line.trim()) lastLine = i + 1;
    const text = buf.join('\n');
    if (incompleteReason(text) !== null) continue;
    let n = i + 1;
    while (n < lines.length && !lines[n]!.trim()) n++;
    if (continuesWith(text, lines[n])) continue;
    units.push({ text: text.trim(), line: startLine, endLine: lastLine });
    buf = [];
  }
  if (buf.length) {
    const text = buf.join('\n').trim();
    if (text) units.push({ text, line: startLine, endLine: lastLine });
  }
  return units;
}

/** The statements of a unit, split at top-level semicolons, comments kept. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const t of scan(text)) {
    if (t.text === ';' && t.kind === 'punct') {
      const s = text.slice(start, t.start).trim();
      if (significant(scan(s)).length) out.push(s);
      start = t.end;
    }
  }
  const rest = text.slice(start).trim();
  if (rest && significant(scan(rest)).length) out.push(rest);
  return out;
}
