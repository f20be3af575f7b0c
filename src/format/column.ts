// The 1.x `column` format: name:/tags: headers, column names, dashes, rows aligned the way Go's
// text/tabwriter (padding 1) aligns them, a blank line between series and between results.
//
// Each series is aligned on its own, except that a result repeating the last headers continues
// that table (repeated-headers.ts), as in 1.x. A series longer than `alignRows` starts printing
// once that many rows are buffered; later, wider cells widen their column from that row on (1.x
// would buffer the whole result instead).
import type { Formatter, FormatEvent, FormatOptions, Sink } from './types.js';
import { tagText } from './cells.js';
import { displayWidth } from './width.js';
import { RepeatedHeaders } from './repeated-headers.js';
import { scratch, writeBytes } from './sink.js';
import { CellKind, cellString, copyScan, scanRows, type CellScan } from '../query/raw-values.js';

/** Series up to this long print exactly as 1.x prints them, whatever the chunk size. */
const DEFAULT_ALIGN_ROWS = 50000;

/** Rows waiting to be aligned: a scan, plus the cells whose bytes or width differ from the JSON. */
interface Part {
  sc: CellScan;
  /** Cell index -> its text as UTF-8 (escaped strings). */
  text: Map<number, Buffer> | null;
  /** Cell index -> display width (escaped strings and strings beyond ASCII). */
  width: Map<number, number> | null;
}

export class ColumnFormatter implements Formatter {
  readonly rawRows = true;
  private resultIndex = 0;
  private seriesInResult = 0;
  /** The series' column names and dash line, until its first block is written. */
  private heads: string[][] = [];
  private parts: Part[] = [];
  private blockRows = 0;
  private ncols = 0;
  private widths: number[] | null = null;
  private readonly alignRows: number;
  private readonly headers = new RepeatedHeaders();
  /** The events carry each chunk's result (`raw`): blank lines and headers follow 1.x's results. */
  private byResult = false;

  constructor(
    private readonly sink: Sink,
    opts: FormatOptions = {},
  ) {
    this.alignRows = opts.alignRows ?? DEFAULT_ALIGN_ROWS;
  }

  event(e: FormatEvent): void {
    switch (e.type) {
      case 'response-start':
        this.resultIndex = 0;
        this.headers.reset();
        break;
      case 'raw':
        this.byResult = true;
        if (this.headers.next(e.result)) break;
        this.endSeries();
        if (this.headers.index > 1) this.sink.write('\n');
        this.seriesInResult = 0;
        break;
      case 'statement':
        if (this.byResult) break;
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
        if (this.byResult && this.headers.suppressed) {
          this.ncols = Math.max(this.ncols, e.columns.length);
          break;
        }
        this.endSeries();
        if (this.seriesInResult++ > 0) this.sink.write('\n');
        if (e.name) this.sink.write(`name: ${e.name}\n`);
        if (e.tags) this.sink.write(`tags: ${tagText(e.tags, ', ')}\n`);
        // 1.x underlines a name with one dash per UTF-8 byte (Go's len), not per character.
        this.heads = [e.columns, e.columns.map((c) => '-'.repeat(Buffer.byteLength(c)))];
        this.ncols = e.columns.length;
        this.blockRows = 2;
        break;
      }
      case 'rows': {
        const sc = e.scan ?? scanRows(e.rows);
        const part = this.measure(sc);
        this.parts.push(part);
        this.blockRows += sc.rows;
        if (this.blockRows >= this.alignRows) this.flushBlock();
        // A scan's bytes live only as long as the event; rows kept for alignment need a copy.
        else if (e.scan) part.sc = copyScan(sc);
        break;
      }
      case 'end':
        // The next result may continue this table.
        if (!this.byResult) this.endSeries();
        break;
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

  /** Widens the columns for a scan's cells and decodes the cells that need it. */
  private measure(sc: CellScan): Part {
    const widths = (this.widths ??= new Array<number>(Math.max(0, this.ncols - 1)).fill(0));
    const last = widths.length;
    const part: Part = { sc, text: null, width: null };
    const { start, end, kind, rowEnd } = sc;
    let k = 0;
    for (let r = 0; r < sc.rows; r++) {
      const first = k;
      for (const stop = rowEnd[r]!; k < stop; k++) {
        const i = k - first;
        const t = kind[k]!;
        let w: number;
        if (t === CellKind.Escaped) {
          const str = cellString(sc, k);
          (part.text ??= new Map()).set(k, Buffer.from(str, 'utf8'));
          if (i >= last) continue;
          w = displayWidth(str);
          (part.width ??= new Map()).set(k, w);
        } else if (i >= last || t === CellKind.Null) continue;
        else if (t === CellKind.Unicode) {
          w = displayWidth(cellString(sc, k));
          (part.width ??= new Map()).set(k, w);
        } else w = end[k]! - start[k]!;
        if (w > widths[i]!) widths[i] = w;
      }
    }
    return part;
  }

  /** Writes buffered rows with tabwriter alignment; widths only ever grow within a series. */
  private flushBlock(): void {
    const heads = this.heads;
    const parts = this.parts;
    if (!heads.length && !parts.length) return;
    this.heads = [];
    this.parts = [];
    this.blockRows = 0;
    const widths = this.widths ?? new Array<number>(Math.max(0, this.ncols - 1)).fill(0);
    this.widths = widths;
    const last = widths.length;
    for (const h of heads) for (let i = 0; i < last; i++) widths[i] = Math.max(widths[i]!, displayWidth(h[i] ?? ''));
    let text = '';
    for (const h of heads) {
      for (let i = 0; i < h.length; i++) text += i < last ? h[i]! + ' '.repeat(widths[i]! + 1 - displayWidth(h[i]!)) : h[i]!;
      text += '\n';
    }
    if (text) this.sink.write(text);
    let lineMax = 1;
    for (const w of widths) lineMax += w + 1;
    for (const p of parts) writeBytes(this.sink, alignRows(p, widths, lineMax));
  }
}

/** The rows of a part as aligned lines (valid until the next call): every cell but the last padded. */
function alignRows(p: Part, widths: number[], lineMax: number): Buffer {
  const { sc, text, width } = p;
  const { src, start, end, kind, rowEnd } = sc;
  const last = widths.length;
  const out = scratch(sc.close - sc.open + sc.rows * lineMax);
  let pos = 0;
  let k = 0;
  for (let r = 0; r < sc.rows; r++) {
    const first = k;
    for (const stop = rowEnd[r]!; k < stop; k++) {
      const i = k - first;
      const t = kind[k]!;
      let w = 0;
      if (t === CellKind.Escaped) {
        const b = text!.get(k)!;
        b.copy(out, pos);
        pos += b.length;
        if (i < last) w = width!.get(k)!;
      } else if (t !== CellKind.Null) {
        const s = start[k]!;
        const e = end[k]!;
        for (let q = s; q < e; q++) out[pos++] = src[q]!;
        if (i < last) w = t === CellKind.Unicode ? width!.get(k)! : e - s;
      }
      if (i < last) for (let pad = widths[i]! + 1 - w; pad > 0; pad--) out[pos++] = 32;
    }
    out[pos++] = 10;
  }
  return out.subarray(0, pos);
}
