// `influxsh collect`: host metrics in Telegraf's schema every --interval, through the same
// bounded, retrying writer as the sample service. Runs until stopped or for --duration.
import { hostname } from 'node:os';
import { UserError } from '../cli/errors.js';
import { connectionFromOptions, type CliOptions } from '../cli/connect.js';
import type { InfluxHttp } from '../connection/http.js';
import { BufferedWriter, createDatabase, type WriterStats } from '../write/buffered.js';
import { durationOption, positiveNumber } from './load-command.js';
import { CpuSampler, diskSamples, memSample, processesSample, systemSample, toLine } from './host-metrics.js';

export interface CollectOptions {
  intervalMs?: number;
  database?: string;
  retentionPolicy?: string;
  maxBufferLines?: number;
  log?: (line: string) => void;
}

export interface RunningCollector {
  samples(): number;
  /** Takes a sample now (as at the end of --duration). */
  sampleNow(): void;
  /** Stops sampling, flushes, resolves with the writer's figures. */
  stop(): Promise<WriterStats>;
}

export async function startCollect(conn: InfluxHttp, o: CollectOptions = {}): Promise<RunningCollector> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const database = o.database ?? 'telegraf';
  const intervalMs = o.intervalMs ?? 10_000;
  const writer = new BufferedWriter(conn, { database, retentionPolicy: o.retentionPolicy, precision: 'ms' }, {
    batchSize: 1000,
    flushIntervalMs: Math.min(1000, intervalMs),
    maxBufferLines: o.maxBufferLines ?? 100_000,
    onStatus: (e) => {
      if (e.kind === 'unavailable') log(`collect: InfluxDB at ${conn.displayUrl} is unavailable (${e.error}); buffering`);
      else if (e.kind === 'recovered') log('collect: InfluxDB is back; writing buffered points');
      else if (e.kind === 'dropped') log(`collect: dropped ${e.lines} points: ${e.reason}`);
      else log(`collect: InfluxDB rejected ${e.lines} points: ${e.error}`);
    },
  });
  if (!(await createDatabase(conn, database))) log(`collect: InfluxDB at ${conn.displayUrl} is not reachable yet; sampling anyway and buffering`);
  const host = hostname();
  const cpu = new CpuSampler();
  let count = 0;
  const sampleOnce = (): void => {
    const now = Date.now();
    for (const s of [...cpu.sample(), memSample(), systemSample(), ...diskSamples(), processesSample()]) writer.add(toLine(s, host, now));
    count++;
  };
  // One sample at once, so a run shorter than the interval still records the host (cpu usage
  // needs two readings, so it starts with the second sample, as Telegraf's does).
  sampleOnce();
  const timer = setInterval(sampleOnce, intervalMs);
  let stopping: Promise<WriterStats> | undefined;
  return {
    samples: () => count,
    sampleNow: sampleOnce,
    stop() {
      stopping ??= (clearInterval(timer), writer.close());
      return stopping;
    },
  };
}

export interface CollectCommandOptions extends CliOptions {
  interval?: string;
  duration?: string;
  buffer?: string;
}

export async function runCollectCommand(o: CollectCommandOptions): Promise<number> {
  const intervalMs = durationOption(o.interval, '--interval', 10_000);
  if (intervalMs < 100) throw new UserError(`invalid --interval "${o.interval}": use at least 100ms`, 2);
  const durationMs = o.duration !== undefined ? durationOption(o.duration, '--duration', 0) : undefined;
  const maxBufferLines = positiveNumber(o.buffer, '--buffer', { integer: true });
  const conn = await connectionFromOptions(o);
  const database = o.database ?? 'telegraf';
  const c = await startCollect(conn, { intervalMs, database, retentionPolicy: o.retentionPolicy, maxBufferLines });
  process.stderr.write(`collecting cpu, mem, system, disk and processes every ${intervalMs / 1000}s into ${conn.displayUrl} database ${database}\n`);
  const ended = await new Promise<'signal' | 'duration'>((resolve) => {
    process.once('SIGINT', () => resolve('signal'));
    process.once('SIGTERM', () => resolve('signal'));
    if (durationMs !== undefined) setTimeout(() => resolve('duration'), durationMs).unref();
  });
  if (ended === 'duration') c.sampleNow(); // the end of --duration is sampled too
  const st = await c.stop();
  conn.close();
  process.stderr.write(`collect: ${c.samples()} samples; ${st.written} points written, ${st.dropped} dropped, ${st.rejected} rejected\n`);
  if (st.written === 0) {
    process.stderr.write(`collect: nothing was written to ${conn.displayUrl} database ${database}\n`);
    return 1;
  }
  return st.dropped + st.rejected > 0 ? 1 : 0;
}
