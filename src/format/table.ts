// Boxed tables (cli-table3) with the series name and tags as a caption; the shell's default.
// Long series are drawn in slices of `alignRows` rows so memory stays flat.
import Table from 'cli-table3';
import type { Formatter, FormatEvent, FormatOptions, Sink } from './types.js';
import { cellText, tagText } from './cells.js';
import { TrendCollector } from './sparkline.js';

const DEFAULT_SLICE = 1000;

export class TableFormatter implements Formatter {
  private head: { caption: string; columns: string[] } | null = null;
  private rows: string[][] = [];
  private printed = 0;
  private readonly slice: number;
  /** With `sparklines`: the statement's numeric columns, drawn as a trend table at its end. */
  private readonly trends: TrendCollector | null;

  constructor(private readonly sink: Sink, opts: FormatOptions = {}) {
    this.slice = opts.alignRows ?? DEFAULT_SLICE;
    this.trends = opts.sparklines ? new TrendCollector() : null;
  }

  event(e: FormatEvent): void {
    switch (e.type) {
      case 'series': {
        this.flush(true);
        const parts = [e.name ? e.name : '', e.tags ? tagText(e.tags, ', ') : ''].filter(Boolean);
        this.head = { caption: parts.join('  '), columns: e.columns };
        this.printed = 0;
        this.trends?.series(e.name, e.tags, e.columns);
        break;
      }
      case 'rows':
        for (const r of e.rows) this.rows.push(r.map(cellText));
        this.trends?.rows(e.rows);
        if (this.rows.length >= this.slice) this.flush(false);
        break;
      case 'message':
        this.flush(true);
        this.sink.write(`${e.level}: ${e.text}.\n`);
        break;
      case 'end':
      case 'response-end':
        this.flush(true);
        if (this.trends) this.sink.write(this.trends.take());
        break;
      default:
        break;
    }
  }

  close(): void {
    this.flush(true);
  }

  private flush(final: boolean): void {
    if (!this.head) return;
    if (!this.rows.length && !final) return;
    if (!this.rows.length && this.printed) {
      this.head = null;
      return;
    }
    const t = new Table({ head: this.head.columns, style: { head: [], border: [] } });
    for (const r of this.rows) t.push(r);
    const caption = this.printed === 0 && this.head.caption ? this.head.caption + '\n' : '';
    this.sink.write(caption + t.toString() + '\n');
    this.printed += this.rows.length;
    if (final) this.sink.write(`${this.printed} row${this.printed === 1 ? '' : 's'}\n\n`);
    this.rows = [];
    if (final) this.head = null;
  }
}
