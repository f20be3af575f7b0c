// `influxsh collect`: host metrics in Telegraf's schema every --interval, through the same
// bounded, retrying writer as the sample service. Runs until stopped or for --duration.
import { hostname } from 'node:os';
import { UserError } from '../cli/errors.js';
import { connectionFromOptions, type CliOptions } from '../cli/connect.js';
import type { InfluxHttp } from '../connection/http.js';
import { BufferedWriter, createDatabaseError, type WriterStats } from '../write/buffered.js';
import { durationOption, positiveNumber } from './load-command.js';
import {
  CpuSampler, diskSamples, diskioSamples, kernelSample, memSample, processesSample, swapSample, systemSample, toLine,
} from './host-metrics.js';

export interface CollectOptions {
  intervalMs?: number;
  database?: string;
  retentionPolicy?: string;
  maxBufferLines?: number;
  /** Added to every point, like Telegraf's [global_tags]. */
  tags?: Record<string, string>;
  log?: (line: string) => void;
}

export interface RunningCollector {
  samples(): number;
  /** Takes a last sample (unless one was just taken), stops, flushes, resolves with the writer's figures. */
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
  const error = await createDatabaseError(conn, database);
  if (error) log(`collect: ${error}; sampling anyway and buffering`);
  const host = hostname();
  const cpu = new CpuSampler();
  let count = 0;
  let lastAt = 0;
  const sampleOnce = (): void => {
    const now = Date.now();
    lastAt = now;
    const samples = [...cpu.sample(), ...diskSamples(), ...diskioSamples(), ...kernelSample(), memSample(), processesSample(), ...swapSample(), systemSample()];
    for (const s of samples) writer.add(toLine(s, host, now, o.tags));
    count++;
  };
  // One sample at once (cpu needs two readings, so its first point comes with the next sample, as in Telegraf).
  sampleOnce();
  const timer = setInterval(sampleOnce, intervalMs);
  let stopping: Promise<WriterStats> | undefined;
  return {
    samples: () => count,
    stop() {
      if (!stopping) {
        clearInterval(timer);
        // The end of the run gets its own sample unless the interval just took one (same millisecond would overwrite).
        if (Date.now() - lastAt >= Math.min(100, intervalMs / 2)) sampleOnce();
        stopping = writer.close();
      }
      return stopping;
    },
  };
}

export interface CollectCommandOptions extends CliOptions {
  interval?: string;
  duration?: string;
  buffer?: string;
  tag?: string[];
}

/** --tag k=v (repeatable) into global tags; a malformed one is a usage error. */
export function parseGlobalTags(specs: string[] = []): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new UserError(`invalid --tag "${spec}": use key=value`, 2);
    tags[spec.slice(0, eq)] = spec.slice(eq + 1);
  }
  return tags;
}

export async function runCollectCommand(o: CollectCommandOptions): Promise<number> {
  const intervalMs = durationOption(o.interval, '--interval', 10_000);
  if (intervalMs < 100) throw new UserError(`invalid --interval "${o.interval}": use at least 100ms`, 2);
  const durationMs = o.duration !== undefined ? durationOption(o.duration, '--duration', 0) : undefined;
  const maxBufferLines = positiveNumber(o.buffer, '--buffer', { integer: true });
  const tags = parseGlobalTags(o.tag);
  const conn = await connectionFromOptions(o);
  const database = o.database ?? 'telegraf';
  const c = await startCollect(conn, { intervalMs, database, retentionPolicy: o.retentionPolicy, maxBufferLines, tags });
  process.stderr.write(`collecting cpu, disk, diskio, kernel, mem, processes, swap and system every ${intervalMs / 1000}s into ${conn.displayUrl} database ${database}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    if (durationMs !== undefined) setTimeout(resolve, durationMs).unref();
  });
  const st = await c.stop();
  conn.close();
  process.stderr.write(`collect: ${c.samples()} samples; ${st.written} points written, ${st.dropped} dropped, ${st.rejected} rejected\n`);
  if (st.written === 0) {
    process.stderr.write(`collect: nothing was written to ${conn.displayUrl} database ${database}\n`);
    return 1;
  }
  return st.dropped + st.rejected > 0 ? 1 : 0;
}
