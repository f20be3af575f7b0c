// `influxsh load`: option checks, progress (Ink on a TTY, a line every few seconds otherwise),
// the final report, and --record into InfluxDB.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from './errors.js';
import { parseDuration } from '../connection/settings.js';
import type { CliOptions } from './connect.js';
import { buildTargets } from '../loadgen/targets.js';
import { LoadRun, type LoadReport, type SecondResult } from '../loadgen/load.js';
import { formatLoadReport, progressLine } from '../loadgen/report.js';
import type { BufferedWriter } from '../write/buffered.js';
import { finiteFields, pointLine } from '../write/line-protocol.js';

export interface LoadCommandOptions extends CliOptions {
  connections?: string;
  duration?: string;
  requests?: string;
  rate?: string;
  timeout?: string;
  warmup?: string;
  method?: string;
  header?: string[];
  body?: string;
  json?: boolean;
  record?: boolean;
  runTag?: string;
  insecure?: boolean;
  caCert?: string;
  allowShortfall?: boolean;
}

export function durationOption(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const ms = parseDuration(String(v));
  if (ms === undefined) throw new UserError(`invalid ${name} "${v}": use a duration such as 10s, 500ms or 2m`, 2);
  return ms;
}

export function positiveNumber(v: string | undefined, name: string, opts: { integer?: boolean; allowZero?: boolean } = {}): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  const ok = Number.isFinite(x) && (opts.allowZero ? x >= 0 : x > 0) && (!opts.integer || Number.isSafeInteger(x));
  if (!ok || String(v).trim() === '') throw new UserError(`invalid ${name} "${v}": expected a ${opts.integer ? 'whole ' : ''}number${opts.allowZero ? '' : ' above 0'}`, 2);
  return x;
}

export async function runLoadCommand(urls: string[], o: LoadCommandOptions): Promise<number> {
  const targets = buildTargets(urls, { method: o.method, headers: o.header, body: o.body });
  const connections = positiveNumber(o.connections, '--connections', { integer: true }) ?? 10;
  const requests = positiveNumber(o.requests, '--requests', { integer: true });
  const rate = positiveNumber(o.rate, '--rate');
  const durationMs = durationOption(o.duration, '--duration', 10_000);
  if (durationMs <= 0) throw new UserError('--duration must be above 0', 2);
  const timeoutMs = durationOption(o.timeout, '--timeout', 10_000); // 0 = no timeout
  const warmupMs = durationOption(o.warmup, '--warmup', 0);
  // Each connection keeps to one origin: fewer connections than origins would leave one unloaded.
  const origins = new Set(targets.map((t) => t.origin));
  if (connections < origins.size) throw new UserError(`--connections ${connections} is fewer than the ${origins.size} origins (host:port) of the URLs: each origin needs a connection of its own; use -c ${origins.size} or more`, 2);
  const ca = targets.some((t) => t.tls) && o.caCert ? readCa(o.caCert) : undefined;

  let writer: BufferedWriter | undefined;
  let recordLine: ((s: SecondResult) => void) | undefined;
  if (o.record) ({ writer, recordLine } = await startRecording(o, o.runTag));

  const ac = new AbortController();
  const onSignal = (): void => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const run = new LoadRun({ targets, connections, durationMs, requests, rate, timeoutMs, warmupMs, verifyTls: !o.insecure, ca, signal: ac.signal, onSecond: (s) => recordLine?.(s) });

  let stopView: (() => void) | undefined;
  let ticker: NodeJS.Timeout | undefined;
  if (process.stderr.isTTY) {
    const { showLoadView } = await import('../ui/load-view.js');
    stopView = showLoadView(() => run.snapshot(), process.stderr);
  } else {
    ticker = setInterval(() => process.stderr.write(progressLine(run.snapshot()) + '\n'), 5000);
    ticker.unref();
  }
  let report: LoadReport;
  try {
    report = await run.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (ticker) clearInterval(ticker);
    stopView?.();
  }
  if (o.json) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(formatLoadReport(report));
  if (writer) {
    const st = await writer.close();
    const where = o.database ?? 'loadtest';
    if (st.dropped || st.rejected) process.stderr.write(`--record: ${st.written} per-second results written to ${where}, ${st.dropped + st.rejected} lost (${st.lastError ?? 'unknown error'})\n`);
    else process.stderr.write(`--record: ${st.written} per-second results written to database ${where}, measurement loadtest\n`);
  }
  const k = report.requests;
  if (k.total === 0) process.stderr.write('no request completed\n');
  const tlsErrors = Object.keys(report.errorKinds).filter((e) => /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS/.test(e));
  if (tlsErrors.length) process.stderr.write(`TLS certificate not trusted (${tlsErrors[0]}): pass --ca-cert FILE, or --insecure to skip verification (not secure)\n`);
  if (report.shortfall && !report.interrupted) {
    const pct = Math.round((report.achievedRate! / report.rate!) * 100);
    process.stderr.write(`target rate not achieved: ${report.achievedRate} of ${report.rate} req/s sent (${pct} %); latency includes the wait${o.allowShortfall ? '' : ' (--allow-shortfall exits 0 anyway)'}\n`);
    if (!o.allowShortfall) return 1;
  }
  return k.errors > 0 || k.timeouts > 0 || k.total === 0 ? 1 : 0;
}

async function startRecording(o: LoadCommandOptions, runTag?: string): Promise<{ writer: BufferedWriter; recordLine: (s: SecondResult) => void }> {
  const { connectionFromOptions } = await import('./connect.js');
  const { BufferedWriter, createDatabaseError } = await import('../write/buffered.js');
  const conn = await connectionFromOptions({ ...o, timeout: undefined });
  const database = o.database ?? 'loadtest';
  const error = await createDatabaseError(conn, database);
  if (error) {
    await conn.ping(); // a clear one-line error when the server is unreachable
    process.stderr.write(`load: ${error}; recording anyway (the database may exist already)\n`);
  }
  const writer = new BufferedWriter(conn, { database, retentionPolicy: o.retentionPolicy, precision: 'ms' }, { batchSize: 60, flushIntervalMs: 1000 });
  const run = runTag ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const tags = { host: hostname(), run };
  const recordLine = (s: SecondResult): void => {
    const l = s.latencyMs;
    const fields = { rps: s.rps, requests: { int: s.total }, ok: { int: s.ok }, non2xx: { int: s.non2xx }, errors: { int: s.errors }, timeouts: { int: s.timeouts } };
    const latency = { p50: l.p50, p90: l.p90, p99: l.p99, p999: l.p999, max: l.max, mean: l.mean };
    writer.add(pointLine('loadtest', tags, finiteFields({ ...fields, ...latency }), s.time));
  };
  return { writer, recordLine };
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UserError(`cannot read --ca-cert ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
}
