// `influxsh -import -path FILE`: options → connection → Importer → summary and exit code.
import { UserError } from '../cli/errors.js';
import { counted } from './words.js';
import { connectionFromOptions, validateQueryOptions, type CliOptions } from '../cli/connect.js';
import { parseDuration } from '../connection/settings.js';
import { openInput } from './input.js';
import { Importer, type ImportConfig } from './importer.js';
import { Progress } from './progress.js';
import { RejectsFile, oneLine } from './rejects.js';

export interface ImportOptions extends CliOptions {
  path?: string;
  compressed?: boolean;
  pps?: string;
  rejects?: string;
  strict?: boolean;
  batchSize?: string;
  batchBytes?: string;
  concurrency?: string;
  retryFor?: string;
  progress?: boolean;
}

/** InfluxDB's default max-body-size is 25,000,000 bytes; stay well below it. */
const MAX_BATCH_BYTES = 24_000_000;
const SHOWN_REJECTS = 10;

function intOption(name: string, v: string | undefined, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UserError(`invalid ${name} "${v}": use a whole number from ${min} to ${max}`, 2);
  return n;
}

export function importConfig(o: ImportOptions): ImportConfig {
  const q = validateQueryOptions(o, { format: 'column' });
  const pps = intOption('-pps', o.pps, 0, 0);
  // 20k points (about 2 MB) and 2 in flight cost influxd less CPU per point than more requests in
  // flight, and still keep both of its cores busy (bench/transfer.mjs, README "Import and export").
  let batchLines = intOption('--batch-size', o.batchSize, 20_000, 1);
  // Small batches keep a throttled import smooth.
  if (pps > 0 && o.batchSize === undefined) batchLines = Math.max(1, Math.min(batchLines, Math.floor(pps / 10)));
  const retryMs = o.retryFor === undefined ? 5 * 60_000 : parseDuration(o.retryFor);
  if (retryMs === undefined) throw new UserError(`invalid --retry-for "${o.retryFor}": use a duration such as 30s or 10m`, 2);
  return {
    database: q.database,
    retentionPolicy: q.retentionPolicy,
    precision: q.precision,
    consistency: q.consistency,
    batchLines,
    batchBytes: intOption('--batch-bytes', o.batchBytes, 8_000_000, 1000, MAX_BATCH_BYTES),
    concurrency: intOption('--concurrency', o.concurrency, 2, 1, 64),
    pps,
    strict: !!o.strict,
    // Short waits between retries: a restarted server is back within a second or two.
    retry: { deadlineMs: retryMs, maxDelayMs: 2000 },
  };
}

export async function runImportCommand(o: ImportOptions): Promise<number> {
  const cfg = importConfig(o);
  const input = await openInput(o.path, !!o.compressed);
  const conn = await connectionFromOptions(o);
  // A wrong address should fail at once; retrying is for a server that goes away mid-import.
  try {
    await conn.ping();
  } catch (e) {
    conn.close();
    throw e;
  }
  const rejects = new RejectsFile(o.rejects ?? (input.name === 'stdin' ? 'stdin.rejects' : `${input.name}.rejects`));
  let shown = 0;
  let note: string | undefined;
  let noteUntil = 0;
  const err = (t: string) => process.stderr.write((process.stderr.isTTY ? '\r\x1b[K' : '') + t + '\n');
  const importer = new Importer(conn, cfg, {
    async onRejected(target, rejected) {
      for (const r of rejected) {
        if (shown++ < SHOWN_REJECTS) err(`line ${r.line}: ${oneLine(r.error)}`);
      }
      await rejects.add(target, rejected);
    },
    onDdlError(line, statement, error) {
      err(`line ${line}: ${statement}: ${error}`);
    },
    onRetry(r, attempt) {
      note = `retrying (${r.error ?? r.status}, attempt ${attempt})`;
      if (Date.now() >= noteUntil) err(`import: a write failed (${oneLine(r.error ?? String(r.status))}); retrying for up to ${Math.round(cfg.retry.deadlineMs! / 1000)}s`);
      noteUntil = Date.now() + 5000;
    },
  });
  const progress = new Progress({
    bytesRead: input.bytesRead,
    totalBytes: input.totalBytes,
    read: () => importer.stats.read,
    written: () => importer.stats.written,
    rejected: () => importer.stats.rejected,
    note: () => (Date.now() < noteUntil ? note : undefined),
  });
  const started = Date.now();
  if (o.progress !== false) progress.start();
  // First Ctrl-C: stop reading, let the batches in flight land, print the summary.
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    err('interrupted: waiting for the writes in flight (Ctrl-C again to quit at once)');
    importer.requestStop('an interrupt');
  };
  process.on('SIGINT', onSigint);
  let failure: unknown;
  try {
    await importer.run(input.stream, input.release);
  } catch (e) {
    failure = e;
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop();
    conn.close();
    const failed = await rejects.close();
    if (failed) err(`cannot write the rejects file ${rejects.path}: ${failed.message}`);
  }
  const stats = importer.stats;
  const secs = (Date.now() - started) / 1000;
  const rate = secs > 0 ? Math.round(stats.written / secs) : 0;
  const ddl = stats.ddl ? `; ${counted(stats.ddl, 'DDL statement')}${stats.ddlFailed ? ` (${stats.ddlFailed} failed)` : ''}` : '';
  err(`import: ${counted(stats.read, 'point')} read, ${stats.written} written, ${stats.rejected} rejected${ddl} in ${secs.toFixed(2)}s (${rate} points/s)`);
  if (shown > SHOWN_REJECTS) err(`… and ${counted(shown - SHOWN_REJECTS, 'more rejected line')}`);
  if (stats.rejected) err(`${stats.rejected === 1 ? 'the rejected line is' : `the ${stats.rejected} rejected lines are`} in ${rejects.path}, each after a comment with its line number and the reason; fix them and import that file`);
  if (interrupted) err(`stopped by an interrupt after ${stats.read} points`);
  else if (stats.stoppedAt) err(`stopped (--strict) at ${oneLine(stats.stoppedAt)}`);
  if (failure) throw failure;
  const lost = stats.read - stats.written;
  if (lost > 0 || stats.stoppedAt) {
    if (lost > 0) err(`ERROR: ${lost} points were not written`);
    return interrupted ? 130 : 1;
  }
  return 0;
}
