// Lays the editor buffer out in terminal rows: the prompt on the first row, a continuation
// marker on the others, long lines wrapped at the exact column so the cursor position is known.
// A buffer taller than the room it gets (a 1 MB paste) shows a window around the cursor.
import sliceAnsi from 'slice-ansi';
import { displayWidth } from '../format/width.js';

export interface EditorLayout {
  rows: string[];
  cursor: { x: number; y: number };
}

/** The prompt to draw, shortened on narrow terminals so some room is left to type. */
export function fitPrompt(prompt: string, columns: number): string {
  if (displayWidth(prompt) <= Math.max(4, columns - 12)) return prompt;
  return '> ';
}

const ASCII = /^[\x20-\x7e]*$/;

/**
 * Control characters would move the terminal's cursor: draw them as one visible cell each.
 * In styled text ESC starts the highlighter's colours and stays.
 */
function visible(s: string, styled = false): string {
  // A lone U+DC80..U+DCFF is a byte that is not UTF-8 (write/raw-text.ts): one `?` too.
  const re = styled ? /[\x00-\x09\x0b-\x1a\x1c-\x1f\x7f]|(?<![\ud800-\udbff])[\udc80-\udcff]/g : /[\x00-\x09\x0b-\x1f\x7f]|(?<![\ud800-\udbff])[\udc80-\udcff]/g;
  return re.test(s) ? s.replace(/\t/g, ' ').replace(re, '?') : s;
}

/** Columns [from, to) of one line, plain or styled. */
function piece(plain: string, styled: string, from: number, to: number): string {
  if (styled === plain && ASCII.test(plain)) return plain.slice(from, to);
  return sliceAnsi(styled, from, to);
}

/**
 * `text` is the plain buffer (for widths and the cursor), `styled` the same text with ANSI
 * colours (or the same string). `ghost` is drawn dimmed after the last line. At most `maxRows`
 * rows are returned.
 */
export function layoutEditor(opts: { prompt: string; text: string; styled: string; cursor: number; columns: number; ghost?: string; maxRows?: number }): EditorLayout {
  const columns = Math.max(8, opts.columns);
  const prompt = fitPrompt(opts.prompt, columns);
  const pw = displayWidth(prompt);
  const cont = ' '.repeat(Math.max(0, pw - 3)) + (pw >= 3 ? '-> ' : '>'.padEnd(pw));
  const indent = ' '.repeat(pw);
  const avail = Math.max(1, columns - pw - 1);
  const plainLines = visible(opts.text).split('\n');
  const styledLines = opts.styled === opts.text ? plainLines : visible(opts.styled, true).split('\n');

  // First pass: how many rows each line takes and where the cursor is, without drawing.
  const spans: { line: number; first: number; pieces: number }[] = [];
  let total = 0;
  let cursor = { x: pw, y: 0 };
  let offset = 0;
  plainLines.forEach((line, li) => {
    const pieces = Math.max(1, Math.ceil(displayWidth(line) / avail));
    const first = total;
    total += pieces;
    const end = offset + line.length;
    if (opts.cursor >= offset && opts.cursor <= end) {
      const col = displayWidth(line.slice(0, opts.cursor - offset));
      const r = Math.floor(col / avail);
      // A cursor exactly at a wrap point sits at the start of the next row.
      if (r >= pieces) total++;
      cursor = { x: pw + (col - r * avail), y: first + r };
    }
    spans.push({ line: li, first, pieces });
    offset = end + 1;
  });

  const maxRows = Math.max(3, opts.maxRows ?? Infinity);
  let from = 0;
  let to = total;
  if (total > maxRows) {
    from = Math.max(0, Math.min(cursor.y - Math.floor(maxRows / 2), total - maxRows));
    to = from + maxRows;
  }
  const rows: string[] = [];
  for (const s of spans) {
    if (s.first + s.pieces <= from || s.first >= to) continue;
    const plain = plainLines[s.line]!;
    const styled = styledLines[s.line] ?? plain;
    for (let k = 0; k < s.pieces; k++) {
      const y = s.first + k;
      if (y < from || y >= to) continue;
      const prefix = k > 0 ? indent : s.line === 0 ? prompt : cont;
      rows.push(prefix + (s.pieces === 1 ? styled : piece(plain, styled, k * avail, (k + 1) * avail)));
    }
  }
  while (rows.length < to - from) rows.push(indent);
  if (from > 0) rows[0] = `${indent}\x1b[2m… ${from} more row${from === 1 ? '' : 's'} above\x1b[22m`;
  if (to < total) rows[rows.length - 1] = `${indent}\x1b[2m… ${total - to} more row${total - to === 1 ? '' : 's'} below\x1b[22m`;
  cursor = { x: cursor.x, y: cursor.y - from };
  if (opts.ghost && cursor.y === rows.length - 1 && to === total) {
    const room = avail - (cursor.x - pw);
    if (room > 1) rows[rows.length - 1] += `\x1b[2m${sliceAnsi(visible(opts.ghost), 0, room - 1)}\x1b[22m`;
  }
  return { rows, cursor };
}

/** A buffer as it goes to the scrollback when it runs: every row (no window, no ghost). */
export function echoText(prompt: string, text: string, styled: string, columns: number): string {
  return layoutEditor({ prompt, text, styled, cursor: 0, columns }).rows.join('\n');
}

/** Highlighting a huge buffer on every key would make typing lag; past 64 KB it stays plain. */
export function styleBuffer(text: string, highlight: (text: string) => string): string {
  return text.length > 65536 ? text : highlight(text);
}
