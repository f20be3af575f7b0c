// `influxsh service`: runs Service A until SIGINT/SIGTERM, then flushes and reports.
import { UserError } from './errors.js';
import { counted } from '../format/words.js';
import { connectionFromOptions, type CliOptions } from './connect.js';
import { durationOption, positiveNumber } from './load-command.js';
import { stopSignal } from '../loadgen/stop-signal.js';
import { startService } from '../loadgen/service.js';

export interface ServiceCommandOptions extends CliOptions {
  listen?: string;
  measurement?: string;
  metrics?: boolean;
  batchSize?: string;
  flushInterval?: string;
  buffer?: string;
  shutdownTimeout?: string;
}

export function parseListen(v: string | undefined): { host: string; port: number } {
  if (v === undefined) return { host: '127.0.0.1', port: 8080 };
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(v) ?? /^()()(\d+)$/.exec(v);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`invalid --listen "${v}": use host:port, e.g. 127.0.0.1:8080 or :8080`, 2);
  return { host: m[1] || m[2] || '0.0.0.0', port };
}

export async function runServiceCommand(o: ServiceCommandOptions): Promise<number> {
  const { host, port } = parseListen(o.listen);
  const batchSize = positiveNumber(o.batchSize, '--batch-size', { integer: true });
  const maxBufferLines = positiveNumber(o.buffer, '--buffer', { integer: true });
  const flushIntervalMs = durationOption(o.flushInterval, '--flush-interval', 1000);
  if (flushIntervalMs <= 0 || flushIntervalMs > 1000) throw new UserError('--flush-interval must be above 0 and at most 1s', 2);
  const shutdownMs = durationOption(o.shutdownTimeout, '--shutdown-timeout', 10_000);
  const metrics = o.metrics !== false;
  // -host and -port name InfluxDB, as everywhere in influxsh; with the metrics off they do nothing,
  // which a reader of `service --no-metrics --port 9000` would not guess.
  if (!metrics && (o.host !== undefined || o.port !== undefined))
    process.stderr.write(`service: --host and --port name InfluxDB, for the metrics, which are off; the service listens on ${host}:${port} (--listen to change it)\n`);
  const conn = metrics ? await connectionFromOptions(o) : undefined;
  // Listening for the signals from the start: one that arrives while InfluxDB is slow to answer
  // still ends in a summary.
  const signalled = stopSignal();
  let svc;
  try {
    svc = await startService(conn, { host, port, metrics, database: o.database, retentionPolicy: o.retentionPolicy, measurement: o.measurement, batchSize, maxBufferLines, flushIntervalMs });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`cannot listen on ${host}:${port}: the address is in use (pick another with --listen)`);
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new UserError(`cannot listen on ${host}:${port}: ${code}`);
    throw e;
  }
  await signalled;
  const pending = svc.stats().writer?.pending ?? 0;
  process.stderr.write(`stopping: no longer accepting; flushing ${counted(pending, 'point')}\n`);
  const s = await svc.stop(shutdownMs);
  conn?.close();
  const w = s.writer;
  const lost = w ? w.dropped + w.rejected : 0;
  process.stderr.write(
    `served ${counted(s.served, 'request')}` +
      (w ? `; points: ${w.written} written, ${w.dropped} dropped, ${w.rejected} rejected${w.retries ? `, ${counted(w.retries, 'retry', 'retries')}` : ''}` : '') +
      '\n',
  );
  return lost > 0 ? 1 : 0;
}
