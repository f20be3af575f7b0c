// One line-protocol write over POST /write: the path every writer (insert, import, service,
// simulate) ends in. /write exists on 1.x, on 2.x (v1 compatibility) and on 3.x, so one
// endpoint serves every server; precision `rfc3339` means the server default (ns).
import { errorFromBody, statusMessage, type InfluxHttp } from '../connection/http.js';
import { encodeKeepingBytes } from './raw-text.js';

export interface WriteTarget {
  database?: string;
  retentionPolicy?: string;
  /** CLI precision: rfc3339|h|m|s|ms|u|ns. */
  precision?: string;
  consistency?: string;
}

/** Line protocol: text, bytes, or byte ranges sent back to back (e.g. slices of a file read). */
export type WriteBody = string | Buffer | readonly Buffer[];

export interface WriteResult {
  ok: boolean;
  status: number;
  error?: string;
  /** Whether trying again could succeed (network errors, 5xx, 429). */
  retryable: boolean;
  retryAfterMs?: number;
}

export function writeParams(t: WriteTarget): Record<string, string | undefined> {
  return {
    db: t.database ?? '',
    rp: t.retentionPolicy || undefined,
    precision: t.precision && t.precision !== 'rfc3339' ? t.precision : undefined,
    consistency: t.consistency && t.consistency !== 'all' ? t.consistency : undefined,
  };
}

/**
 * A write always has a deadline: without --timeout, a server that accepts the connection and never
 * answers would hold a batch (and the run) for ever. InfluxDB's own write timeout is 10s.
 */
export const DEFAULT_WRITE_TIMEOUT_MS = 60_000;

export async function writeLineProtocol(conn: InfluxHttp, t: WriteTarget, body: WriteBody, opts: { gzip?: boolean; signal?: AbortSignal } = {}): Promise<WriteResult> {
  let res;
  try {
    res = await conn.fetchText('/write', {
      method: 'POST',
      params: writeParams(t),
      // Text from a statement may carry bytes that are not UTF-8 (raw-text.ts): they go out unchanged.
      body: typeof body === 'string' ? encodeKeepingBytes(body) : body,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', ...(opts.gzip ? { 'Content-Encoding': 'gzip' } : {}) },
      signal: opts.signal,
      timeoutMs: conn.settings.timeoutMs || DEFAULT_WRITE_TIMEOUT_MS,
    });
  } catch (e) {
    return { ok: false, status: 0, error: (e as Error).message, retryable: (e as Error).name !== 'AbortError' };
  }
  if (res.status === 204 || (res.status === 200 && isInfluxAnswer(res.headers, res.text))) return { ok: true, status: res.status, retryable: false };
  if (res.status >= 200 && res.status < 300) {
    // A proxy or web server answering in InfluxDB's place: nothing was stored, and retrying will not change that.
    const what = /html/i.test(String(res.headers['content-type'] ?? '')) ? 'an HTML page' : `a body InfluxDB does not send (${errorFromBody(res.text) || 'empty'})`;
    return {
      ok: false,
      status: res.status,
      error: `${conn.displayUrl}/write answered ${res.status} with ${what}, not InfluxDB's 204: nothing was written; check the URL, port and -path-prefix`,
      retryable: false,
    };
  }
  const retryAfter = Number(res.headers['retry-after']);
  const error = statusMessage(res.status, res.text);
  return {
    ok: false,
    status: res.status,
    error,
    // 1.x answers a retention policy that does not exist with a 500, which no retry mends.
    retryable: (res.status >= 500 && !/retention policy not found/i.test(error)) || res.status === 429,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  };
}

/** A 200 to /write counts only when it is InfluxDB's: its version header, or a JSON body without an error. */
function isInfluxAnswer(headers: Record<string, string | string[] | undefined>, text: string): boolean {
  if (headers['x-influxdb-version']) return true;
  const body = text.trim();
  try {
    const j: unknown = JSON.parse(body);
    return typeof j === 'object' && j !== null && (j as { error?: unknown }).error === undefined;
  } catch {
    return false;
  }
}
