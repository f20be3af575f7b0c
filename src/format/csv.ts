// The 1.x `csv` format: RFC 4180 quoting as Go's encoding/csv does it, a header per series with
// name and tags as leading columns.
import type { Formatter, FormatEvent, Sink } from './types.js';
import { cellText, tagText } from './cells.js';

export function csvField(s: string): string {
  if (s === '') return s;
  const needs = /[",\r\n]/.test(s) || /^\s/u.test(s) || s === '\\.';
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
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
      let out = '';
      for (const r of e.rows) {
        let line = this.prefix;
        for (let i = 0; i < r.length; i++) {
          if (i) line += ',';
          line += csvField(cellText(r[i]));
        }
        out += line + '\n';
      }
      this.sink.write(out);
    }
  }

  close(): void {}
}
