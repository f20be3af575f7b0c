// `influxsh collect`: host metrics in Telegraf's schema every --interval, through the same
// bounded, retrying writer as the sample service. Runs until stopped or for --duration.
import { hostname } from 'node:os';
import type { InfluxHttp } from '../connection/http.js';
import { BufferedWriter, createDatabaseError, type WriterStats } from '../write/buffered.js';
import { CpuSampler, DiskioSampler, diskSamples, kernelSample, memSample, processesSample, swapSample, systemSample, toLine } from './host-metrics.js';

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
  /** Takes a sample now (as at the end of --duration). */
  sampleNow(): void;
  /** Stops sampling, flushes, resolves with the writer's figures. */
  stop(): Promise<WriterStats>;
}

export async function startCollect(conn: InfluxHttp, o: CollectOptions = {}): Promise<RunningCollector> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const database = o.database ?? 'telegraf';
  const intervalMs = o.intervalMs ?? 10_000;
  const writer = new BufferedWriter(
    conn,
    { database, retentionPolicy: o.retentionPolicy, precision: 'ms' },
    {
      batchSize: 1000,
      flushIntervalMs: Math.min(1000, intervalMs),
      maxBufferLines: o.maxBufferLines ?? 100_000,
      onStatus: (e) => {
        if (e.kind === 'unavailable') log(`collect: InfluxDB at ${conn.displayUrl} is unavailable (${e.error}); buffering`);
        else if (e.kind === 'recovered') log('collect: InfluxDB is back; writing buffered points');
        else if (e.kind === 'dropped') log(`collect: dropped ${e.lines} points: ${e.reason}`);
        else log(`collect: InfluxDB rejected ${e.lines} points: ${e.error}`);
      },
    },
  );
  const error = await createDatabaseError(conn, database);
  if (error) log(`collect: ${error}; sampling anyway and buffering`);
  const host = hostname();
  const cpu = new CpuSampler();
  const diskio = new DiskioSampler();
  let count = 0;
  const sampleOnce = (): void => {
    const now = Date.now();
    const samples = [...cpu.sample(), ...diskSamples(), ...diskio.sample(), ...kernelSample(), memSample(), processesSample(), ...swapSample(), systemSample()];
    for (const s of samples) writer.add(toLine(s, host, now, o.tags));
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
