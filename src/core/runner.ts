// Runs units of a script or shell session: shell commands through the registry, everything else
// as InfluxQL streamed into the current formatter.
import { createFormatter, type FormatName } from '../format/index.js';
import type { FormatEvent, Formatter, FormatOptions, Sink } from '../format/types.js';
import { StdoutSink, StreamSink } from '../format/sink.js';
import { executeQuery } from '../query/execute.js';
import { splitScript } from '../influxql/split.js';
import { resolveTimeZone } from '../query/time-zone.js';
import type { CommandContext, CommandRegistry, ShellHooks } from './commands.js';
import { SessionStore, type Session } from './session.js';

export interface RunnerIO {
  /** Results. */
  sink: Sink;
  /** One line (or a few) of error text; the runner prefixes nothing. */
  error(text: string): void;
  info(text: string): void;
  shell?: ShellHooks;
  /** Terminal width for formats that adapt. */
  width?: number;
  /** The terminal's width now (it may be resized); `width`, else 80, when absent. */
  columns?: () => number;
  /** Sees every result event beside the formatter (watch alerts read the values from here). */
  tap?(e: FormatEvent): void;
  /**
   * Let the event loop run after each chunk of rows: the interactive shell needs keys and
   * repaints to get through while a big result streams (Node otherwise drains megabytes of
   * buffered socket data in one go).
   */
  yieldBetweenChunks?: boolean;
  /** Replaces the plain formatters (the interactive shell caps and lays out results). */
  createFormatter?: (name: FormatName, sink: Sink, opts: FormatOptions) => Promise<Formatter>;
}

/**
 * A script's I/O: results to stdout, errors and confirmations to stderr (as 1.x). `direct`
 * writes results to the descriptor (StdoutSink), for runs where nothing else draws on stdout.
 */
export function stdioIO(direct = false): RunnerIO {
  return {
    sink: direct ? new StdoutSink() : new StreamSink(process.stdout),
    error: (t) => process.stderr.write(t + '\n'),
    info: (t) => process.stderr.write(t + '\n'),
  };
}

/** A unit of a script with the lines it spans (1-based), so a joined statement's error can name them. */
export interface ScriptUnit {
  text: string;
  line: number;
  endLine: number;
}

export interface UnitResult {
  ok: boolean;
  /** `exit`/`quit` was given. */
  exit?: boolean;
}

/**
 * Runs statements (shell commands and InfluxQL) into `io`: what watch is given instead of a
 * Runner, so it needs neither the registry nor the shell.
 */
export type RunStatements = (units: readonly string[], io: RunnerIO, opts: RunOptions) => Promise<boolean>;

export interface RunOptions {
  continueOnError?: boolean;
  /** Stops between statements once aborted. */
  signal?: AbortSignal;
}

const FLUSH_BYTES = 1 << 16;

/** The session fields a formatter is built from: a change to one of them means a new formatter. */
const FORMATTER_FIELDS: readonly (keyof Session)[] = ['format', 'pretty', 'precision', 'sparklines'];

export class Runner {
  private formatter: Formatter | null = null;
  /** The session changed in a way the formatter was built from; it is replaced before the next query. */
  private formatterStale = false;
  /** `lines 3–4: ` while a script unit joined from several lines runs, so its errors say where it came from. */
  private where = '';
  readonly store: SessionStore;

  /** `session` may be a store shared with others (the shell's), or a plain session this runner owns. */
  constructor(
    session: Session | SessionStore,
    private readonly io: RunnerIO,
    private readonly commands: CommandRegistry,
  ) {
    this.store = session instanceof SessionStore ? session : new SessionStore(session);
    this.store.subscribe(({ changed }) => {
      if (FORMATTER_FIELDS.some((k) => changed.has(k))) this.formatterStale = true;
    });
  }

  get session(): Readonly<Session> {
    return this.store.session;
  }

  /** Runs a whole script; stops at the first failing unit unless `continueOnError`. */
  async runScript(script: string, opts: { continueOnError?: boolean } = {}): Promise<boolean> {
    return this.runUnits(splitScript(script, this.commands.isCommandLine), opts);
  }

  /** Runs units in order; stops at the first failing one unless `continueOnError`. */
  async runUnits(units: readonly (string | ScriptUnit)[], opts: RunOptions = {}): Promise<boolean> {
    let ok = true;
    for (const unit of units) {
      const u = typeof unit === 'string' ? { text: unit, line: 0, endLine: 0 } : unit;
      this.where = u.endLine > u.line ? `lines ${u.line}\u2013${u.endLine}: ` : '';
      const r = await this.runUnit(u.text, opts.signal);
      if (opts.signal?.aborted) break;
      if (!r.ok) {
        ok = false;
        if (!opts.continueOnError) break;
      }
      if (r.exit) break;
    }
    this.where = '';
    await this.finish();
    return ok;
  }

  async runUnit(text: string, signal?: AbortSignal): Promise<UnitResult> {
    const found = this.commands.find(text);
    if (found) {
      if (found.command.name === 'exit') return { ok: true, exit: true };
      if (found.command.interactiveOnly && !this.io.shell) {
        this.io.error(`ERR: ${found.command.name} is only available in the interactive shell`);
        return { ok: false };
      }
      await this.io.sink.flush();
      const ctx: CommandContext = {
        session: this.session,
        update: (u) => this.store.apply(u),
        info: (t) => this.io.info(t),
        out: (t) => this.io.sink.write(t),
        error: (t) => this.io.error(`ERR: ${t}`),
        shell: this.io.shell,
        signal,
        columns: () => this.io.columns?.() ?? this.io.width ?? ((process.stdout.isTTY && process.stdout.columns) || 80),
        runQuery: (q, sig) => this.query(q, sig),
        commands: this.commands.all,
      };
      const ok = await found.command.run(ctx, found.args, text);
      await this.io.sink.flush();
      return { ok };
    }
    return { ok: await this.query(text, signal) };
  }

  private async currentFormatter(): Promise<Formatter> {
    const s = this.session;
    if (!this.formatter || this.formatterStale) {
      this.formatter?.close();
      this.formatterStale = false;
      this.formatter = await (this.io.createFormatter ?? createFormatter)(s.format as FormatName, this.io.sink, {
        pretty: s.pretty,
        width: this.io.width,
        precision: s.precision,
        sparklines: s.sparklines,
      });
    }
    return this.formatter;
  }

  /** Sends one unit as one request and streams its results; false when anything failed. */
  async query(text: string, signal?: AbortSignal): Promise<boolean> {
    // The server's parser stops at NUL and would silently run nothing.
    const nul = text.indexOf('\0');
    if (nul >= 0) {
      this.io.error(`ERR: statement contains a NUL byte at char ${nul + 1}; nothing was sent`);
      return false;
    }
    const s = this.session;
    const f = await this.currentFormatter();
    const sink = this.io.sink;
    let ok = true;
    let requestError: string | undefined;
    const tap = this.io.tap;
    f.event({ type: 'response-start' });
    tap?.({ type: 'response-start' });
    try {
      for await (const e of executeQuery(s.conn, text, {
        database: s.database,
        retentionPolicy: s.retentionPolicy,
        precision: s.precision,
        chunked: s.chunked,
        chunkSize: s.chunkSize,
        nodeId: s.nodeId,
        signal,
        // A tap (watch alerts) reads values, so it needs them parsed.
        rawRows: !!f.rawRows && !tap,
        timeZone: s.timeZone ? resolveTimeZone(s.timeZone) : undefined,
      })) {
        f.event(e);
        tap?.(e);
        if (e.type === 'error') {
          ok = false;
          if (e.id === null) requestError = e.message;
          await sink.flush();
          this.reportError(e.message);
        } else if (sink.pending > FLUSH_BYTES) {
          await sink.flush();
        }
        if (e.type === 'rows' && this.io.yieldBetweenChunks) await new Promise((r) => setImmediate(r));
      }
    } catch (e) {
      ok = false;
      const message = (e as Error).name === 'AbortError' ? 'aborted by user' : (e as Error).message;
      requestError = message;
      await sink.flush();
      this.reportError(message);
    } finally {
      f.event({ type: 'response-end', error: requestError });
      tap?.({ type: 'response-end', error: requestError });
      await sink.flush();
    }
    return ok;
  }

  private reportError(message: string): void {
    let text = `${this.where}ERR: ${message}`;
    if (!this.session.database && /database name required|database not found/i.test(message)) {
      text += '\nWarning: It is possible this error is due to not setting a database.\nPlease set a database with the command "use <database>".';
    }
    this.io.error(text);
  }

  async finish(): Promise<void> {
    this.formatter?.close();
    await this.io.sink.flush();
  }
}
