// `influxsh simulate`: synthetic points written straight to InfluxDB, like influxdata/inch.
// Series are every combination of the tag cardinalities; each round writes one point per series
// with its own timestamp (now, or spread from --start to now when backfilling), so every point
// accepted is a distinct stored point.
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { escape } from '@influxdata/influxdb-client';
import { UserError } from '../cli/errors.js';
import { connectionFromOptions, type CliOptions } from '../cli/connect.js';
import { parseDuration } from '../connection/settings.js';
import type { InfluxHttp } from '../connection/http.js';
import { Outage, writeWithRetry } from '../write/retry.js';
import { DEFAULT_WRITE_TIMEOUT_MS } from '../write/write.js';
import { createDatabase } from '../write/buffered.js';
import { durationOption, positiveNumber } from './load-command.js';
import { newHistogram, summarize, type LatencySummary } from './histogram.js';
import { latencyLine } from './report.js';
import { UniqueClock } from './clock.js';
import { batchBuilder, STAMP_WIDTH } from './simulate-batches.js';

const gzip = promisify(gzipCb);

export interface SimulateCommandOptions extends CliOptions {
  measurement?: string;
  tags?: string;
  fields?: string;
  points?: string;
  duration?: string;
  pps?: string;
  batchSize?: string;
  concurrency?: string;
  start?: string;
  gzip?: boolean;
  json?: boolean;
}

export interface SimulateOptions {
  database: string;
  retentionPolicy?: string;
  measurement: string;
  tags: { key: string; cardinality: number }[];
  fields: { name: string; type: FieldType }[];
  points?: number;
  durationMs?: number;
  pps?: number;
  batchSize: number;
  concurrency: number;
  /** Backfill start, epoch ms. */
  startMs?: number;
  gzip: boolean;
  onProgress?: (p: { written: number; failed: number; elapsedMs: number }) => void;
  signal?: AbortSignal;
}

export interface SimulateReport {
  pps: number;
  durationS: number;
  series: number;
  points: { written: number; failed: number };
  batches: { ok: number; failed: number; retries: number };
  errors: Record<string, number>;
  latencyMs: LatencySummary;
}

type FieldType = 'float' | 'int' | 'string' | 'bool';

export function parseTags(spec: string): { key: string; cardinality: number }[] {
  if (spec.trim() === '') return [];
  return spec.split(',').map((part) => {
    const m = /^([^=]+)=(\d+)$/.exec(part.trim());
    const cardinality = m ? Number(m[2]) : 0;
    if (!m || cardinality < 1) throw new UserError(`invalid --tags "${spec}": use key=cardinality pairs, e.g. host=10,url=2`, 2);
    return { key: m[1]!, cardinality };
  });
}

export function parseFields(spec: string): { name: string; type: FieldType }[] {
  const out = spec.split(',').map((part) => {
    const [name, type = 'float'] = part.trim().split(':');
    if (!name || !['float', 'int', 'string', 'bool'].includes(type)) throw new UserError(`invalid --fields "${spec}": use name[:float|int|string|bool],…`, 2);
    return { name, type: type as FieldType };
  });
  if (!out.length) throw new UserError('--fields needs at least one field', 2);
  return out;
}

function tagValue(key: string, i: number): string {
  if (key === 'url') return i === 0 ? '/api/hello' : i === 1 ? '/api/world' : `/api/path${i}`;
  return `${key}-${i}`;
}

/** Line-protocol prefixes ("measurement,tags ") for every series. */
function seriesPrefixes(measurement: string, tags: { key: string; cardinality: number }[]): string[] {
  let out = [escape.measurement(measurement)];
  const sorted = [...tags].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const t of sorted) {
    const next: string[] = [];
    for (const p of out) for (let i = 0; i < t.cardinality; i++) next.push(`${p},${escape.tag(t.key)}=${escape.tag(tagValue(t.key, i))}`);
    out = next;
  }
  return out.map((p) => p + ' ');
}

/** Random values, formatted and encoded once: copying pre-encoded bytes is far cheaper than formatting. */
function table(make: () => string): Buffer[] {
  return Array.from({ length: 4096 }, () => Buffer.from(make()));
}

/** For each field, the encoded ",key=value" choices (the first field has no comma). */
function fieldTables(fields: { name: string; type: FieldType }[]): Buffer[][] {
  return fields.map((f, idx) => {
    const key = (idx ? ',' : '') + escape.tag(f.name) + '=';
    if (f.name === 'num_requests' && f.type === 'float') return [Buffer.from(key + '1')];
    if (f.name === 'latency' && f.type === 'float') return table(() => key + (0.2 + -Math.log(1 - Math.random()) * 2).toFixed(3));
    switch (f.type) {
      case 'int':
        return table(() => key + Math.floor(Math.random() * 1000) + 'i');
      case 'string':
        return table(() => key + '"v' + Math.floor(Math.random() * 100) + '"');
      case 'bool':
        return [Buffer.from(key + 't'), Buffer.from(key + 'f')];
      default:
        return table(() => key + (Math.random() * 100).toFixed(3));
    }
  });
}

export async function simulate(conn: InfluxHttp, o: SimulateOptions): Promise<SimulateReport> {
  const prefixes = seriesPrefixes(o.measurement, o.tags).map((p) => Buffer.from(p));
  const series = prefixes.length;
  const clock = new UniqueClock();
  const rounds = o.points !== undefined ? Math.ceil(o.points / series) : 0;
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const startNs = o.startMs !== undefined ? BigInt(Math.floor(o.startMs)) * 1_000_000n : 0n;
  const stepNs = o.startMs !== undefined && rounds > 0 ? (nowNs - startNs) / BigInt(rounds) : 0n;
  if (o.startMs !== undefined && stepNs < 1n) throw new UserError('--start is too recent for that many points: pick an earlier time', 2);
  const wide = (ns: bigint): boolean => String(ns).length === STAMP_WIDTH;
  const builder = batchBuilder({
    prefixes,
    fieldTables: fieldTables(o.fields),
    stamp: o.startMs !== undefined ? (round) => String(startNs + BigInt(round) * stepNs) : () => clock.next(),
    // Client clock timestamps stay 19 digits until 2286; a backfill may start before 2001.
    fixedWidthStamps: wide(nowNs) && (o.startMs === undefined || wide(startNs)),
  });

  let generated = 0;
  const started = performance.now();
  const endAt = o.durationMs !== undefined && o.points === undefined ? started + o.durationMs : Infinity;
  const more = (): boolean => (o.points !== undefined ? generated < o.points : performance.now() < endAt) && !o.signal?.aborted;

  const hist = newHistogram();
  const report: SimulateReport = { pps: 0, durationS: 0, series, points: { written: 0, failed: 0 }, batches: { ok: 0, failed: 0, retries: 0 }, errors: {}, latencyMs: summarize(hist) };
  const target = { database: o.database, retentionPolicy: o.retentionPolicy, precision: 'ns' };
  const ticker = o.onProgress ? setInterval(() => o.onProgress!({ written: report.points.written, failed: report.points.failed, elapsedMs: performance.now() - started }), 2000) : undefined;
  ticker?.unref();

  // One outage for all workers: the 30s retry budget is spent once while InfluxDB is away.
  const outage = new Outage();
  const worker = async (): Promise<void> => {
    // Each worker reuses one buffer: its previous body is done with once its write has returned.
    let chunk: Buffer | undefined;
    while (more()) {
      const count = o.points !== undefined ? Math.min(o.batchSize, o.points - generated) : o.batchSize;
      generated += count;
      const built = builder.next(count, chunk);
      chunk = built.chunk;
      const body = built.body;
      if (o.pps) {
        const due = started + (generated / o.pps) * 1000 - performance.now();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
      }
      const payload = o.gzip ? await gzip(body) : body;
      const t0 = performance.now();
      const r = await writeWithRetry(conn, target, payload, {
        gzip: o.gzip,
        policy: { deadlineMs: 30_000, maxDelayMs: 1000 },
        signal: o.signal,
        outage,
        onRetry: () => report.batches.retries++,
      });
      hist.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      if (r.ok) {
        report.points.written += count;
        report.batches.ok++;
      } else {
        report.points.failed += count;
        report.batches.failed++;
        const key = r.error ?? `status ${r.status}`;
        report.errors[key] = (report.errors[key] ?? 0) + 1;
        if (r.status === 0 && !r.retryable) break;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency }, worker));
  } finally {
    if (ticker) clearInterval(ticker);
  }
  const durationS = Math.max(0.001, (performance.now() - started) / 1000);
  report.durationS = Math.round(durationS * 1000) / 1000;
  report.pps = Math.round(report.points.written / durationS);
  report.latencyMs = summarize(hist);
  return report;
}

function parseStart(v: string): number {
  const ago = /^\d+(\.\d+)?(ms|s|m|h)?$/.test(v.trim()) ? parseDuration(v) : undefined;
  const t = ago !== undefined ? Date.now() - ago : Date.parse(v);
  if (Number.isNaN(t)) throw new UserError(`invalid --start "${v}": use RFC3339 (2024-01-01T00:00:00Z) or a duration ago (24h)`, 2);
  if (t >= Date.now()) throw new UserError(`--start "${v}" is not in the past`, 2);
  return t;
}

export async function runSimulateCommand(o: SimulateCommandOptions): Promise<number> {
  const measurement = o.measurement ?? 'serviceA';
  const tags = parseTags(o.tags ?? 'host=10,url=2');
  const fields = parseFields(o.fields ?? 'latency,num_requests');
  const points = positiveNumber(o.points, '--points', { integer: true });
  const durationMs = o.duration !== undefined ? durationOption(o.duration, '--duration', 0) : undefined;
  const pps = positiveNumber(o.pps, '--pps');
  const batchSize = positiveNumber(o.batchSize, '--batch-size', { integer: true }) ?? 5000;
  const concurrency = positiveNumber(o.concurrency, '--concurrency', { integer: true }) ?? 4;
  let startMs: number | undefined;
  if (o.start !== undefined) {
    startMs = parseStart(o.start);
    if (points === undefined) throw new UserError('--start needs --points, so the timestamps can be spread from the start to now', 2);
  }
  const series = tags.reduce((n, t) => n * t.cardinality, 1);
  if (series > 10_000_000) throw new UserError(`--tags "${o.tags}" makes ${series} series; keep it under 10,000,000`, 2);
  const conn = await connectionFromOptions(o);
  const database = o.database ?? 'service';
  if (!(await createDatabase(conn, database))) {
    await conn.ping(DEFAULT_WRITE_TIMEOUT_MS);
    throw new UserError(`cannot create database "${database}" at ${conn.displayUrl}`);
  }
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const tty = process.stderr.isTTY;
  let report: SimulateReport;
  try {
    report = await simulate(conn, {
      database,
      retentionPolicy: o.retentionPolicy,
      measurement,
      tags,
      fields,
      points: points ?? (durationMs === undefined ? 100_000 : undefined),
      durationMs,
      pps,
      batchSize,
      concurrency,
      startMs,
      gzip: !!o.gzip,
      signal: ac.signal,
      onProgress: (p) => {
        const line = `[simulate] ${(p.elapsedMs / 1000).toFixed(0)}s  ${p.written.toLocaleString('en-US')} points written  ${Math.round(p.written / (p.elapsedMs / 1000)).toLocaleString('en-US')} points/s  ${p.failed} failed`;
        process.stderr.write(tty ? `\r\x1b[K${line}` : line + '\n');
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    conn.close();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  if (o.json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    const lines = [
      `Simulated ${measurement} into ${database}: ${report.series} series`,
      `  Points:        ${report.points.written.toLocaleString('en-US')} written, ${report.points.failed.toLocaleString('en-US')} failed`,
      `  Throughput:    ${report.pps.toLocaleString('en-US')} points/s over ${report.durationS.toFixed(2)}s`,
      `  Batches:       ${report.batches.ok} ok, ${report.batches.failed} failed, ${report.batches.retries} retries`,
      `  Write latency: ${latencyLine(report.latencyMs)} (ms)`,
    ];
    for (const [e, n] of Object.entries(report.errors)) lines.push(`  Error:         ${e} × ${n}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return report.points.failed > 0 ? 1 : 0;
}
