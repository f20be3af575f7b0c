// The 1.x `csv` format: RFC 4180 quoting as Go's encoding/csv does it, a header per series with
// name and tags as leading columns.
import type { Formatter, FormatEvent, Sink } from './types.js';
import { cellText, tagText } from './cells.js';
import { eachCell } from '../query/raw-values.js';

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
  readonly rowText = true;
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
    } else if (e.type === 'rows' && e.text !== undefined) {
      this.sink.write(csvFromText(e.text, this.prefix));
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

const CELL_TOKENS = /"([^"]*)"|null/g;

function plainCell(m: string, str: string | undefined): string {
  if (str === undefined) return ''; // null
  return str.includes(',') || /^\s/u.test(str) ? m : str;
}

function oddQuotes(r: string): boolean {
  let n = 0;
  for (let i = r.indexOf('"'); i >= 0; i = r.indexOf('"', i + 1)) n++;
  return n % 2 === 1;
}

/** CSV lines straight from the JSON text of a values array (numbers copied as sent). */
export function csvFromText(t: string, prefix: string): string {
  // Without escapes a JSON string holds no quote or line break, so CSV needs quotes only for a
  // comma or leading space, and then the JSON text of the cell is already its CSV text.
  if (!t.includes('\\')) {
    const rows = t.slice(2, -2).split('],[');
    for (let i = 0; i < rows.length; i++) {
      let r = rows[i]!;
      if (r.includes('"')) {
        // A string holding "],[" would have been cut in two: its pieces have odd quote counts.
        if (oddQuotes(r)) return csvFromCells(t, prefix);
        r = r.replace(CELL_TOKENS, plainCell);
      } else if (r.includes('null')) r = r.replace(CELL_TOKENS, plainCell);
      rows[i] = prefix + r;
    }
    return rows.join('\n') + '\n';
  }
  return csvFromCells(t, prefix);
}

function csvFromCells(t: string, prefix: string): string {
  const lines: string[] = [];
  let line = prefix;
  let first = true;
  eachCell(
    t,
    (start, end, kind) => {
      let cell: string;
      if (kind === 0) cell = t.slice(start, end);
      else if (kind === 1) cell = '';
      else cell = csvField(kind === 2 ? t.slice(start, end) : (JSON.parse(t.slice(start, end)) as string));
      line += first ? cell : ',' + cell;
      first = false;
    },
    () => {
      lines.push(line);
      line = prefix;
      first = true;
    },
  );
  lines.push('');
  return lines.join('\n');
}
