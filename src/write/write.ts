// One line-protocol write over POST /write: the path every writer (insert, import, service,
// simulate) ends in. /write exists on 1.x, on 2.x (v1 compatibility) and on 3.x, so one
// endpoint serves every server; precision `rfc3339` means the server default (ns).
import { statusMessage, type InfluxHttp } from '../connection/http.js';

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

export async function writeLineProtocol(conn: InfluxHttp, t: WriteTarget, body: WriteBody, opts: { gzip?: boolean; signal?: AbortSignal } = {}): Promise<WriteResult> {
  let res;
  try {
    res = await conn.fetchText('/write', {
      method: 'POST',
      params: writeParams(t),
      body,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', ...(opts.gzip ? { 'Content-Encoding': 'gzip' } : {}) },
      signal: opts.signal,
    });
  } catch (e) {
    return { ok: false, status: 0, error: (e as Error).message, retryable: (e as Error).name !== 'AbortError' };
  }
  if (res.status === 204 || res.status === 200) return { ok: true, status: res.status, retryable: false };
  const retryAfter = Number(res.headers['retry-after']);
  return {
    ok: false,
    status: res.status,
    error: statusMessage(res.status, res.text),
    retryable: res.status >= 500 || res.status === 429,
    retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  };
}
