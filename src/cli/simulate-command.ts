// The `simulate` subcommand: parses its options, runs the simulator, prints the report.
import { UserError } from './errors.js';
import { connectionFromOptions, type CliOptions } from './connect.js';
import { durationOption, positiveNumber } from './load-command.js';
import { parseDuration } from '../connection/settings.js';
import { createDatabaseError } from '../write/buffered.js';
import { labelledParts, latencyLine, reportJson } from '../loadgen/report.js';
import { simulate, type FieldType, type SimulateReport } from '../loadgen/simulate.js';
import { forTerminal } from '../format/wrap.js';
import { grouped } from '../format/numbers.js';

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
  const error = await createDatabaseError(conn, database);
  if (error) throw new UserError(error);
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
        const line = `[simulate] ${(p.elapsedMs / 1000).toFixed(0)}s  ${grouped(p.written)} points written  ${grouped(Math.round(p.written / (p.elapsedMs / 1000)))} points/s  ${p.failed} failed`;
        process.stderr.write(tty ? `\r\x1b[K${line}` : line + '\n');
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    conn.close();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  if (o.json) process.stdout.write(reportJson(report));
  else {
    const figures: [string, string][] = [
      ['Points:', `${grouped(report.points.written)} written, ${grouped(report.points.failed)} failed`],
      ['Throughput:', `${grouped(report.pps)} points/s over ${report.durationS.toFixed(2)}s`],
      ['Batches:', `${report.batches.ok} ok, ${report.batches.failed} failed, ${report.batches.retries} retries`],
      ['Write latency:', `${latencyLine(report.latencyMs)} (ms)`],
    ];
    for (const [e, n] of Object.entries(report.errors)) figures.push(['Error:', `${e} × ${n}`]);
    process.stdout.write(forTerminal(`Simulated ${measurement} into ${database}: ${report.series} series\n${labelledParts([figures])[0]}`, process.stdout) + '\n');
  }
  return report.points.failed > 0 ? 1 : 0;
}
