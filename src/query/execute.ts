// Runs InfluxQL over HTTP and streams the response as events, chunk by chunk.
import { statusMessage, type InfluxHttp } from '../connection/http.js';
import { parseLossless } from './lossless.js';
import { parseWithRawValues, ScanArena } from './raw-values.js';
import { ResultStitcher, type QueryEvent, type RawResult, type ResponseDoc } from './events.js';
import { ZoneConverter } from './time-zone.js';

export interface QueryOptions {
  database?: string;
  retentionPolicy?: string;
  /** rfc3339 (no epoch) or h|m|s|ms|u|ns. */
  precision?: string;
  chunked?: boolean;
  chunkSize?: number;
  nodeId?: number;
  params?: Record<string, unknown>;
  signal?: AbortSignal;
  /** Deliver rows as JSON text (`rows` events with `text`) for formatters that can use it. */
  rawRows?: boolean;
  /** With precision rfc3339: show times in this IANA zone (resolveTimeZone) instead of UTC. */
  timeZone?: string;
}

export function queryParams(q: string, o: QueryOptions): Record<string, string | undefined> {
  return {
    q,
    db: o.database ?? '',
    rp: o.retentionPolicy || undefined,
    epoch: o.precision && o.precision !== 'rfc3339' ? o.precision : undefined,
    chunked: o.chunked === false ? undefined : 'true',
    chunk_size: o.chunked !== false && o.chunkSize && o.chunkSize > 0 ? String(o.chunkSize) : undefined,
    node_id: o.nodeId ? String(o.nodeId) : undefined,
    params: o.params ? JSON.stringify(o.params) : undefined,
  };
}

/**
 * Sends the statement(s) as one POST /query (q in the form body, so a 1 MB statement is fine)
 * and yields events as each chunk arrives. Request failures become an error event with id null;
 * connection failures throw.
 */
export async function* executeQuery(conn: InfluxHttp, q: string, opts: QueryOptions = {}): AsyncGenerator<QueryEvent> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(queryParams(q, opts))) if (v !== undefined) body.set(k, v);
  const res = await conn.streamLines('/query', {
    method: 'POST',
    body: body.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    signal: opts.signal,
  });
  conn.assertInflux(res);
  if (res.status !== 200) {
    yield { type: 'error', id: null, message: requestErrorMessage(res.status, await res.text()) };
    return;
  }
  const stitcher = new ResultStitcher();
  const out: QueryEvent[] = [];
  const zone = opts.timeZone && opts.timeZone !== 'UTC' && (!opts.precision || opts.precision === 'rfc3339') ? new ZoneConverter(opts.timeZone) : null;
  // A line and its scans are reused for the next line (see QueryEvent `rows`).
  const arena = new ScanArena();
  // Each line of the body is one JSON document (one chunk of results).
  for await (const bytes of res.lines()) {
    let doc: ResponseDoc | null = null;
    try {
      // Times to convert need parsed rows.
      if (opts.rawRows && !zone) doc = parseWithRawValues(bytes, arena) as ResponseDoc | null;
      if (doc === null) {
        const line = bytes.toString('utf8');
        if (!line.trim()) continue;
        doc = parseLossless(line) as ResponseDoc;
      }
    } catch {
      const line = bytes.toString('utf8');
      if (!line.trim()) continue;
      yield { type: 'error', id: null, message: `unexpected response from server: ${line.slice(0, 200)}` };
      res.destroy();
      return;
    }
    if (zone) for (const r of doc.results ?? []) convertTimes(r, zone);
    stitcher.push(doc, out);
    for (const e of out) yield e;
    out.length = 0;
  }
  stitcher.finish(out);
  for (const e of out) yield e;
}

/** The time column (always the first, as the server puts it) in the display zone. */
function convertTimes(r: RawResult, zone: ZoneConverter): void {
  for (const s of r.series ?? []) {
    if (s.columns?.[0] !== 'time' || !s.values) continue;
    for (const row of s.values) if (typeof row[0] === 'string') row[0] = zone.convert(row[0]);
  }
}

/** HTTP error statuses are worded in one place (connection/http.ts). */
export const requestErrorMessage = statusMessage;

/** Collects a whole (small) result, for metadata queries such as SHOW DATABASES. */
export async function queryValues(
  conn: InfluxHttp,
  q: string,
  opts: QueryOptions = {},
): Promise<{ series: { name?: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[]; error?: string }> {
  const series: { name?: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[] = [];
  let error: string | undefined;
  for await (const e of executeQuery(conn, q, opts)) {
    if (e.type === 'series') series.push({ name: e.name, tags: e.tags, columns: e.columns, values: [] });
    else if (e.type === 'rows') for (const r of e.rows) series[series.length - 1]!.values.push(r);
    else if (e.type === 'error') error ??= e.message;
  }
  return { series, error };
}
