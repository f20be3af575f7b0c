// When Enter runs and when it continues, and how a submitted (possibly pasted) buffer is cut
// into units. Stricter than the script splitter: a person typing `SELECT mean(v)` and Enter
// is not done yet, and a pasted statement broken over lines is one statement.
import { scan } from '../influxql/scan.js';
import { incompleteReason, significant } from '../influxql/split.js';

const STATEMENT_START = /^\s*(SELECT|SHOW|CREATE|DROP|DELETE|ALTER|GRANT|REVOKE|KILL|EXPLAIN|SET)\b/i;
/** Clause keywords that continue a statement even where a shell command has the same name (limit). */
const CLAUSE = /^\s*(FROM|WHERE|GROUP|ORDER|LIMIT|OFFSET|SLIMIT|SOFFSET|FILL|TZ|AND|OR|INTO|ON|WITH)\b/i;

/** Why Enter should continue the statement instead of running it, or null to run it. */
export function needsMore(text: string): string | null {
  const reason = incompleteReason(text);
  if (reason) return reason;
  // The last statement: a SELECT is not complete before its FROM.
  const sig = significant(scan(text));
  let start = 0;
  for (let i = 0; i < sig.length; i++) if (sig[i]!.text === ';') start = i + 1;
  const stmt = sig.slice(start);
  if (!stmt.length || !/^SELECT$/i.test(stmt[0]!.text)) return null;
  let depth = 0;
  for (const t of stmt) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && /^FROM$/i.test(t.text) && t.kind === 'keyword') return null;
  }
  return 'SELECT without FROM';
}

/**
 * Cuts a submitted buffer into units: shell commands are one line each (as in 1.x); InfluxQL
 * lines run together until the text is complete and the next line starts a new statement.
 */
export function shellUnits(text: string, isCommand: (line: string) => boolean): string[] {
  const lines = text.split(/\r?\n/);
  const units: string[] = [];
  let buf: string[] = [];
  const close = () => {
    const t = buf.join('\n').trim();
    if (t) units.push(t);
    buf = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!buf.length) {
      if (!line.trim()) continue;
      if (isCommand(line)) {
        units.push(line.trim());
        continue;
      }
    }
    buf.push(line);
    const next = lines.slice(i + 1).find((l) => l.trim());
    if (next === undefined) break;
    if (!needsMore(buf.join('\n')) && !CLAUSE.test(next) && (STATEMENT_START.test(next) || isCommand(next))) close();
  }
  close();
  return units;
}
