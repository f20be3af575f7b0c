// Small tables of a known, bounded size (the trend table, `settings`, `help`, the load and
// simulate reports) are laid out by cli-table3. Query results are not: they stream through
// table-render.ts, since cli-table3's layout grows with rows² (bench/table.mjs).
import Table from 'cli-table3';
import { PLAIN, type Style } from './table-render.js';

const NO_BORDER = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '',
};

/** The box-drawing characters cli-table3 draws with (the same set table-render.ts uses). */
const BORDER = /[\u2500\u2502\u250c\u2510\u2514\u2518\u251c\u2524\u252c\u2534\u253c]+/g;

/**
 * A boxed table in the look of the streaming renderer: a rule under the header, none between
 * rows, borders dimmed by `style`. Cells are one line each.
 */
export function boxTable(columns: string[], rows: string[][], style: Style = PLAIN): string {
  const t = new Table({ head: columns, style: { head: [], border: [], compact: true } });
  t.push(...rows);
  const text = t.toString();
  return (style === PLAIN ? text : text.replace(BORDER, (b) => style.dim(b))) + '\n';
}

/** A cell of `columnsTable`: one or more lines, optionally across both columns. */
export type FixedCell = string | { content: string; colSpan: number };

/**
 * Columns without borders, as 1.x prints `settings`: each column as wide as its widest line plus
 * `gap` spaces, no trailing blanks. Cells may hold several lines (pre-wrapped by the caller).
 */
export function columnsTable(rows: FixedCell[][], o: { indent?: number; gap?: number; widths?: number[] } = {}): string {
  const gap = o.gap ?? 1;
  const t = new Table({
    chars: NO_BORDER,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': gap },
    ...(o.widths ? { colWidths: o.widths.map((w) => w + gap) } : {}),
  });
  t.push(...rows);
  const pad = ' '.repeat(o.indent ?? 0);
  return (
    t
      .toString()
      .split('\n')
      .map((l) => (pad + l).trimEnd())
      .join('\n') + '\n'
  );
}
