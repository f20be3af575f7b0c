// Splits scripts into units (what one request carries) and units into statements.
//
// A unit ends at the end of a line once the text is complete: no open quote, regex, comment or
// parenthesis, no BEGIN without END, and no trailing operator or keyword that needs more. So a
// multi-line continuous query pasted as is works, and one-line scripts behave as in 1.x.
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
  return null;
}

export interface ScriptUnit {
  text: string;
  /** 1-based line where the unit starts. */
  line: number;
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
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!buf.length) {
      if (!line.trim()) continue;
      if (isCommand(line)) {
        units.push({ text: line.trim(), line: i + 1 });
        continue;
      }
      startLine = i + 1;
    }
    buf.push(line);
    const text = buf.join('\n');
    if (incompleteReason(text) === null) {
      units.push({ text: text.trim(), line: startLine });
      buf = [];
    }
  }
  if (buf.length) {
    const text = buf.join('\n').trim();
    if (text) units.push({ text, line: startLine });
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
