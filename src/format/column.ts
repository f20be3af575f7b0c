// The 1.x `column` format: name:/tags: headers, column names, dashes, rows aligned the way Go's
// text/tabwriter (padding 1) aligns them, a blank line between series and between results.
//
// Each series is aligned on its own. A series longer than `alignRows` starts printing once that
// many rows are buffered; later, wider cells widen their column from that row on (1.x would
// buffer the whole result instead).
import type { Formatter, FormatEvent, FormatOptions, Sink } from './types.js';
import { cellText, displayWidth, tagText } from './cells.js';

const DEFAULT_ALIGN_ROWS = 50000;

export class ColumnFormatter implements Formatter {
  private resultIndex = 0;
  private seriesInResult = 0;
  private block: string[][] = [];
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
        for (const r of e.rows) {
          const cells = new Array<string>(r.length);
          for (let i = 0; i < r.length; i++) {
            const v = r[i];
            cells[i] = typeof v === 'number' ? String(v) : cellText(v);
          }
          this.block.push(cells);
        }
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
    if (ncols <= 1) {
      // One cell per line: tabwriter passes such lines through untouched.
      let out = '';
      for (const l of lines) out += (l[0] ?? '') + '\n';
      this.sink.write(out);
      return;
    }
    const widths = this.widths ?? new Array<number>(ncols - 1).fill(0);
    // Cell widths are computed once and kept for the padding pass.
    const cellWidths = new Array<number>(lines.length * (ncols - 1));
    let k = 0;
    for (const l of lines) {
      for (let i = 0; i < ncols - 1; i++) {
        const w = displayWidth(l[i] ?? '');
        cellWidths[k++] = w;
        if (w > widths[i]!) widths[i] = w;
      }
    }
    this.widths = widths;
    const pads = widths.map((w) => ' '.repeat(w + 1));
    let out = '';
    k = 0;
    for (const l of lines) {
      let line = '';
      for (let i = 0; i < ncols - 1; i++) line += (l[i] ?? '') + pads[i]!.slice(cellWidths[k++]!);
      out += line + (l[ncols - 1] ?? '') + '\n';
    }
    this.sink.write(out);
  }
}
