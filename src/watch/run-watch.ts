// `--watch INTERVAL`: runs the script again and again, never two runs at once, redrawing in place
// on a terminal and appending with a separator elsewhere; `--alert` watches a condition per series.
// watchLoop and AlertMonitor are the parts the interactive shell's `watch` reuses.
import { parseDuration } from '../connection/settings.js';
import { WatchError } from './errors.js';
import type { FormatEvent, Sink } from '../format/types.js';
import type { RunStatements } from '../core/runner.js';
import type { Session } from '../core/session.js';
import { AlertTracker, ConditionError, SnapshotCollector, changeLine, parseCondition, type AlertChange, type Condition } from './alert.js';
import { WebhookNotifier } from './webhook.js';

export const DEFAULT_INTERVAL_MS = 2000;

export interface WatchRun {
  /** 1 for the first run. */
  run: number;
  ok: boolean;
  startedAt: Date;
  durationMs: number;
}

/** Runs the statement(s) once; resolves false when something failed. Must stop when `signal` aborts. */
export type WatchExecutor = (signal: AbortSignal, run: number) => Promise<boolean>;

export interface WatchLoopOptions {
  intervalMs: number;
  /** Stop after this many runs (default: until the signal aborts). */
  count?: number;
  signal: AbortSignal;
  /** After each run (draw the header, evaluate alerts…); awaited before the next run is scheduled. */
  onRun?(r: WatchRun): void | Promise<void>;
}

/**
 * Runs `exec` every `intervalMs` until `signal` aborts or `count` runs are done. Runs never
 * overlap: the next starts at max(previous start + interval, previous end), so a slow query
 * delays the next tick instead of piling up. Resolves with the number of runs and whether the
 * last one succeeded; an exception from `exec` counts as a failed run.
 */
export async function watchLoop(exec: WatchExecutor, o: WatchLoopOptions): Promise<{ runs: number; lastOk: boolean }> {
  let runs = 0;
  let lastOk = true;
  while (!o.signal.aborted && (o.count === undefined || runs < o.count)) {
    const start = Date.now();
    let ok: boolean;
    try {
      ok = await exec(o.signal, runs + 1);
    } catch {
      ok = false;
    }
    if (o.signal.aborted) break;
    runs++;
    lastOk = ok;
    await o.onRun?.({ run: runs, ok, startedAt: new Date(start), durationMs: Date.now() - start });
    if (o.count !== undefined && runs >= o.count) break;
    await sleep(Math.max(0, start + o.intervalMs - Date.now()), o.signal);
  }
  return { runs, lastOk };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Alert evaluation and delivery around runs: give `tap` every result event, call `afterRun` after each run. */
export class AlertMonitor {
  private readonly tracker: AlertTracker;
  private readonly collector: SnapshotCollector;
  private readonly notifier: WebhookNotifier | null;
  private warnedMissing = false;

  constructor(
    condition: Condition,
    private readonly o: { precision?: string; webhook?: string; slack?: boolean; report(line: string): void },
  ) {
    this.tracker = new AlertTracker(condition);
    this.collector = new SnapshotCollector(o.precision);
    this.notifier = o.webhook ? new WebhookNotifier(o.webhook, { slack: o.slack, report: o.report }) : null;
  }

  tap = (e: FormatEvent): void => this.collector.event(e);

  /** Evaluates the run's series, reports changes (and POSTs them); returns the changes. */
  async afterRun(): Promise<AlertChange[]> {
    const { changes, missing } = this.tracker.update(this.collector.take());
    if (missing.length && !this.warnedMissing) {
      this.warnedMissing = true;
      this.o.report(`alert: no series has a value for ${missing.map((c) => `"${c}"`).join(', ')} (the condition names result columns, e.g. mean for SELECT mean(...))`);
    }
    for (const c of changes) this.o.report(changeLine(c));
    if (this.notifier && changes.length) await this.notifier.notify(changes);
    return changes;
  }
}

export interface WatchFlags {
  watch?: string | boolean;
  watchCount?: string;
  alert?: string;
  webhook?: string;
  slack?: boolean;
  continueOnError?: boolean;
}

export interface WatchPlan {
  intervalMs: number;
  count?: number;
  condition?: Condition;
  webhook?: string;
  slack: boolean;
  continueOnError: boolean;
}

/** Checks the watch flags before anything connects; usage errors exit 2. */
export function watchPlan(o: WatchFlags): WatchPlan {
  if (o.watch === undefined) {
    const stray = o.watchCount !== undefined ? '--watch-count' : o.alert !== undefined ? '--alert' : o.webhook !== undefined ? '--webhook' : '--slack';
    throw new WatchError(`${stray} works only with --watch INTERVAL`);
  }
  const intervalMs = o.watch === true || o.watch === '' ? DEFAULT_INTERVAL_MS : parseDuration(String(o.watch));
  if (intervalMs === undefined || intervalMs < 10) throw new WatchError(`invalid --watch interval "${o.watch}": use a duration such as 2s, 500ms or 1m`);
  let count: number | undefined;
  if (o.watchCount !== undefined) {
    count = Number(o.watchCount);
    if (!/^\d+$/.test(o.watchCount) || count < 1) throw new WatchError(`invalid --watch-count "${o.watchCount}": use a whole number of runs, 1 or more`);
  }
  let condition: Condition | undefined;
  if (o.alert !== undefined) {
    try {
      condition = parseCondition(o.alert);
    } catch (e) {
      if (e instanceof ConditionError) throw new WatchError(e.message);
      throw e;
    }
  }
  if (o.webhook !== undefined && !condition) throw new WatchError('--webhook needs --alert <condition>');
  if (o.slack && o.webhook === undefined) throw new WatchError('--slack needs --webhook <url> (a Slack incoming-webhook URL)');
  if (o.webhook !== undefined && !/^https?:\/\/[^\s]+$/i.test(o.webhook)) throw new WatchError('invalid --webhook: use an http:// or https:// URL');
  return { intervalMs, count, condition, webhook: o.webhook, slack: !!o.slack, continueOnError: !!o.continueOnError };
}

/** The shell's `watch [interval] <statement>`: an optional leading duration, then the statement. */
export function parseWatchArgs(args: string): { intervalMs: number; statement: string } | { error: string } {
  const m = /^\s*(\d+(?:\.\d+)?(?:ms|s|m|h))(?:\s+|$)([\s\S]*)$/i.exec(args);
  const intervalMs = m ? parseDuration(m[1]!.toLowerCase()) : DEFAULT_INTERVAL_MS;
  const statement = (m ? m[2]! : args).trim();
  if (intervalMs === undefined || intervalMs < 10) return { error: `invalid watch interval "${m?.[1]}": use a duration such as 2s or 500ms` };
  if (!statement) return { error: 'usage: watch [interval] <statement>, e.g. watch 5s SELECT mean(value) FROM cpu GROUP BY time(10s)' };
  return { intervalMs, statement };
}

/** Collects a run's output so it can be drawn in one piece under its header. */
class BufferSink implements Sink {
  parts: string[] = [];
  readonly pending = 0;
  write(text: string): void {
    if (text) this.parts.push(text);
  }
  async flush(): Promise<void> {}
  take(): string {
    const t = this.parts.join('');
    this.parts = [];
    return t;
  }
}

const MACHINE_FORMATS = new Set(['csv', 'json', 'jsonl']);
const RECENT_ALERTS = 5;

export interface WatchStreams {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  err: NodeJS.WritableStream;
}

/** The one-shot --watch mode; resolves with the exit code (0 after Ctrl-C). */
export async function runWatch(session: Session, units: readonly string[], plan: WatchPlan, run: RunStatements, streams: WatchStreams = { out: process.stdout, err: process.stderr }): Promise<number> {
  const { out, err } = streams;
  const tty = !!out.isTTY;
  if (!units.length) throw new WatchError('nothing to watch: give statements with -execute, --file or on stdin');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const write = (s: NodeJS.WritableStream, text: string) => new Promise<void>((resolve) => (text ? s.write(text, () => resolve()) : resolve()));
  // On a terminal every run clears the screen, so alert lines are kept and shown under each redraw.
  const recent: string[] = [];
  const report = (line: string) => {
    err.write(line + '\n');
    if (tty) recent.push(line) > RECENT_ALERTS && recent.shift();
  };
  const monitor = plan.condition ? new AlertMonitor(plan.condition, { precision: session.precision, webhook: plan.webhook, slack: plan.slack, report }) : null;
  const sink = new BufferSink();
  let errors: string[] = [];
  const title = units.join('; ').replace(/\s+/g, ' ');

  const exec: WatchExecutor = (signal, n) =>
    run(
      units,
      {
        sink,
        error: (t) => errors.push(t),
        info: (t) => n === 1 && errors.push(t),
        width: tty ? out.columns : undefined,
        tap: monitor?.tap,
      },
      { signal, continueOnError: plan.continueOnError },
    );

  try {
    const { lastOk } = await watchLoop(exec, {
      intervalMs: plan.intervalMs,
      count: plan.count,
      signal: controller.signal,
      onRun: async (r) => {
        const body = sink.take();
        const at = r.startedAt.toISOString();
        if (tty) {
          const left = `Every ${formatInterval(plan.intervalMs)}: ${title}`;
          const right = `${at.slice(11, 19)} UTC · ${r.durationMs} ms · run ${r.run}`;
          const w = out.columns ?? 80;
          const room = Math.max(10, w - right.length - 2);
          const head = (left.length > room ? left.slice(0, room - 1) + '…' : left.padEnd(room)) + '  ' + right;
          await write(out, `\x1b[H\x1b[2J${head}\n\n${body}`);
          if (recent.length) await write(err, recent.join('\n') + '\n');
        } else {
          const sep = `--- run ${r.run} · ${at} · ${r.durationMs} ms ---\n`;
          if (MACHINE_FORMATS.has(session.format)) {
            await write(err, sep);
            await write(out, body);
          } else await write(out, sep + body);
        }
        if (errors.length) await write(err, errors.join('\n') + '\n');
        errors = [];
        await monitor?.afterRun();
      },
    });
    if (controller.signal.aborted) {
      if (tty) await write(out, '\n');
      return 0;
    }
    return lastOk ? 0 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function formatInterval(ms: number): string {
  if (ms % 3600000 === 0) return `${ms / 3600000}h`;
  if (ms % 60000 === 0) return `${ms / 60000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
