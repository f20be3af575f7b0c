// `influxsh -import -path FILE`: options → connection → Importer → summary and exit code.
import { UserError } from './errors.js';
import { connectionFromOptions, validateQueryOptions, type CliOptions } from './connect.js';
import { counted } from '../format/words.js';
import { parseDuration } from '../connection/settings.js';
import { DEFAULT_WRITE_TIMEOUT_MS } from '../write/write.js';
import { openInput } from '../transfer/input.js';
import { Importer, type ImportConfig } from '../transfer/importer.js';
import { Progress } from '../transfer/progress.js';
import { RejectsFile, checkRejectsPath, oneLine } from '../transfer/rejects.js';

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
  const rejectsPath = o.rejects ?? (o.path === '-' ? 'stdin.rejects' : `${o.path}.rejects`);
  // Before anything is read: a rejected line must have somewhere to go, and never over the input.
  if (o.path) checkRejectsPath(rejectsPath, o.path);
  const input = await openInput(o.path, !!o.compressed);
  const conn = await connectionFromOptions(o);
  // A wrong address should fail at once; retrying is for a server that goes away mid-import.
  try {
    await conn.ping(DEFAULT_WRITE_TIMEOUT_MS);
  } catch (e) {
    conn.close();
    throw e;
  }
  const rejects = new RejectsFile(rejectsPath);
  let unsaved: Error | undefined;
  let shown = 0;
  let note: string | undefined;
  let noteUntil = 0;
  const err = (t: string) => process.stderr.write((process.stderr.isTTY ? '\r\x1b[K' : '') + t + '\n');
  const importer = new Importer(conn, cfg, {
    async onRejected(target, rejected) {
      for (const r of rejected) {
        if (shown++ < SHOWN_REJECTS) err(`line ${r.line}: ${oneLine(r.error)}`);
      }
      try {
        await rejects.add(target, rejected);
      } catch (e) {
        // Nowhere to keep what the server refuses: stop rather than lose more.
        if (!unsaved) err(`ERROR: ${(e as Error).message}`);
        unsaved ??= e as Error;
        importer.requestStop('the rejects file cannot be written');
      }
    },
    onDdlError(line, statement, error) {
      err(`line ${line}: ${statement}: ${error}`);
    },
    onRetry(r) {
      const left = formatDuration(importer.outage.left(cfg.retry.deadlineMs!));
      note = `waiting for InfluxDB at ${conn.displayUrl} (${waitReason(r)}), retrying for ${left} more`;
      if (Date.now() >= noteUntil) err(`import: a write failed (${oneLine(r.error ?? String(r.status))}); ${note}`);
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
  // First SIGINT/SIGTERM: stop reading, let the batches in flight land, print the summary.
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) process.exit(sig === 'SIGTERM' ? 143 : 130);
    interrupted = sig;
    err(`${sig === 'SIGINT' ? 'interrupted' : 'terminated'}: waiting for the writes in flight (${sig === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again to quit at once)`);
    importer.requestStop(sig === 'SIGINT' ? 'an interrupt' : 'SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let failure: unknown;
  try {
    await importer.run(input.stream, input.release);
  } catch (e) {
    failure = e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.stop();
    conn.close();
    const failed = await rejects.close();
    if (failed) {
      err(`cannot write the rejects file ${rejects.path}: ${failed.message}`);
      unsaved ??= failed;
    }
  }
  const stats = importer.stats;
  const secs = (Date.now() - started) / 1000;
  const rate = secs > 0 ? Math.round(stats.written / secs) : 0;
  const ddl = stats.ddl ? `; ${counted(stats.ddl, 'DDL statement')}${stats.ddlFailed ? ` (${stats.ddlFailed} failed)` : ''}` : '';
  err(`import: ${counted(stats.read, 'point')} read, ${stats.written} written, ${stats.rejected} rejected${ddl} in ${secs.toFixed(2)}s (${rate} points/s)`);
  if (shown > SHOWN_REJECTS) err(`… and ${counted(shown - SHOWN_REJECTS, 'more rejected line')}`);
  if (rejects.count)
    err(
      `${rejects.count === 1 ? 'the rejected line is' : `the ${rejects.count} rejected lines are`} in ${rejects.path}, each after a comment with its line number and the reason; fix them and import that file`,
    );
  if (unsaved) err(`${counted(stats.rejected - rejects.count, 'rejected line')} could not be saved: ${unsaved.message}`);
  if (interrupted) err(`stopped by ${interrupted === 'SIGINT' ? 'an interrupt' : 'SIGTERM'} after ${counted(stats.read, 'point')}`);
  else if (stats.stoppedAt && !unsaved) err(`stopped (--strict) at ${oneLine(stats.stoppedAt)}`);
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows what the importer threw, once the summary is out
  if (failure) throw failure;
  const lost = stats.read - stats.written;
  if (lost > 0 || stats.stoppedAt || unsaved) {
    if (lost > 0) err(`ERROR: ${counted(lost, 'point')} ${lost === 1 ? 'was' : 'were'} not written`);
    return interrupted === 'SIGINT' ? 130 : interrupted === 'SIGTERM' ? 143 : 1;
  }
  return 0;
}

/** What a failing write waits for, in a few words: "connection refused", "status 503: …". */
export function waitReason(r: { status: number; error?: string }): string {
  const e = r.error ?? '';
  if (r.status) return `status ${r.status}${e ? `: ${oneLine(e).slice(0, 80)}` : ''}`;
  const known = /connection refused|was reset|no answer within [\d.]+s|host not found|no such socket|sent nothing for \d+ ms/.exec(e);
  return known ? known[0].replace('was reset', 'connection reset') : oneLine(e).slice(0, 80) || 'no answer';
}

/** 4m12s, 20s, 1h0m. */
export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
