// The `collect` subcommand: its options, then the host collector until a signal or --duration.
import { UserError } from './errors.js';
import { connectionFromOptions, type CliOptions } from './connect.js';
import { durationOption, positiveNumber } from './load-command.js';
import { startCollect } from '../loadgen/collect.js';
import { stopSignal } from '../loadgen/stop-signal.js';
import { note } from '../format/wrap.js';

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
  const signalled = stopSignal();
  const c = await startCollect(conn, { intervalMs, database, retentionPolicy: o.retentionPolicy, maxBufferLines, tags });
  note(`collecting cpu, disk, diskio, kernel, mem, processes, swap and system every ${intervalMs / 1000}s into ${conn.displayUrl} database ${database}`);
  const ended = await Promise.race([
    signalled.then(() => 'signal' as const),
    ...(durationMs !== undefined ? [new Promise<'duration'>((resolve) => setTimeout(() => resolve('duration'), durationMs).unref())] : []),
  ]);
  if (ended === 'duration') c.sampleNow(); // the end of --duration is sampled too
  const st = await c.stop();
  conn.close();
  note(`collect: ${c.samples()} samples; ${st.written} points written, ${st.dropped} dropped, ${st.rejected} rejected`);
  if (st.written === 0) {
    note(`collect: nothing was written to ${conn.displayUrl} database ${database}`);
    return 1;
  }
  return st.dropped + st.rejected > 0 ? 1 : 0;
}
