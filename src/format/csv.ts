// The 1.x `csv` format: RFC 4180 quoting as Go's encoding/csv does it, a header per series with
// name and tags as leading columns.
import type { Formatter, FormatEvent, Sink } from './types.js';
import { cellText, tagText } from './cells.js';

const NEEDS_QUOTES = /[",\r\n]|^\s/u;

/** Go's encoding/csv rule: quote fields with a comma, quote, CR/LF or leading space, and `\.`. */
export function csvField(s: string): string {
  if (s === '') return s;
  return NEEDS_QUOTES.test(s) || s === '\\.' ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A cell as CSV: numbers and booleans never need quotes. */
function csvCell(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return csvField(cellText(v));
}

export class CsvFormatter implements Formatter {
  private prefix = '';

  constructor(private readonly sink: Sink) {}

  event(e: FormatEvent): void {
    if (e.type === 'series') {
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
      this.prefix = pre.length ? pre.join(',') + ',' : '';
      this.sink.write(head.concat(e.columns.map(csvField)).join(',') + '\n');
    } else if (e.type === 'rows') {
      const prefix = this.prefix;
      const lines = new Array<string>(e.rows.length + 1);
      let k = 0;
      for (const r of e.rows) {
        let line = prefix + csvCell(r[0]);
        for (let i = 1; i < r.length; i++) line += ',' + csvCell(r[i]);
        lines[k++] = line;
      }
      lines[k] = '';
      this.sink.write(lines.join('\n'));
    }
  }

  close(): void {}
}
