// The one box renderer: `table` output, the shell's display and the sparkline trend table all
// draw through it. Hand-drawn rather than cli-table3: cli-table3's layout costs 110-220 µs a row
// and grows with the rows of a table (its fillInTable checks every cell against every row above),
// a string join here costs about 2 µs a row; `last` and `limit off` draw millions of rows.
import { displayWidth } from './width.js';
import { grouped } from './numbers.js';

export interface Block {
  caption: string;
  columns: string[];
  /** One-line cells (see oneLine), in `columns` order. */
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

const CONTROL = /[\x00-\x1f\x7f]/;

/** A cell on one line: control characters would break the box, so they are shown escaped. */
export function oneLine(s: string): string {
  return CONTROL.test(s)
    ? s
        .replace(/\n/g, '\\n')
        .replace(/\r/g, '\\r')
        .replace(/\t/g, '\\t')
        .replace(/[\x00-\x1f\x7f]/g, '?')
    : s;
}

/** Widest cell per column over the header and the given rows, and at least `min`. */
export function columnWidths(columns: string[], rows: string[][], min?: readonly number[]): number[] {
  const w = columns.map((c, i) => Math.max(displayWidth(c), min?.[i] ?? 0));
  for (const r of rows) {
    for (let i = 0; i < w.length; i++) {
      const c = r[i];
      if (c) w[i] = Math.max(w[i]!, displayWidth(c));
    }
  }
  return w;
}

/** Width a boxed table with these column widths takes: cells plus one space each side plus borders. */
export function boxWidth(widths: readonly number[]): number {
  return widths.reduce((a, b) => a + b + 3, 1);
}

export function renderTable(b: Block, style: Style): string {
  const w = columnWidths(b.columns, b.rows);
  return boxTop(b, w, style) + boxRows(b.rows, w, style) + boxBottom(w, style);
}

function rule(w: readonly number[], l: string, m: string, r: string, style: Style): string {
  return style.dim(l + w.map((x) => '─'.repeat(x + 2)).join(m) + r) + '\n';
}

/** The caption (when `withCaption`), the top border, the column names and the rule under them. */
export function boxTop(b: Pick<Block, 'caption' | 'columns' | 'withCaption'>, w: readonly number[], style: Style): string {
  const caption = b.withCaption && b.caption ? style.bold(b.caption) + '\n' : '';
  return caption + rule(w, '┌', '┬', '┐', style) + boxRows([b.columns], w, style) + rule(w, '├', '┼', '┤', style);
}

export function boxRows(rows: readonly string[][], w: readonly number[], style: Style): string {
  const bar = style.dim('│');
  let out = '';
  for (const cells of rows) {
    out += bar;
    for (let i = 0; i < w.length; i++) {
      const c = cells[i] ?? '';
      out += ' ' + c + ' '.repeat(w[i]! - displayWidth(c) + 1) + bar;
    }
    out += '\n';
  }
  return out;
}

export function boxBottom(w: readonly number[], style: Style): string {
  return rule(w, '└', '┴', '┘', style);
}

export function renderVertical(b: Block, style: Style): string {
  const w = Math.max(0, ...b.columns.map(displayWidth));
  const labels = b.columns.map((c) => ' '.repeat(w - displayWidth(c)) + c);
  let out = b.withCaption && b.caption ? style.bold(b.caption) + '\n' : '';
  b.rows.forEach((r, k) => {
    out += style.dim(`-[ row ${grouped(b.firstRow + k)} ]`.padEnd(w + 3 + 12, '-')) + '\n';
    for (let i = 0; i < labels.length; i++) out += `${labels[i]} | ${r[i] ?? ''}\n`;
  });
  return out;
}

function markerText(hidden: number): string {
  return `⋮ ${grouped(hidden)} more row${hidden === 1 ? '' : 's'} ⋮`;
}

export function renderMarker(hidden: number, style: Style): string {
  return style.dim(`  ${markerText(hidden)}`) + '\n';
}

/** The line under a series: its row count and, when capped, how to see the rest. */
export function footer(total: number, shown: number, style: Style): string {
  const rows = `${grouped(total)} row${total === 1 ? '' : 's'}`;
  if (shown >= total) return style.dim(rows) + '\n\n';
  // Two lines, each under 80 columns, so a narrow terminal never wraps the hint mid-word.
  return style.dim(`${rows}, ${grouped(shown)} shown`) + '\n' + style.dim("'last' pages through all of them, 'limit off' shows everything") + '\n\n';
}
