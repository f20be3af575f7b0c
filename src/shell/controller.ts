// The interactive shell without its view: runs what the user submits (commands and InfluxQL),
// cancels a running query on the server, keeps history and the display settings. It is a store:
// the view reads its state (running, progress, dialogs, type-ahead) by subscribe/getSnapshot
// and takes finished text for the scrollback from onOutput. Nothing here imports React.
import { InfluxHttp } from '../connection/http.js';
import type { Sink } from '../format/types.js';
import { createFormatter, type FormatName } from '../format/index.js';
import { shellUnits } from './continuation.js';
import { emptyStats, ShellDisplay, type DisplaySettings, type DisplayStats } from './display.js';
import { ANSI, PLAIN, type Style } from '../format/table-render.js';
import { grouped } from '../format/numbers.js';
import { HistoryStore } from './history-store.js';
import { LastResult } from './last-result.js';
import { Runner } from '../core/runner.js';
import type { CommandRegistry, TrafficSwitch } from '../core/commands.js';
import type { Session } from '../core/session.js';
import type { ShellControl } from './shell-commands.js';
import { urlForMessage } from '../connection/safe-url.js';
import { promptText } from './prompt.js';
import { killOnServer } from './kill-query.js';

/** What the shell asks of the user while a unit runs; the view draws it and answers. */
export type Dialog = { kind: 'confirm'; question: string } | { kind: 'auth' } | { kind: 'external' };

/** The running unit's counts, as published (a new object each time). */
export interface Progress {
  startedAt: number;
  /** When the counts were taken: the status line's clock. */
  at: number;
  series: number;
  rows: number;
  cancelling: boolean;
  /** Set by `watch`: which run the counts are for; Ctrl-C then stops rather than cancels. */
  watchRun?: number;
}

/** The store's state. Replaced, never changed in place, so React can compare snapshots. */
export interface ShellState {
  /** A buffer (and what was typed ahead behind it) is running. */
  running: boolean;
  progress: Progress | null;
  /** What `watch` shows in place, above the status line: its lines, already cut to the screen. */
  frame: string[] | null;
  dialog: Dialog | null;
  /** Buffers entered while another ran, run in order afterwards. */
  queue: readonly string[];
  prompt: string;
}

/** The controller as the view uses it (the tests give the view a stand-in). */
export interface ShellStore {
  readonly history: { readonly entries: readonly string[] };
  subscribe(listener: () => void): () => void;
  getSnapshot(): ShellState;
  /** Finished text for the scrollback; text written before anyone listens is kept for the first. */
  onOutput(listener: (text: string) => void): () => void;
  /** Enter on a buffer: runs it, or queues it behind the running one. exit: true after `exit`. */
  enter(text: string): Promise<{ exit: boolean }>;
  cancel(): Promise<void>;
  /** Takes the type-ahead back (Ctrl-C twice): it will not run. */
  takeQueue(): string[];
  answerConfirm(yes: boolean): void;
  answerAuth(creds: { username: string; password: string } | null): void;
  /** The view has let go of the terminal for an external program (the pager). */
  terminalReleased(): void;
}

export interface EngineHooks {
  destructiveReason(unitText: string): string | null;
  redactForHistory(line: string): string | null;
  /** Why metadata should be reloaded after a unit, or null. */
  schemaChangeReason(unitText: string): string | null;
}

export interface ControllerOptions {
  session: Session;
  /** The commands a submitted line may start with (assembled at the entry point). */
  commands: CommandRegistry;
  engine: EngineHooks;
  /** The terminal's size (widths of results, the room `watch` has). */
  size(): { columns: number; rows: number };
  /** How a buffer that runs is echoed to the scrollback (the prompt and the text, laid out). */
  echo(prompt: string, text: string): string;
  historyPath: string | null;
  /** Ask before destructive statements. */
  confirm: boolean;
  color: boolean;
  /** Called after a unit that may change the schema or the current database. */
  onSchemaChange?: (reason: string) => void;
  /** The demo's sample traffic, for `traffic on|off`. */
  traffic?: TrafficSwitch;
}

/**
 * A screen-writing sink: text is gathered and handed to Ink in one piece per flush (each write
 * repaints the live region), at the latest 30 ms after it was written, so the head of a long
 * result shows while the rest still streams.
 */
class ScreenSink implements Sink {
  private buf = '';
  private timer: NodeJS.Timeout | null = null;
  /** While set, text goes here instead of the screen (watch draws it in the live region). */
  captured: string | null = null;
  constructor(private readonly out: (text: string) => void) {}
  write(text: string): void {
    this.buf += text;
    this.timer ??= setTimeout(() => void this.flush(), 30);
  }
  get pending(): number {
    return this.buf.length;
  }
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.buf) return;
    const b = this.buf;
    this.buf = '';
    if (this.captured !== null) this.captured += b;
    else this.out(b);
  }
}

export const DEFAULT_LIMIT = 100;

export class ShellController implements ShellControl, ShellStore {
  readonly history: HistoryStore;
  readonly runner: Runner;
  readonly last = new LastResult();
  readonly display: DisplaySettings = { limit: DEFAULT_LIMIT, outputFile: null };
  timing = false;
  private state: ShellState;
  private readonly listeners = new Set<() => void>();
  private readonly outputs = new Set<(text: string) => void>();
  /** Text written before the view listened. */
  private readonly early: string[] = [];
  /** Resolves the open dialog (or the wait for the terminal, for an external program). */
  private answer: ((value: unknown) => void) | null = null;
  /** Publishes the running unit's counts every 100 ms: the status line's clock. */
  private ticker: NodeJS.Timeout | null = null;
  private unitStartedAt = 0;
  private watchRun: number | undefined;
  private readonly sink: ScreenSink;
  private readonly stats: DisplayStats = emptyStats();
  /** The unit being run, to find it in SHOW QUERIES. */
  private currentText = '';
  private abort: AbortController | null = null;
  /** The running unit's cancel, once Ctrl-C was pressed: resolves with what was done on the server. */
  private cancelling: Promise<string> | null = null;
  private readonly style: Style;

  constructor(private readonly o: ControllerOptions) {
    this.style = o.color ? ANSI : PLAIN;
    this.history = new HistoryStore(o.historyPath, (l) => o.engine.redactForHistory(l));
    this.history.load();
    this.state = { running: false, progress: null, frame: null, dialog: null, queue: [], prompt: this.prompt() };
    const sink = (this.sink = new ScreenSink((t) => this.write(t)));
    this.runner = new Runner(
      o.session,
      {
        sink,
        // After a cancel the request's own errors (aborted, killed) are the cancel itself: one line says it.
        error: (t) => {
          if (this.sink.captured !== null) this.sink.captured += t + '\n';
          else if (!this.cancelling) this.write(t + '\n');
        },
        info: (t) => this.write(t + '\n'),
        width: o.size().columns,
        columns: () => this.o.size().columns,
        yieldBetweenChunks: true,
        shell: {
          history: () => this.history.entries,
          promptAuth: () => this.ask<{ username: string; password: string } | null>({ kind: 'auth' }),
          connect: (target) => this.connect(target),
          control: this,
          traffic: o.traffic,
        },
        createFormatter: async (name: FormatName, screenSink: Sink, opts) => {
          // Charts draw themselves; everything else is capped and laid out here.
          if (name === 'chart') return createFormatter(name, screenSink, { ...opts, width: this.o.size().columns });
          return new ShellDisplay({
            format: name,
            pretty: !!opts.pretty,
            formatOptions: opts,
            screen: screenSink,
            settings: this.display,
            width: () => this.o.size().columns,
            style: this.style,
            last: this.last,
            stats: this.stats,
            cancelled: () => this.cancelling !== null,
          });
        },
      },
      o.commands,
    );
  }

  get session(): Session {
    return this.o.session;
  }

  // ---- the store ----

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  readonly getSnapshot = (): ShellState => this.state;

  onOutput(listener: (text: string) => void): () => void {
    this.outputs.add(listener);
    for (const t of this.early.splice(0)) listener(t);
    return () => void this.outputs.delete(listener);
  }

  private write(text: string): void {
    if (!this.outputs.size) this.early.push(text);
    for (const l of this.outputs) l(text);
  }

  private publish(change: Partial<ShellState>): void {
    this.state = { ...this.state, ...change, prompt: this.prompt() };
    for (const l of this.listeners) l();
  }

  private publishProgress(cancelling = this.state.progress?.cancelling ?? false): void {
    const s = this.stats;
    this.publish({ progress: { startedAt: this.unitStartedAt, at: performance.now(), series: s.series, rows: s.rows, cancelling, watchRun: this.watchRun } });
  }

  private ask<T>(dialog: Dialog): Promise<T> {
    return new Promise<T>((resolve) => {
      this.answer = resolve as (value: unknown) => void;
      this.publish({ dialog });
    });
  }

  private settle(value: unknown): void {
    const answer = this.answer;
    this.answer = null;
    this.publish({ dialog: null });
    answer?.(value);
  }

  answerConfirm(yes: boolean): void {
    const d = this.state.dialog;
    if (d?.kind !== 'confirm') return;
    this.write(`${d.question} [y/N] ${yes ? 'y' : 'n'}\n`);
    this.settle(yes);
  }

  answerAuth(creds: { username: string; password: string } | null): void {
    if (this.state.dialog?.kind === 'auth') this.settle(creds);
  }

  terminalReleased(): void {
    if (this.state.dialog?.kind !== 'external' || !this.answer) return;
    const answer = this.answer;
    this.answer = null;
    answer(undefined);
  }

  /** Gives the terminal to a program (the pager) once the view has let go of it, then takes it back. */
  private async external(run: () => Promise<void>): Promise<void> {
    await this.ask<void>({ kind: 'external' });
    try {
      await run();
    } finally {
      this.publish({ dialog: null });
    }
  }

  async enter(text: string): Promise<{ exit: boolean }> {
    if (this.state.running) {
      this.publish({ queue: [...this.state.queue, text] });
      return { exit: false };
    }
    if (!text.trim()) {
      this.write(this.o.echo(this.prompt(), ''));
      return { exit: false };
    }
    this.publish({ running: true });
    try {
      for (let next: string | undefined = text; next !== undefined; next = this.nextQueued()) {
        // What runs goes to the scrollback whole, as a terminal would have echoed it.
        this.write(this.o.echo(this.prompt(), next));
        if ((await this.submit(next)).exit) return { exit: true };
      }
      return { exit: false };
    } finally {
      this.publish({ running: false });
    }
  }

  /** The next buffer typed ahead; blank ones are dropped. */
  private nextQueued(): string | undefined {
    const queue = this.state.queue;
    const i = queue.findIndex((q) => q.trim());
    if (i < 0 && !queue.length) return undefined;
    this.publish({ queue: queue.slice(i < 0 ? queue.length : i + 1) });
    return i < 0 ? undefined : queue[i];
  }

  takeQueue(): string[] {
    const queue = [...this.state.queue];
    if (queue.length) this.publish({ queue: [] });
    return queue;
  }

  /** The prompt: where we are connected and the current db.rp. */
  prompt(): string {
    return promptText(this.o.session);
  }

  /**
   * Runs what was submitted: every unit of it, in order (a pasted script runs as a script).
   * Resolves with exit: true after `exit`/`quit`.
   */
  async submit(text: string): Promise<{ exit: boolean }> {
    const units = shellUnits(text, this.o.commands.isCommandLine);
    for (const unit of units) {
      this.history.add(unit);
      if (this.history.error) {
        this.write(this.history.error + '\n');
        this.history.error = null;
      }
      const r = await this.runOne(unit);
      if (r.exit) return { exit: true };
    }
    return { exit: false };
  }

  private async runOne(text: string): Promise<{ exit: boolean }> {
    const isCommand = this.o.commands.isCommandLine(text);
    if (!isCommand && this.o.confirm) {
      const reason = this.o.engine.destructiveReason(text);
      if (reason && !(await this.ask<boolean>({ kind: 'confirm', question: `${reason}. Run it on ${this.o.session.conn.displayUrl}?` }))) {
        this.write('Not run.\n');
        return { exit: false };
      }
    }
    // The formatter the runner caches counts into this one object; reset it per unit.
    const stats = Object.assign(this.stats, emptyStats());
    this.unitStartedAt = performance.now();
    this.watchRun = undefined;
    this.currentText = text;
    this.cancelling = null;
    this.abort = new AbortController();
    this.publishProgress(false);
    this.ticker = setInterval(() => this.publishProgress(), 100);
    const t0 = performance.now();
    let exit = false;
    try {
      const r = await this.runner.runUnit(text, this.abort.signal);
      exit = !!r.exit;
    } catch (e) {
      if (!this.cancelling) this.write(`ERR: ${(e as Error).message}\n`);
    } finally {
      this.abort = null;
    }
    // One closing line, after whatever part of the result was shown; commands (watch) say their own.
    // cancel() sets it while the unit runs, which narrowing after the reset above cannot see.
    const cancelling = this.cancelling as Promise<string> | null;
    if (cancelling) {
      const how = await cancelling;
      this.cancelling = null;
      if (!isCommand) this.write(this.style.dim(`cancelled after ${grouped(stats.rows)} row${stats.rows === 1 ? '' : 's'} (${how})`) + '\n');
    }
    clearInterval(this.ticker ?? undefined);
    this.ticker = null;
    this.publish({ progress: null });
    const total = performance.now() - t0;
    if (!isCommand && this.display.outputFile) {
      this.write(this.style.dim(`${grouped(stats.fileRows)} row${stats.fileRows === 1 ? '' : 's'} written to ${this.display.outputFile}`) + '\n');
    }
    if (this.timing && !isCommand) {
      const render = Math.min(stats.renderMs, total);
      this.write(this.style.dim(`Time: ${ms(total)} (round trip ${ms(total - render)}, rendering ${ms(render)})`) + '\n');
    }
    const reason = this.o.engine.schemaChangeReason(text);
    if (reason) this.o.onSchemaChange?.(reason);
    return { exit };
  }

  get running(): boolean {
    return this.abort !== null;
  }

  /**
   * Ctrl-C while a unit runs. From this moment nothing more of its result is shown (the display
   * drops what still arrives); for InfluxQL the query is found on the server (SHOW QUERIES) and
   * KILL QUERY sent before the HTTP request is aborted. runOne writes the one closing line.
   */
  cancel(): Promise<void> {
    const abort = this.abort;
    if (!abort || this.cancelling) return this.cancelling?.then(() => {}) ?? Promise.resolve();
    if (this.state.progress) this.publishProgress(true);
    if (this.o.commands.isCommandLine(this.currentText)) {
      // A command (watch, auth…) stops on the signal and says so itself; there is no query to kill.
      this.cancelling = Promise.resolve('');
      abort.abort();
    } else this.cancelling = killOnServer(this.o.session, this.currentText, abort);
    return this.cancelling.then(() => {});
  }

  async connect(target: string): Promise<boolean> {
    const s = this.o.session;
    const current = new URL(s.conn.settings.url);
    let url = current.href.replace(/\/$/, '');
    const t = target.trim().toLowerCase();
    if (t) {
      const withScheme = /^https?:\/\//.test(t) ? t : `${current.protocol}//${t}`;
      let u: URL;
      try {
        u = new URL(withScheme);
      } catch {
        this.write(`ERR: invalid address "${urlForMessage(target.trim())}": use host[:port]\n`);
        return false;
      }
      if (!u.port) u.port = '8086';
      url = `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
    }
    const conn = new InfluxHttp({ ...s.conn.settings, url, socketPath: t ? undefined : s.conn.settings.socketPath });
    try {
      const ping = await conn.ping();
      this.runner.store.apply({ conn, serverVersion: ping.version });
      this.write(`Connected to ${conn.displayUrl} version ${ping.version || 'unknown'}\n`);
      this.o.onSchemaChange?.('connect');
      return true;
    } catch (e) {
      conn.close();
      this.write(`ERR: ${(e as Error).message}\n`);
      return false;
    }
  }

  // ---- ShellControl (limit, timing, output, last, watch) ----

  /** Runs `fn` with the results it writes kept as text, not shown; resolves with both. */
  async capture<T>(fn: () => Promise<T>): Promise<{ result: T; text: string }> {
    await this.sink.flush();
    this.sink.captured = '';
    try {
      const result = await fn();
      await this.sink.flush();
      return { result, text: this.sink.captured };
    } finally {
      this.sink.captured = null;
    }
  }

  /** Starts the counts of the status line afresh for run `n` of a watch. */
  startWatchRun(n: number): void {
    if (!this.state.progress) return;
    Object.assign(this.stats, emptyStats());
    this.unitStartedAt = performance.now();
    this.watchRun = n;
    this.publishProgress();
  }

  /** Shows `lines` in place above the status line (null removes them). */
  showFrame(lines: string[] | null): void {
    this.publish({ frame: lines });
  }

  screenSize(): { columns: number; rows: number } {
    return this.o.size();
  }

  setLimit(n: number): void {
    this.display.limit = n;
  }

  setTiming(on: boolean): void {
    this.timing = on;
  }

  setOutput(path: string | null): void {
    this.display.outputFile = path;
  }

  async showLast(): Promise<string | null> {
    if (!this.last.has) return 'no result yet: run a query first';
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-page-'));
    const file = join(dir, 'last.txt');
    try {
      writeFileSync(file, '', { mode: 0o600 });
      const { FileSink } = await import('./display.js');
      const sink = new FileSink(file);
      const d = new ShellDisplay({
        format: this.o.session.format,
        pretty: this.o.session.pretty,
        screen: sink,
        settings: { limit: 0, outputFile: null },
        width: () => Infinity,
        style: this.style,
      });
      for (const e of this.last.replay()) d.event(e);
      d.close();
      sink.flushSync();
      await this.page(file);
      return null;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  private async page(file: string): Promise<void> {
    const { spawn } = await import('node:child_process');
    const { openSync, closeSync } = await import('node:fs');
    const pager = process.env.PAGER?.trim() || 'less -SRXF';
    await this.external(
      () =>
        new Promise<void>((resolve) => {
          const fd = openSync(file, 'r');
          const child = spawn('/bin/sh', ['-c', pager], { stdio: [fd, 'inherit', 'inherit'], env: { LESS: 'SRXF', ...process.env } });
          const done = () => {
            closeSync(fd);
            resolve();
          };
          child.on('error', done);
          child.on('exit', done);
        }),
    );
  }

  dispose(): void {
    clearInterval(this.ticker ?? undefined);
    this.last.dispose();
    this.runner.finish().catch(() => {});
  }
}

function ms(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
}
