// The 1.x `csv` format: RFC 4180 quoting as Go's encoding/csv does it, a header per series with
// name and tags as leading columns.
import type { Formatter, FormatEvent, Sink } from './types.js';
import { tagText } from './cells.js';
import { RepeatedHeaders } from './repeated-headers.js';
import { scratch, writeBytes } from './sink.js';
import { CellKind, cellString, scanRows, type CellScan } from '../query/raw-values.js';

const NEEDS_QUOTES = /[",\r\n]|^\s/u;

/** Go's encoding/csv rule: quote fields with a comma, quote, CR/LF or leading space, and `\.`. */
export function csvField(s: string): string {
  if (s === '') return s;
  return NEEDS_QUOTES.test(s) || s === '\\.' ? `"${s.replace(/"/g, '""')}"` : s;
}

export class CsvFormatter implements Formatter {
  readonly rawRows = true;
  private prefix = Buffer.alloc(0);
  private readonly headers = new RepeatedHeaders();

  constructor(private readonly sink: Sink) {}

  event(e: FormatEvent): void {
    if (e.type === 'response-start') this.headers.reset();
    else if (e.type === 'raw') this.headers.next(e.result);
    else if (e.type === 'series') {
      const head: string[] = [];
      const pre: string[] = [];
      if (e.name) {
        head.push('name');
        pre.push(csvField(e.name));
      }
      if (e.tags) {
        head.push('tags');
        pre.push(csvField(tagText(e.tags, ',')));
      }
      this.prefix = Buffer.from(pre.length ? pre.join(',') + ',' : '');
      // A result repeating the last headers (1.x's rule) continues that table.
      if (!this.headers.suppressed) this.sink.write(head.concat(e.columns.map(csvField)).join(',') + '\n');
    } else if (e.type === 'rows') {
      writeBytes(this.sink, csvRows(e.scan ?? scanRows(e.rows), this.prefix));
    }
  }

  close(): void {}
}

/** CSV lines for the rows of a scan, each starting with `prefix` (name and tags); valid until the next call. */
export function csvRows(sc: CellScan, prefix: Buffer): Buffer {
  const { src, start, end, kind, rowEnd } = sc;
  // Every cell's CSV is no longer than its JSON, and `[`/`]` pay for the comma and newline.
  const out = scratch(sc.close - sc.open + sc.rows * prefix.length);
  const plen = prefix.length;
  let pos = 0;
  let k = 0;
  for (let r = 0; r < sc.rows; r++) {
    for (let p = 0; p < plen; p++) out[pos++] = prefix[p]!;
    const last = rowEnd[r]!;
    for (let first = true; k < last; k++, first = false) {
      if (!first) out[pos++] = 44;
      const s = start[k]!;
      const e = end[k]!;
      const t = kind[k]!;
      if (t === CellKind.Null) continue;
      if (t === CellKind.Bare || (t === CellKind.Plain && src[s] !== 32)) {
        // Plain strings hold no quote or line break, so only a comma makes them need quotes.
        const at = pos;
        let comma = false;
        for (let p = s; p < e; p++) {
          const c = src[p]!;
          if (c === 44) comma = true;
          out[pos++] = c;
        }
        if (comma) {
          out.copyWithin(at + 1, at, pos);
          out[at] = 34;
          pos++;
          out[pos++] = 34;
        }
      } else {
        pos += out.write(csvField(cellString(sc, k)), pos);
      }
    }
    out[pos++] = 10;
  }
  return out.subarray(0, pos);
}
