// Runs InfluxQL over HTTP and streams the response as events, chunk by chunk.
import { errorFromBody, type InfluxHttp } from '../connection/http.js';
import { parseLossless } from './lossless.js';
import { parseWithRawValues } from './raw-values.js';
import { ResultStitcher, type QueryEvent } from './events.js';

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
  const res = await conn.request('/query', {
    method: 'POST',
    body: body.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    signal: opts.signal,
  });
  conn.assertInflux(res);
  const status = res.statusCode ?? 0;
  if (status !== 200) {
    const parts: Buffer[] = [];
    for await (const c of res) parts.push(c as Buffer);
    const text = Buffer.concat(parts).toString('utf8');
    yield { type: 'error', id: null, message: requestErrorMessage(status, text) };
    return;
  }
  const stitcher = new ResultStitcher();
  const out: QueryEvent[] = [];
  const decodeLine = (bytes: Buffer): boolean => {
    let doc: any = null;
    try {
      if (opts.rawRows) doc = parseWithRawValues(bytes);
      if (doc === null) {
        const line = bytes.toString('utf8');
        if (!line.trim()) return true;
        doc = parseLossless(line);
      }
    } catch {
      const line = bytes.toString('utf8');
      if (!line.trim()) return true;
      out.push({ type: 'error', id: null, message: `unexpected response from server: ${line.slice(0, 200)}` });
      return false;
    }
    stitcher.push(doc, out);
    return true;
  };
  // Chunks are newline-terminated JSON documents. Bytes are kept as Buffers until a newline
  // arrives (only the new piece is searched); a newline never splits UTF-8.
  let pieces: Buffer[] = [];
  for await (const chunk of res as AsyncIterable<Buffer>) {
    let from = 0;
    let nl = chunk.indexOf(10);
    while (nl >= 0) {
      pieces.push(chunk.subarray(from, nl));
      const line = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
      pieces = [];
      if (!decodeLine(line)) {
        for (const e of out.splice(0)) yield e;
        res.destroy();
        return;
      }
      from = nl + 1;
      nl = chunk.indexOf(10, from);
    }
    if (from < chunk.length) pieces.push(chunk.subarray(from));
    if (out.length) {
      const batch = out.splice(0);
      for (const e of batch) yield e;
    }
  }
  if (pieces.length) decodeLine(Buffer.concat(pieces));
  stitcher.finish(out);
  for (const e of out) yield e;
}

export function requestErrorMessage(status: number, body: string): string {
  if (status === 401 || status === 403) {
    const msg = errorFromBody(body);
    return `authentication failed${msg ? `: ${msg}` : ''} (check the username and password, or --token)`;
  }
  const msg = errorFromBody(body);
  return msg || `received status code ${status} from server`;
}

/** Collects a whole (small) result, for metadata queries such as SHOW DATABASES. */
export async function queryValues(conn: InfluxHttp, q: string, opts: QueryOptions = {}): Promise<{ series: { name?: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[]; error?: string }> {
  const series: { name?: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[] = [];
  let error: string | undefined;
  for await (const e of executeQuery(conn, q, opts)) {
    if (e.type === 'series') series.push({ name: e.name, tags: e.tags, columns: e.columns, values: [] });
    else if (e.type === 'rows') for (const r of e.rows) series[series.length - 1]!.values.push(r);
    else if (e.type === 'error') error ??= e.message;
  }
  return { series, error };
}
