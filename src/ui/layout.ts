// Lays the editor buffer out in terminal rows: the prompt on the first row, a continuation
// marker on the others, long lines wrapped at the exact column so the cursor position is known.
import sliceAnsi from 'slice-ansi';
import { displayWidth } from '../format/cells.js';

export interface EditorLayout {
  rows: string[];
  cursor: { x: number; y: number };
}

/** The prompt to draw, shortened on narrow terminals so some room is left to type. */
export function fitPrompt(prompt: string, columns: number): string {
  if (displayWidth(prompt) <= Math.max(4, columns - 12)) return prompt;
  return '> ';
}

/**
 * `text` is the plain buffer (for widths and the cursor), `styled` the same text with ANSI
 * colours (or the same string). `ghost` is drawn dimmed after the last line.
 */
export function layoutEditor(opts: { prompt: string; text: string; styled: string; cursor: number; columns: number; ghost?: string }): EditorLayout {
  const columns = Math.max(8, opts.columns);
  const prompt = fitPrompt(opts.prompt, columns);
  const pw = displayWidth(prompt);
  const cont = ' '.repeat(Math.max(0, pw - 3)) + (pw >= 3 ? '-> ' : '>'.padEnd(pw));
  const indent = ' '.repeat(pw);
  const avail = Math.max(1, columns - pw - 1);
  const plainLines = opts.text.split('\n');
  const styledLines = opts.styled.split('\n');
  const rows: string[] = [];
  let cursor = { x: pw, y: 0 };
  let offset = 0;
  plainLines.forEach((line, li) => {
    const styled = styledLines[li] ?? line;
    const width = displayWidth(line);
    const pieces = Math.max(1, Math.ceil(width / avail));
    const firstRow = rows.length;
    for (let k = 0; k < pieces; k++) {
      const prefix = k > 0 ? indent : li === 0 ? prompt : cont;
      rows.push(prefix + (pieces === 1 ? styled : sliceAnsi(styled, k * avail, (k + 1) * avail)));
    }
    const lineEndOffset = offset + line.length;
    if (opts.cursor >= offset && opts.cursor <= lineEndOffset) {
      const col = displayWidth(line.slice(0, opts.cursor - offset));
      // A cursor exactly at a wrap point sits at the start of the next row.
      const r = Math.floor(col / avail);
      if (r >= pieces) rows.push(indent);
      cursor = { x: pw + (col - r * avail), y: firstRow + r };
    }
    offset = lineEndOffset + 1;
  });
  if (opts.ghost && cursor.y === rows.length - 1) {
    const room = avail - (cursor.x - pw);
    if (room > 1) rows[rows.length - 1] += `\x1b[2m${sliceAnsi(opts.ghost, 0, room - 1)}\x1b[22m`;
  }
  return { rows, cursor };
}
