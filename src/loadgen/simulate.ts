// `influxsh simulate`: synthetic points written straight to InfluxDB, like influxdata/inch.
// Series are every combination of the tag cardinalities; each round writes one point per series
// with its own timestamp (now, or spread from --start to now when backfilling), so every point
// accepted is a distinct stored point.
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { TrafficError } from './errors.js';
import type { InfluxHttp } from '../connection/http.js';
import { Outage, writeWithRetry } from '../write/retry.js';
import { newHistogram, summarize, type LatencySummary } from './histogram.js';
import { UniqueClock } from './clock.js';
import { fieldKey, fieldValue, seriesKey } from '../write/line-protocol.js';
import { batchBuilder, STAMP_WIDTH } from './simulate-batches.js';

const gzip = promisify(gzipCb);

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

export type FieldType = 'float' | 'int' | 'string' | 'bool';

function tagValue(key: string, i: number): string {
  if (key === 'url') return i === 0 ? '/api/hello' : i === 1 ? '/api/world' : `/api/path${i}`;
  return `${key}-${i}`;
}

/** Line-protocol prefixes ("measurement,tags ") for every series, in the order of the sorted tag keys' values. */
export function seriesPrefixes(measurement: string, tags: { key: string; cardinality: number }[]): string[] {
  let combos: Record<string, string>[] = [{}];
  const sorted = [...tags].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const t of sorted) {
    const next: Record<string, string>[] = [];
    for (const c of combos) for (let i = 0; i < t.cardinality; i++) next.push({ ...c, [t.key]: tagValue(t.key, i) });
    combos = next;
  }
  return combos.map((c) => seriesKey(measurement, c) + ' ');
}

/** Random values, formatted and encoded once: copying pre-encoded bytes is far cheaper than formatting. */
function table(make: () => string): Buffer[] {
  return Array.from({ length: 4096 }, () => Buffer.from(make()));
}

/** For each field, the encoded ",key=value" choices (the first field has no comma). */
function fieldTables(fields: { name: string; type: FieldType }[]): Buffer[][] {
  return fields.map((f, idx) => {
    const key = (idx ? ',' : '') + fieldKey(f.name) + '=';
    // Floats with three decimals: as many bytes per point as the service writes.
    const float3 = (x: number): string => key + x.toFixed(3);
    if (f.name === 'num_requests' && f.type === 'float') return [Buffer.from(key + fieldValue(f.name, 1))];
    if (f.name === 'latency' && f.type === 'float') return table(() => float3(0.2 + -Math.log(1 - Math.random()) * 2));
    switch (f.type) {
      case 'int':
        return table(() => key + fieldValue(f.name, { int: Math.floor(Math.random() * 1000) }));
      case 'string':
        return table(() => key + fieldValue(f.name, 'v' + Math.floor(Math.random() * 100)));
      case 'bool':
        return [Buffer.from(key + fieldValue(f.name, true)), Buffer.from(key + fieldValue(f.name, false))];
      default:
        return table(() => float3(Math.random() * 100));
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
  if (o.startMs !== undefined && stepNs < 1n) throw new TrafficError('--start is too recent for that many points: pick an earlier time', true);
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
