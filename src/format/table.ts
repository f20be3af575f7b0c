// `table`: boxed tables with the series name and tags as a caption and a row count under each
// series; the one-shot format and the shell's display (which adds a cap, a width and a style).
// Long series are drawn in slices of `alignRows` rows so memory stays flat; a slice that fits the
// open box continues it, a wider one closes it and opens a wider box, so columns never narrow.
import type { Formatter, FormatEvent, FormatOptions, Sink } from './types.js';
import { cellText, tagText } from './cells.js';
import { TrendCollector } from './sparkline.js';
import { PLAIN, boxBottom, boxRows, boxTop, boxWidth, columnWidths, footer, oneLine, renderMarker, renderVertical, type Style } from './table-render.js';

const DEFAULT_SLICE = 1000;

export interface TableOptions extends FormatOptions {
  /** Rows shown per series: the first and last half, the rest counted under a marker; 0 = all. */
  limit?: number;
  /** Dim borders and a bold caption in the shell; plain otherwise. */
  style?: Style;
  /** Every series in the vertical layout (the shell's `vertical`), not only those wider than `width`. */
  vertical?: boolean;
}

/** A fixed-size window over the most recent rows. */
export class Ring<T> {
  private items: T[] = [];
  private next = 0;
  constructor(private readonly size: number) {}
  push(r: T): void {
    if (this.size <= 0) return;
    if (this.items.length < this.size) this.items.push(r);
    else {
      this.items[this.next] = r;
      this.next = (this.next + 1) % this.size;
    }
  }
  toArray(): T[] {
    return this.items.length < this.size ? this.items : [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
  }
}

interface SeriesState {
  caption: string;
  columns: string[];
  /** Rows not drawn yet, as received: the current slice, or the head until the series passes the cap. */
  buf: unknown[][];
  /** The last rows once the series is over the cap. */
  tail: Ring<unknown[]> | null;
  total: number;
  printed: number;
  layout: 'table' | 'vertical' | null;
  /** Column widths drawn so far. */
  widths: number[] | undefined;
  /** A box is drawn without its bottom border yet, at `widths`. */
  open: boolean;
}

export class TableFormatter implements Formatter {
  private series: SeriesState | null = null;
  private readonly slice: number;
  private readonly limit: number;
  private readonly width: number;
  private readonly style: Style;
  /** With `sparklines`: the statement's numeric columns, drawn as a trend table at its end. */
  private readonly trends: TrendCollector | null;

  constructor(
    private readonly sink: Sink,
    private readonly opts: TableOptions = {},
  ) {
    this.slice = opts.alignRows ?? DEFAULT_SLICE;
    this.limit = opts.limit ?? 0;
    this.width = opts.width ?? Infinity;
    this.style = opts.style ?? PLAIN;
    this.trends = opts.sparklines ? new TrendCollector() : null;
  }

  event(e: FormatEvent): void {
    switch (e.type) {
      case 'series':
        this.endSeries();
        this.series = {
          caption: oneLine([e.name ?? '', tagText(e.tags, ', ')].filter(Boolean).join('  ')),
          columns: e.columns.map(oneLine),
          buf: [],
          tail: this.limit > 0 ? new Ring(Math.floor(this.limit / 2)) : null,
          total: 0,
          printed: 0,
          layout: this.opts.vertical ? 'vertical' : null,
          widths: undefined,
          open: false,
        };
        this.trends?.series(e.name, e.tags, e.columns);
        break;
      case 'rows':
        if (this.series) this.rows(this.series, e.rows);
        this.trends?.rows(e.rows);
        break;
      case 'message':
        this.endSeries();
        this.sink.write(`${e.level}: ${e.text}.\n`);
        break;
      case 'end':
      case 'response-end':
        this.endSeries();
        if (this.trends) this.sink.write(this.trends.take(this.style));
        break;
      default:
        break;
    }
  }

  close(): void {
    this.endSeries();
  }

  private rows(s: SeriesState, rows: unknown[][]): void {
    for (const r of rows) {
      s.total++;
      if (!s.tail) {
        s.buf.push(r);
        if (s.buf.length >= this.slice) this.draw(s);
      } else if (s.total <= this.limit) s.buf.push(r);
      else {
        if (s.total === this.limit + 1) {
          // Over the cap: draw the head now and keep only a window of the rest for the tail.
          const rest = s.buf.splice(Math.ceil(this.limit / 2));
          this.draw(s);
          this.closeBox(s);
          for (const x of rest) s.tail.push(x);
        }
        s.tail.push(r);
      }
    }
  }

  /** Draws the buffered rows: into the open box when they fit it; the first rows of a series under the caption. */
  private draw(s: SeriesState): void {
    // Cells are made here rather than as rows arrive: rows hidden by the cap are never looked at.
    const rows = s.buf.map((r) => {
      const cells = new Array<string>(r.length);
      for (let i = 0; i < r.length; i++) cells[i] = oneLine(cellText(r[i]));
      return cells;
    });
    const widths = columnWidths(s.columns, rows, s.widths);
    s.layout ??= boxWidth(widths) > this.width ? 'vertical' : 'table';
    let out = '';
    if (s.layout === 'vertical') out = renderVertical({ caption: s.caption, columns: s.columns, rows, firstRow: s.printed + 1, withCaption: s.printed === 0 }, this.style);
    else {
      if (!s.open || widths.some((w, i) => w !== s.widths![i])) {
        if (s.open) out += boxBottom(s.widths!, this.style);
        out += boxTop({ caption: s.caption, columns: s.columns, withCaption: s.printed === 0 }, widths, this.style);
        s.open = true;
      }
      out += boxRows(rows, widths, this.style);
    }
    this.sink.write(out);
    s.widths = widths;
    s.printed += s.buf.length;
    s.buf = [];
  }

  private closeBox(s: SeriesState): void {
    if (s.open) this.sink.write(boxBottom(s.widths!, this.style));
    s.open = false;
  }

  private endSeries(): void {
    const s = this.series;
    if (!s) return;
    this.series = null;
    if (s.tail && s.total > this.limit) {
      const tail = s.tail.toArray();
      const shown = s.printed + tail.length;
      this.sink.write(renderMarker(s.total - shown, this.style));
      s.buf = tail;
      s.printed = s.total - tail.length;
      if (tail.length) this.draw(s);
      this.closeBox(s);
      this.sink.write(footer(s.total, shown, this.style));
      return;
    }
    if (s.buf.length || !s.printed) this.draw(s);
    this.closeBox(s);
    this.sink.write(footer(s.total, s.total, this.style));
  }
}
