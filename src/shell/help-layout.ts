// Lays out `help` for the terminal it is shown on: usage and summary side by side when both fit,
// the summary under its usage otherwise, every line broken between words (never inside one).

import { columnsTable, type FixedCell } from '../format/fixed-table.js';
import { wrapWords } from '../format/wrap.js';

const INDENT = 2;
const GAP = 2;
/** The usage column never takes more than this share of the width, so summaries keep room. */
const USAGE_SHARE = 0.4;

/** `help`'s lines for a terminal `width` columns wide: two borderless columns drawn by cli-table3. */
export function helpLines(entries: [usage: string, summary: string][], width: number): string[] {
  const usageCol = Math.min(Math.max(...entries.map(([u]) => u.length)), Math.floor(width * USAGE_SHARE));
  const summaryWidth = width - (INDENT + usageCol + GAP) - 1;
  const rows: FixedCell[][] = [];
  for (const [usage, summary] of entries) {
    const u = wrapWords(usage, width - INDENT - 1);
    const s = wrapWords(summary, summaryWidth).join('\n');
    // A long usage gets its own line(s), across both columns; the summary follows in its column.
    if (u.length === 1 && u[0]!.length <= usageCol) rows.push([u[0]!, s]);
    else rows.push([{ content: u.join('\n'), colSpan: 2 }], ['', s]);
  }
  return columnsTable(rows, { indent: INDENT, gap: GAP, widths: [usageCol, summaryWidth] })
    .trimEnd()
    .split('\n');
}
