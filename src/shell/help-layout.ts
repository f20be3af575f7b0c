// Lays out `help` for the terminal it is shown on: usage and summary side by side when both fit,
// the summary under its usage otherwise, every line broken between words (never inside one).

/** Breaks text into lines of at most `width` columns, between words; an over-long word breaks after a `|`, or is cut. */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => splitLong(word, w));
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= w) line += ' ' + word;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

function splitLong(word: string, w: number): string[] {
  if (word.length <= w) return [word];
  const out: string[] = [];
  let rest = word;
  while (rest.length > w) {
    const bar = rest.lastIndexOf('|', w - 1);
    const cut = bar > 0 ? bar + 1 : w;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) out.push(rest);
  return out;
}

import { columnsTable, type FixedCell } from '../format/fixed-table.js';

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
