// The 1.x `column` format: name:/tags: headers, column names, dashes, rows aligned the way Go's
// text/tabwriter (padding 1) aligns them, a blank line between series and between results.
//
// Each series is aligned on its own. A series longer than `alignRows` starts printing once that
// many rows are buffered; later, wider cells widen their column from that row on (1.x would
// buffer the whole result instead).
import type { Formatter, FormatEvent, FormatOptions, Sink } from './types.js';
import { cellText, displayWidth, isBigInt, tagText } from './cells.js';

/** One server chunk: series up to this long print exactly as 1.x prints them. */
const DEFAULT_ALIGN_ROWS = 10000;

export class ColumnFormatter implements Formatter {
  private resultIndex = 0;
  private seriesInResult = 0;
  /** Header lines (already text) and rows (as received) waiting to be aligned. */
  private block: unknown[][] = [];
  private widths: number[] | null = null;
  private readonly alignRows: number;

  constructor(private readonly sink: Sink, opts: FormatOptions = {}) {
    this.alignRows = opts.alignRows ?? DEFAULT_ALIGN_ROWS;
  }

  event(e: FormatEvent): void {
    switch (e.type) {
      case 'response-start':
        this.resultIndex = 0;
        break;
      case 'statement':
        this.endSeries();
        if (this.resultIndex > 0) this.sink.write('\n');
        this.resultIndex++;
        this.seriesInResult = 0;
        break;
      case 'message':
        this.endSeries();
        this.sink.write(`${e.level}: ${e.text}.\n`);
        break;
      case 'series': {
        this.endSeries();
        if (this.seriesInResult++ > 0) this.sink.write('\n');
        if (e.name) this.sink.write(`name: ${e.name}\n`);
        if (e.tags) this.sink.write(`tags: ${tagText(e.tags, ', ')}\n`);
        this.block.push(e.columns, e.columns.map((c) => '-'.repeat(c.length)));
        break;
      }
      case 'rows':
        for (const r of e.rows) this.block.push(r);
        if (this.block.length >= this.alignRows) this.flushBlock();
        break;
      case 'end':
      case 'response-end':
        this.endSeries();
        break;
      default:
        break;
    }
  }

  close(): void {
    this.endSeries();
  }

  private endSeries(): void {
    this.flushBlock();
    this.widths = null;
  }

  /** Writes buffered lines with tabwriter alignment; widths only ever grow within a series. */
  private flushBlock(): void {
    const lines = this.block;
    if (!lines.length) return;
    this.block = [];
    const ncols = lines[0]!.length;
    const cells = new Array<string>(lines.length * ncols);
    if (ncols <= 1) {
      // One cell per line: tabwriter passes such lines through untouched.
      for (let j = 0; j < lines.length; j++) cells[j] = cellText(lines[j]![0]);
      this.sink.write(cells.join('\n') + '\n');
      return;
    }
    const widths = this.widths ?? new Array<number>(ncols - 1).fill(0);
    const cellWidths = new Array<number>(cells.length);
    let k = 0;
    for (const l of lines) {
      for (let i = 0; i < ncols; i++, k++) {
        const v = l[i];
        let text: string;
        let w: number;
        if (typeof v === 'number') {
          text = String(v);
          w = text.length;
        } else if (isBigInt(v)) {
          text = v.slice(1);
          w = text.length;
        } else {
          text = cellText(v);
          w = i === ncols - 1 ? 0 : displayWidth(text);
        }
        cells[k] = text;
        cellWidths[k] = w;
        if (i < ncols - 1 && w > widths[i]!) widths[i] = w;
      }
    }
    this.widths = widths;
    const pads = widths.map((w) => ' '.repeat(w + 1));
    let out = '';
    for (let j = 0; j < cells.length; j++) {
      const i = j % ncols;
      out += i === ncols - 1 ? cells[j] + '\n' : cells[j] + pads[i]!.slice(cellWidths[j]!);
    }
    this.sink.write(out);
  }
}
