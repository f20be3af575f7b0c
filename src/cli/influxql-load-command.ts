// `influxsh load --influxql FILE`: replays InfluxQL statements against the connected InfluxDB.
import { UserError } from './errors.js';
import { connectionFromOptions } from './connect.js';
import { durationOption, positiveNumber, type LoadCommandOptions } from './load-command.js';
import { startRecording } from './load-record.js';
import { readStatementsFile } from '../loadgen/influxql-statements.js';
import { runInfluxqlLoad } from '../loadgen/influxql-load.js';
import { formatInfluxqlReport } from '../loadgen/influxql-report.js';
import { reportJson } from '../loadgen/report.js';

export interface InfluxqlLoadCommandOptions extends LoadCommandOptions {
  influxql?: string;
}

export async function runInfluxqlLoadCommand(urls: string[], o: InfluxqlLoadCommandOptions): Promise<number> {
  if (urls.length || o.targets !== undefined) throw new UserError('--influxql sends its statements to InfluxDB (the connection options), not to target URLs or --targets', 2);
  if (o.latencyCorrection) throw new UserError("--latency-correction is for HTTP targets (wrk's correction of the closed model), not --influxql", 2);
  const statements = readStatementsFile(o.influxql!);
  const concurrency = positiveNumber(o.connections, '--connections', { integer: true }) ?? 10;
  const requests = positiveNumber(o.requests, '--requests', { integer: true });
  const rate = positiveNumber(o.rate, '--rate');
  const durationMs = durationOption(o.duration, '--duration', 10_000);
  if (durationMs <= 0) throw new UserError('--duration must be above 0', 2);
  const timeoutMs = durationOption(o.timeout, '--timeout', 10_000);
  // The queries' timeout is --timeout, handled per query (with KILL QUERY), not the transport's.
  const conn = await connectionFromOptions({ ...o, timeout: undefined });
  const recording = o.record ? await startRecording(o) : undefined;
  const ac = new AbortController();
  const onSignal = (): void => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const report = await runInfluxqlLoad({ conn, statements, concurrency, rate, durationMs, requests, timeoutMs, signal: ac.signal, onSecond: recording?.onSecond });
    process.stdout.write(o.json ? reportJson(report) : formatInfluxqlReport(report, conn.displayUrl));
    const lost = (await recording?.close()) ?? 0;
    const k = report.requests;
    if (k.total === 0) process.stderr.write('no query completed\n');
    return k.errors || k.timeouts || k.non2xx || !k.total || lost ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    conn.close();
  }
}
