// The shell's formatter: what the Runner streams a statement into when a person is watching.
// It caps long series (head and tail, the rest on demand with `last`): `table` and `vertical`
// through the table formatter, given the cap, the terminal's width and the style; `column` with a
// marker row here. It keeps the last result for `last`, sends results to a file under `output
// FILE`, and counts rows and time for the status line.
import { cellText } from '../format/cells.js';
import { Ring, TableFormatter } from '../format/table.js';
import { eagerFormatter, type FormatName } from '../format/index.js';
import type { Formatter, FormatEvent, FormatOptions, Sink } from '../format/types.js';
import { footer, type Style } from '../format/table-render.js';
import { grouped } from '../format/numbers.js';
import type { LastResult } from './last-result.js';
import { appendToFile } from '../files/safe-write.js';

export interface DisplaySettings {
  /** Rows shown per series before the middle is hidden; 0 = no cap. */
  limit: number;
  /** Results go to this file instead of the screen. */
  outputFile: string | null;
}

export interface DisplayStats {
  rows: number;
  series: number;
  /** Milliseconds spent formatting and writing. */
  renderMs: number;
  /** Rows written to the output file in the current unit. */
  fileRows: number;
}

export function emptyStats(): DisplayStats {
  return { rows: 0, series: 0, renderMs: 0, fileRows: 0 };
}

/**
 * The formatter for a file or an uncapped stream. (`chart` never gets here: the shell hands it
 * to the chart formatter; a chart sent to a file is written as columns.)
 */
export function plainFormatter(format: FormatName, sink: Sink, pretty: boolean, opts: FormatOptions = {}): Formatter {
  if (format === 'table' || format === 'vertical') return new TableFormatter(sink, { ...opts, vertical: format === 'vertical' });
  return eagerFormatter(format === 'chart' ? 'column' : format, sink, { ...opts, pretty })!;
}

/** Appends to a file synchronously in 64 KB pieces. */
export class FileSink implements Sink {
  private buf = '';
  constructor(readonly path: string) {}
  write(text: string): void {
    this.buf += text;
    if (this.buf.length > 1 << 16) this.flushSync();
  }
  get pending(): number {
    return this.buf.length;
  }
  flushSync(): void {
    if (!this.buf) return;
    const b = this.buf;
    this.buf = '';
    appendToFile(this.path, b, 0o600);
  }
  async flush(): Promise<void> {
    this.flushSync();
  }
}

export interface ShellDisplayOptions {
  format: FormatName;
  pretty: boolean;
  /** Passed on to the 1.x formatters (precision, …). */
  formatOptions?: FormatOptions;
  screen: Sink;
  settings: DisplaySettings;
  /** Terminal width; rows wider than this switch to the vertical layout. */
  width: () => number;
  style: Style;
  last?: LastResult;
  stats?: DisplayStats;
  /** True once the user cancelled the running statement: later rows are dropped, footers say partial. */
  cancelled?: () => boolean;
}

/** The row-count footer of a cancelled series says its rows are only those received before the cancel. */
export function partialFooter(text: string): string {
  return text.replace(/^((?:\x1b\[[\d;]*m)?\d[\d,]* rows?)/, '$1 (partial, cancelled)');
}

/** Passes text on, rewriting row-count footers while `partial()` is true. */
class FooterSink implements Sink {
  constructor(
    private readonly inner: Sink,
    private readonly partial: () => boolean,
  ) {}
  write(text: string): void {
    this.inner.write(this.partial() ? partialFooter(text) : text);
  }
  get pending(): number {
    return this.inner.pending;
  }
  flush(): Promise<void> {
    return this.inner.flush();
  }
}

export class ShellDisplay implements Formatter {
  private inner: Formatter | null = null;
  private file: FileSink | null = null;
  /** The series passed to `inner` in capped column mode. */
  private columnCap: { total: number; headLeft: number; pending: string[][]; tail: Ring<string[]>; columns: number; hidden: boolean } | null = null;
  private readonly stats: DisplayStats;
  /** Set while a cancelled unit's formatter closes its series, so its footers say partial. */
  private closingCancelled = false;

  constructor(private readonly o: ShellDisplayOptions) {
    this.stats = o.stats ?? emptyStats();
  }

  private get cancelled(): boolean {
    return !!this.o.cancelled?.();
  }

  event(e: FormatEvent): void {
    const t0 = performance.now();
    try {
      this.handle(e);
    } finally {
      this.stats.renderMs += performance.now() - t0;
    }
  }

  private handle(e: FormatEvent): void {
    // After a cancel nothing more is shown: the response only ends, closing what was drawn.
    if (this.cancelled && e.type !== 'response-start') {
      if (e.type !== 'response-end') return;
      this.closingCancelled = true;
      try {
        // The request's abort is the cancel itself, which the shell reports in one line.
        this.handleEvent({ type: 'response-end' });
      } finally {
        this.closingCancelled = false;
      }
      return;
    }
    this.handleEvent(e);
  }

  private handleEvent(e: FormatEvent): void {
    if (e.type === 'response-start') {
      this.o.last?.begin(this.o.format === 'json');
      const out = this.o.settings.outputFile;
      this.file = out ? new FileSink(out) : null;
      const fo = this.o.formatOptions;
      const boxed = this.o.format === 'table' || this.o.format === 'vertical';
      this.inner = this.file ? plainFormatter(this.o.format, this.file, this.o.pretty, fo) : boxed ? this.tableFormatter() : plainFormatter(this.o.format, this.o.screen, this.o.pretty, fo);
      this.inner?.event(e);
      return;
    }
    this.o.last?.record(e);
    if (e.type === 'series') this.stats.series++;
    if (e.type === 'rows') {
      this.stats.rows += e.rows.length;
      if (this.file) this.stats.fileRows += e.rows.length;
    }
    if (this.file) {
      this.inner!.event(e);
      if (e.type === 'response-end') {
        this.inner!.close();
        this.file.flushSync();
      }
      return;
    }
    if (this.o.format === 'column' && this.o.settings.limit > 0) this.columnEvent(e);
    else this.inner!.event(e);
  }

  close(): void {
    this.inner?.close();
    this.file?.flushSync();
  }

  /** `table` and `vertical` on the screen: capped, styled, vertical when wider than the terminal. */
  private tableFormatter(): Formatter {
    const { settings, style, format } = this.o;
    const screen = new FooterSink(this.o.screen, () => this.closingCancelled);
    return new TableFormatter(screen, { ...this.o.formatOptions, limit: settings.limit, width: this.o.width(), style, vertical: format === 'vertical' });
  }

  // ---- column: the 1.x look, with a marker row when capped ----

  private columnEvent(e: FormatEvent): void {
    const inner = this.inner!;
    const limit = this.o.settings.limit;
    switch (e.type) {
      case 'series':
        this.endColumnSeries(e.id);
        this.columnCap = { total: 0, headLeft: Math.ceil(limit / 2), pending: [], tail: new Ring<string[]>(Math.floor(limit / 2)), columns: e.columns.length, hidden: false };
        inner.event(e);
        break;
      case 'rows': {
        const c = this.columnCap;
        if (!c) {
          inner.event(e);
          break;
        }
        const pass: unknown[][] = [];
        for (const r of e.rows) {
          c.total++;
          if (c.headLeft > 0) {
            c.headLeft--;
            pass.push(r);
          } else if (!c.hidden) {
            c.pending.push(r.map(cellText));
            if (c.pending.length > Math.floor(limit / 2)) {
              c.hidden = true;
              for (const p of c.pending) c.tail.push(p);
              c.pending = [];
            }
          } else c.tail.push(r.map(cellText));
        }
        if (pass.length) inner.event({ ...e, rows: pass });
        break;
      }
      case 'end':
      case 'response-end':
      case 'statement':
        this.endColumnSeries(e.type === 'response-end' || e.type === 'statement' ? null : e.id);
        inner.event(e);
        break;
      case 'raw':
        // Without the chunk results the column format keeps statements apart and closes each
        // table at its end, before the cap's footer (1.x's merging is for scripts).
        break;
      default:
        inner.event(e);
    }
  }

  private endColumnSeries(id: number | null): void {
    const c = this.columnCap;
    if (!c) return;
    this.columnCap = null;
    const inner = this.inner!;
    const sid = id ?? 0;
    if (!c.hidden) {
      if (c.pending.length) inner.event({ type: 'rows', id: sid, rows: c.pending });
      return;
    }
    const tail = c.tail.toArray();
    const hidden = c.total - Math.ceil(this.o.settings.limit / 2) - tail.length;
    const marker = [`⋮ ${grouped(hidden)} more rows`, ...new Array<string>(Math.max(0, c.columns - 1)).fill('⋮')];
    inner.event({ type: 'rows', id: sid, rows: [marker, ...tail] });
    inner.event({ type: 'end', id: sid });
    const f = footer(c.total, c.total - hidden, this.o.style);
    this.o.screen.write(this.closingCancelled ? partialFooter(f) : f);
  }
}
