// Sends one import batch so that every record ends up either written or rejected with a reason:
// transient failures are retried (writeWithRetry), and a batch the server refuses in part is
// narrowed down to the records at fault, by the server's parse messages or by bisection.
// Re-sending points that already landed is harmless: a point with the same series and time
// overwrites itself with the same values.
import type { InfluxHttp } from '../connection/http.js';
import type { WriteTarget, WriteResult } from '../write/write.js';
import { writeWithRetry, type Outage, type RetryPolicy } from '../write/retry.js';
import { splitRecords, type RecordText } from './records.js';

export interface Batch {
  target: WriteTarget;
  /** The records, sent back to back; joined only when records must be told apart. */
  body: readonly Buffer[];
  points: number;
  /** The input line each record starts on, in order. */
  lines: Int32Array;
}

export interface Rejection {
  line: number;
  text: Buffer;
  error: string;
}

export interface SendOutcome {
  written: number;
  rejected: Rejection[];
}

export interface SendOptions {
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** The run's outage: the retry budget is for the whole run, not per batch. */
  outage?: Outage;
  onRetry?: (r: WriteResult, attempt: number, delayMs: number) => void;
}

const PARSE_ENTRY = "unable to parse '";

export async function sendBatch(conn: InfluxHttp, batch: Batch, opts: SendOptions = {}): Promise<SendOutcome> {
  const r = await attempt(conn, batch.target, batch.body, opts);
  if (r.ok) return { written: batch.points, rejected: [] };
  const records = batchRecords(batch);
  if (!narrowable(r)) return { written: 0, rejected: rejectAll(records, finalError(r)) };
  const out: SendOutcome = { written: 0, rejected: [] };
  await resolve(conn, batch.target, records, r, opts, out);
  return out;
}

/**
 * The records of a batch with their input line numbers: only needed once the server refused it.
 * They are a copy, since the batch's buffer is reused once the batch is done.
 */
export function batchRecords(batch: Batch): RecordText[] {
  const records = splitRecords(Buffer.concat(batch.body), 1);
  for (let k = 0; k < records.length; k++) records[k]!.line = batch.lines[k] ?? records[k]!.line;
  return records;
}

function attempt(conn: InfluxHttp, target: WriteTarget, body: readonly Buffer[], opts: SendOptions) {
  return writeWithRetry(conn, target, body, { policy: opts.policy, signal: opts.signal, outage: opts.outage, onRetry: opts.onRetry });
}

/** 400 (bad or conflicting points) and 413 (too large) depend on which records are sent. */
function narrowable(r: WriteResult): boolean {
  return !r.retryable && (r.status === 400 || r.status === 413);
}

function finalError(r: WriteResult & { attempts?: number }): string {
  const msg = r.error || `status ${r.status}`;
  return r.retryable ? `gave up after ${r.attempts ?? 1} attempts: ${msg}` : msg;
}

function rejectAll(records: RecordText[], error: string): Rejection[] {
  return records.map((r) => ({ line: r.line, text: r.text, error }));
}

async function resolve(conn: InfluxHttp, target: WriteTarget, records: RecordText[], r: WriteResult, opts: SendOptions, out: SendOutcome): Promise<void> {
  if (records.length === 1) {
    out.rejected.push({ line: records[0]!.line, text: records[0]!.text, error: singleError(r.error ?? `status ${r.status}`) });
    return;
  }
  // Every point parsed but none was kept (e.g. all conflict with existing field types).
  const dropped = /^partial write: (?![\s\S]*unable to parse)[\s\S]* dropped=(\d+)$/.exec(r.error ?? '');
  if (dropped && Number(dropped[1]) === records.length) {
    out.rejected.push(...rejectAll(records, singleError(r.error!)));
    return;
  }
  const named = r.status === 400 ? parseFailures(r.error ?? '', records) : undefined;
  if (named) {
    out.written += records.length - named.length;
    out.rejected.push(...named);
    return;
  }
  const mid = records.length >> 1;
  for (const half of [records.slice(0, mid), records.slice(mid)]) {
    const body = joinRecords(half);
    const h = await attempt(conn, target, body, opts);
    if (h.ok) out.written += half.length;
    else if (narrowable(h)) await resolve(conn, target, half, h, opts, out);
    else out.rejected.push(...rejectAll(half, finalError(h)));
  }
}

const NEWLINE = Buffer.from('\n');

function joinRecords(records: RecordText[]): Buffer[] {
  const parts: Buffer[] = [];
  for (const r of records) parts.push(r.text, NEWLINE);
  return parts;
}

/** A single record's error without the batch framing ("partial write: … dropped=1"). */
function singleError(e: string): string {
  const m = /^partial write: ([\s\S]*?)(?: dropped=\d+)?$/.exec(e);
  const core = m ? m[1]! : e;
  const p = /^unable to parse '[\s\S]*': ([^']*)$/.exec(core);
  return p ? `unable to parse: ${p[1]}` : core;
}

/**
 * When a batch failed only because some lines do not parse, InfluxDB names each of them
 * ("unable to parse '<line>': reason") and writes the rest (dropped=0). Returns the named records
 * if every name matches a record, else undefined (then bisection finds them).
 */
function parseFailures(error: string, records: RecordText[]): Rejection[] | undefined {
  let text: string;
  const partial = /^partial write: ([\s\S]*) dropped=0$/.exec(error);
  if (partial) text = partial[1]!;
  else if (error.startsWith(PARSE_ENTRY)) text = error;
  else return undefined;
  if (!text.startsWith(PARSE_ENTRY)) return undefined;
  const entries = text.slice(PARSE_ENTRY.length).split('\n' + PARSE_ENTRY);
  // Without "partial write", nothing was written: every record must be named.
  if (!partial && entries.length !== records.length) return undefined;
  const byText = new Map<string, RecordText[]>();
  for (const r of records) {
    const k = r.text.toString('utf8');
    const list = byText.get(k);
    if (list) list.push(r);
    else byText.set(k, [r]);
  }
  const out: Rejection[] = [];
  for (const e of entries) {
    const cut = e.lastIndexOf("': ");
    if (cut < 0) return undefined;
    const list = byText.get(e.slice(0, cut));
    const rec = list?.shift();
    if (!rec) return undefined;
    out.push({ line: rec.line, text: rec.text, error: `unable to parse: ${e.slice(cut + 3)}` });
  }
  out.sort((a, b) => a.line - b.line);
  return out;
}
