// Ctrl-C on a running InfluxQL unit, on the server's side: aborting the HTTP request alone would
// leave the query running there, so the unit's query is found in SHOW QUERIES and killed first.
import { splitStatements } from '../influxql/split.js';
import { queryValues } from '../query/execute.js';
import type { Session } from '../core/session.js';

/** Finds the unit's query on the server and kills it, then aborts the request; says what was done. */
export async function killOnServer(session: Readonly<Session>, sent: string, abort: AbortController): Promise<string> {
  let ids: number[] = [];
  let lookupError = '';
  try {
    ids = await findQueryIds(session, sent);
  } catch (e) {
    // The server may be gone; aborting is still right.
    lookupError = (e as Error).message;
  }
  // KILL first: once the request is aborted the server drops the query by itself, and a
  // KILL after that would only report an unknown id.
  const killed: number[] = [];
  for (const id of ids) {
    const r = await queryValues(session.conn, `KILL QUERY ${id}`, { signal: AbortSignal.timeout(5000) }).catch((e: Error) => ({ error: e.message }));
    if (!('error' in r) || !r.error) killed.push(id);
  }
  abort.abort();
  if (killed.length) return `KILL QUERY ${killed.join(', ')} sent`;
  if (lookupError) return `request aborted; could not look the query up on the server: ${lookupError}`;
  return 'request aborted; the server had no matching query left to kill';
}

/** Running queries on the server that are ours: same database and same text, modulo spacing, quoting and case. */
async function findQueryIds(session: Readonly<Session>, text: string): Promise<number[]> {
  const r = await queryValues(session.conn, 'SHOW QUERIES', { signal: AbortSignal.timeout(5000) });
  if (r.error || !r.series[0]) return [];
  const cols = r.series[0].columns;
  const qi = cols.indexOf('query');
  const di = cols.indexOf('database');
  const ii = cols.indexOf('qid');
  const wanted = new Set(splitStatements(text).map(normalizeQuery));
  const db = session.database ?? '';
  const rows = r.series[0].values.filter((v) => !/^SHOW QUERIES/i.test(String(v[qi])));
  let hits = rows.filter((v) => wanted.has(normalizeQuery(String(v[qi]))) && String(v[di] ?? '') === db);
  // The server prints statements its own way (durations, quoting); with exactly one
  // candidate of the same kind on our database, that is ours.
  if (!hits.length) {
    const first = [...wanted].map((w) => w.slice(0, 6));
    const same = rows.filter((v) => String(v[di] ?? '') === db && first.includes(normalizeQuery(String(v[qi])).slice(0, 6)));
    if (same.length === 1) hits = same;
  }
  return hits.map((v) => Number(v[ii])).filter((n) => Number.isInteger(n));
}

/** A statement as compared with SHOW QUERIES' text: no quotes, spaces or semicolons, lower case. */
function normalizeQuery(q: string): string {
  return q.replace(/["'\s;]/g, '').toLowerCase();
}
