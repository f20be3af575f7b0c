// What of a typed line may be written to ~/.influx_history (shared with the 1.x shell).
// 1.x runs each line through influxql.Sanitize, which puts [REDACTED] where the password literal
// of `WITH PASSWORD` and `SET PASSWORD FOR u =` was, and never saves `auth` lines. We do the same
// on scanner tokens, so quoted passwords with spaces or escaped quotes are removed whole.
import { scan, type Token } from '../influxql/scan.js';

const REDACTED = '[REDACTED]';

function isWord(t: Token | undefined, word: string): boolean {
  return !!t && (t.kind === 'keyword' || t.kind === 'ident') && t.text.toUpperCase() === word;
}

/** Indexes (into `tokens`) of the password literals in the text. */
function passwordTokens(tokens: Token[]): number[] {
  const sig: number[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'ws' && t.kind !== 'comment') sig.push(i);
  });
  const at = (k: number) => tokens[sig[k]!];
  const out: number[] = [];
  for (let k = 0; k < sig.length; k++) {
    if (!isWord(at(k), 'PASSWORD')) continue;
    if (isWord(at(k - 1), 'WITH') && at(k + 1)) {
      out.push(sig[k + 1]!);
    } else if (isWord(at(k - 1), 'SET') && isWord(at(k + 1), 'FOR')) {
      // SET PASSWORD FOR <user> = <password>: the literal after the first `=`.
      let j = k + 2;
      while (j < sig.length && at(j)!.text !== '=' && at(j)!.text !== ';') j++;
      if (at(j)?.text === '=' && at(j + 1)) out.push(sig[j + 1]!);
    }
  }
  return out;
}

/**
 * The line to store in history, or null when it must not be stored (`auth` lines, blank lines).
 * Passwords in CREATE USER … WITH PASSWORD and SET PASSWORD FOR … = are replaced by [REDACTED].
 */
export function redactForHistory(line: string): string | null {
  if (!line.trim()) return null;
  if (/^\s*auth(\s|$)/i.test(line)) return null;
  if (!/password/i.test(line)) return line;
  const tokens = scan(line);
  const hide = passwordTokens(tokens);
  if (!hide.length) return line;
  let out = '';
  let pos = 0;
  for (const i of hide) {
    const t = tokens[i]!;
    if (t.start < pos) continue;
    // An unquoted password runs to the next blank or `;`, like 1.x's pattern.
    let end = t.end;
    if (t.kind !== 'string' && t.kind !== 'quoted-ident') while (end < line.length && !/[\s;]/.test(line[end]!)) end++;
    out += line.slice(pos, t.start) + REDACTED;
    pos = end;
  }
  return out + line.slice(pos);
}
