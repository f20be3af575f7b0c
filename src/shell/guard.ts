// Which statements deserve a "are you sure?" before they run: the ones that delete data for good.
import { scan, type Token } from '../influxql/scan.js';
import { significant, splitStatements } from '../influxql/split.js';

/** The name after `at` as written (quotes kept), with `db.rp.m` qualifiers joined. */
function nameAt(tokens: Token[], at: number): string {
  let out = '';
  for (let i = at; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident' || t.kind === 'quoted-ident' || t.kind === 'keyword' || t.kind === 'regex') {
      if (out && !out.endsWith('.')) break;
      out += t.text;
    } else if (t.text === '.') out += '.';
    else break;
  }
  return out;
}

function statementReason(stmt: string): string | null {
  const sig = significant(scan(stmt));
  const w = (i: number) => (sig[i]?.kind === 'keyword' ? sig[i]!.text.toUpperCase() : '');
  const has = (word: string) => sig.some((t) => t.kind === 'keyword' && t.text.toUpperCase() === word);
  const onDb = () => {
    const i = sig.findIndex((t) => t.kind === 'keyword' && t.text.toUpperCase() === 'ON');
    return i >= 0 ? nameAt(sig, i + 1) : '';
  };
  if (w(0) === 'DROP') {
    switch (w(1)) {
      case 'DATABASE':
        return `DROP DATABASE ${nameAt(sig, 2)} deletes the database and all of its data`;
      case 'MEASUREMENT':
        return `DROP MEASUREMENT ${nameAt(sig, 2)} deletes all of the measurement's data and series`;
      case 'SERIES': {
        const where = has('WHERE');
        const from = sig.findIndex((t) => t.kind === 'keyword' && t.text.toUpperCase() === 'FROM');
        const what = from >= 0 ? `from ${nameAt(sig, from + 1)}` : 'from every measurement';
        return `DROP SERIES deletes ${where ? 'the matching' : 'all'} series ${what} and their data`;
      }
      case 'RETENTION':
        if (w(2) === 'POLICY') return `DROP RETENTION POLICY ${nameAt(sig, 3)}${onDb() ? ` ON ${onDb()}` : ''} deletes the policy and all of its data`;
        return null;
      case 'SHARD':
        return `DROP SHARD${sig[2] ? ` ${sig[2].text}` : ''} deletes the shard and its data`;
      default:
        return null;
    }
  }
  if (w(0) === 'DELETE' && !has('WHERE')) {
    const from = sig.findIndex((t) => t.kind === 'keyword' && t.text.toUpperCase() === 'FROM');
    return from >= 0 ? `DELETE without WHERE deletes every point of ${nameAt(sig, from + 1)}` : 'DELETE without WHERE deletes every point in the database';
  }
  return null;
}

/**
 * Why a unit (one or more statements) should be confirmed before running, or null when it is
 * harmless. Several destructive statements give one line, joined with "; ".
 */
export function destructiveReason(statementText: string): string | null {
  const reasons: string[] = [];
  for (const stmt of splitStatements(statementText)) {
    const r = statementReason(stmt);
    if (r) reasons.push(r);
  }
  return reasons.length ? reasons.join('; ') : null;
}
