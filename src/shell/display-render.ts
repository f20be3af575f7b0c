// Pure text renderers for the shell's screen output: boxed tables with a caption and a
// "rows hidden" marker, and the vertical layout used when a row is wider than the terminal.
import { displayWidth } from '../format/cells.js';

export interface Block {
  caption: string;
  columns: string[];
  rows: string[][];
  /** Number of the first row (1-based), for the vertical layout. */
  firstRow: number;
  /** Draw the caption (only the first slice of a series has one). */
  withCaption: boolean;
}

export interface Style {
  dim(s: string): string;
  bold(s: string): string;
}

export const PLAIN: Style = { dim: (s) => s, bold: (s) => s };
export const ANSI: Style = { dim: (s) => `\x1b[2m${s}\x1b[22m`, bold: (s) => `\x1b[1m${s}\x1b[22m` };

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** Widest cell per column over the header and the given rows. */
export function columnWidths(columns: string[], rows: string[][]): number[] {
  const w = columns.map(displayWidth);
  for (const r of rows) for (let i = 0; i < r.length; i++) w[i] = Math.max(w[i] ?? 0, displayWidth(r[i]!));
  return w;
}

/** Width a boxed table of these rows takes: cells plus one space each side plus borders. */
export function tableWidth(columns: string[], rows: string[][]): number {
  const w = columnWidths(columns, rows);
  return w.reduce((a, b) => a + b + 3, 1);
}

export function markerText(hidden: number): string {
  return `⋮ ${fmtCount(hidden)} more row${hidden === 1 ? '' : 's'} ⋮`;
}

/** One cell on one line: control characters would break the box, so they are shown escaped. */
function flat(s: string): string {
  return /[\x00-\x1f\x7f]/.test(s) ? s.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/[\x00-\x1f\x7f]/g, '?') : s;
}

/**
 * A boxed table. Hand-drawn rather than cli-table3: this is on the path of `last` over a
 * million rows, and a string join per row is hundreds of times cheaper than a layout engine.
 */
export function renderTable(b: Block, style: Style): string {
  const head = b.columns.map(flat);
  const rows = b.rows.map((r) => head.map((_, i) => flat(r[i] ?? '')));
  const w = columnWidths(head, rows);
  const line = (l: string, m: string, r: string) => style.dim(l + w.map((x) => '─'.repeat(x + 2)).join(m) + r) + '\n';
  const bar = style.dim('│');
  const row = (cells: string[]) => {
    let out = bar;
    for (let i = 0; i < w.length; i++) {
      const c = cells[i]!;
      out += ' ' + c + ' '.repeat(w[i]! - displayWidth(c) + 1) + bar;
    }
    return out + '\n';
  };
  let out = b.withCaption && b.caption ? style.bold(b.caption) + '\n' : '';
  out += line('┌', '┬', '┐') + row(head) + line('├', '┼', '┤');
  for (const r of rows) out += row(r);
  return out + line('└', '┴', '┘');
}

export function renderVertical(b: Block, style: Style): string {
  const w = Math.max(0, ...b.columns.map(displayWidth));
  const labels = b.columns.map((c) => ' '.repeat(w - displayWidth(c)) + c);
  let out = b.withCaption && b.caption ? style.bold(b.caption) + '\n' : '';
  b.rows.forEach((r, k) => {
    out += style.dim(`-[ row ${fmtCount(b.firstRow + k)} ]`.padEnd(w + 3 + 12, '-')) + '\n';
    for (let i = 0; i < labels.length; i++) out += `${labels[i]} | ${r[i] ?? ''}\n`;
  });
  return out;
}

export function renderMarker(hidden: number, style: Style): string {
  return style.dim(`  ${markerText(hidden)}`) + '\n';
}

/** The line under a series: its row count and, when capped, how to see the rest. */
export function footer(total: number, shown: number, style: Style): string {
  const rows = `${fmtCount(total)} row${total === 1 ? '' : 's'}`;
  if (shown >= total) return style.dim(rows) + '\n\n';
  return style.dim(`${rows}, ${fmtCount(shown)} shown: 'last' pages through all of them, 'limit off' shows everything`) + '\n\n';
}
