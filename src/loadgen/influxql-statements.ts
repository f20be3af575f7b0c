// `load --influxql FILE`: the statements to replay, and how a timed-out one is found among the
// server's running queries (SHOW QUERIES) so it can be killed (KILL QUERY).
import { readFileSync } from 'node:fs';
import type { InfluxHttp } from '../connection/http.js';
import { executeQuery } from '../query/execute.js';
import { splitScript, splitStatements } from '../influxql/split.js';
import { parseUseTarget } from '../influxql/identifiers.js';
import { TrafficError } from './errors.js';

export interface InfluxqlStatement {
  text: string;
  /** The statement on one line, as reports name it. */
  label: string;
  database?: string;
  retentionPolicy?: string;
}

const USE = /^use\s+/i;

/**
 * Statements separated by `;` or by lines, as in an -import or a script; a `use db[.rp]` line
 * sets the database of the statements after it.
 */
export function parseStatements(text: string, file: string): InfluxqlStatement[] {
  const out: InfluxqlStatement[] = [];
  let database: string | undefined;
  let retentionPolicy: string | undefined;
  for (const unit of splitScript(text, (line) => USE.test(line.trim()))) {
    if (USE.test(unit.text)) {
      const t = parseUseTarget(unit.text.replace(USE, ''));
      if ('error' in t) throw new TrafficError(`${file}:${unit.line}: ${t.error}`, true);
      database = t.db ?? database;
      retentionPolicy = t.rp;
      continue;
    }
    for (const s of splitStatements(unit.text)) out.push({ text: s, label: s.replace(/\s+/g, ' '), database, retentionPolicy });
  }
  if (!out.length) throw new TrafficError(`${file}: no InfluxQL statements`, true);
  return out;
}

export function readStatementsFile(file: string): InfluxqlStatement[] {
  try {
    return parseStatements(readFileSync(file, 'utf8'), file);
  } catch (e) {
    if (e instanceof TrafficError) throw e;
    throw new TrafficError(`cannot read --influxql file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, true);
  }
}

const DURATION_NS: Record<string, bigint> = {
  ns: 1n,
  u: 1000n,
  µ: 1000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

/** A statement's text with the server's rendering differences taken out. */
function canonical(q: string): string {
  return (
    q
      .toLowerCase()
      // The server writes durations in their largest whole unit (24h as 1d) and floats with 3 decimals (1.5 as 1.500).
      .replace(/(?<![\w.])(\d+)(ns|ms|u|\u00b5|s|m|h|d|w)(?![\w.])/g, (_m, n: string, unit: string) => `${BigInt(n) * DURATION_NS[unit]!}ns`)
      .replace(/(?<![\w.])(\d+\.\d+)(?![\w.])/g, (x) => String(Number(x)))
      .replace(/["\s;]/g, '')
  );
}

/** The server lists a query as its parsed form (keywords upper-cased, quotes as needed, units and numbers rewritten): compare loosely. */
export function sameQuery(listed: string, ours: string): boolean {
  return canonical(listed) === canonical(ours);
}

/** Go's duration text (1m3.5s, 250ms, 12µs) in ms; NaN when unreadable. */
export function goDurationMs(s: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };
  let total = 0;
  let rest = s.trim();
  if (!rest) return NaN;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|us|\u00b5s|ns|h|m|s)/.exec(rest);
    if (!m) return NaN;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/**
 * Kills the longest-running query on the server that is this statement in its database (the one
 * that has waited longest is the one that timed out first), skipping ids already killed.
 * Returns the id killed, or undefined when none was found.
 */
export async function killStatement(conn: InfluxHttp, s: InfluxqlStatement, killed: Set<number>): Promise<number | undefined> {
  let best: { qid: number; ms: number } | undefined;
  for await (const e of executeQuery(conn, 'SHOW QUERIES')) {
    if (e.type === 'error') throw new TrafficError(`SHOW QUERIES failed: ${e.message}`);
    if (e.type !== 'rows') continue;
    for (const r of e.rows) {
      const [qid, query, database, duration] = [Number(r[0]), String(r[1] ?? ''), String(r[2] ?? ''), goDurationMs(String(r[3] ?? ''))];
      if (!Number.isSafeInteger(qid) || killed.has(qid) || !sameQuery(query, s.text) || database !== (s.database ?? '')) continue;
      if (!best || duration > best.ms) best = { qid, ms: duration };
    }
  }
  if (!best) return undefined;
  killed.add(best.qid);
  for await (const e of executeQuery(conn, `KILL QUERY ${best.qid}`)) {
    if (e.type === 'error' && !/no such query/i.test(e.message)) throw new TrafficError(`KILL QUERY ${best.qid} failed: ${e.message}`);
  }
  return best.qid;
}
