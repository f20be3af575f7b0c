// A narrowing resize and the live region. Most terminals (tmux, iTerm2, VTE, kitty, Windows
// Terminal) rewrap lines when the window gets narrower, so the rows Ink drew become more rows
// than it knows of, and its erase leaves the top ones behind: a stale copy of the prompt above
// the new one. Before Ink redraws, this erases everything from the rewrapped top of the region.
import { displayWidth } from '../format/width.js';

/** The frame last drawn: the widths of the rows above the cursor's row, and the cursor. */
export interface DrawnFrame {
  above: number[];
  cursor: { x: number; y: number };
  columns: number;
}

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** Columns a drawn row takes (colours left out), at most the width it was drawn at. */
export function rowWidth(row: string, columns: number): number {
  return Math.min(displayWidth(row.includes('\x1b') ? row.replace(ANSI, '') : row), columns);
}

/**
 * What to write, before Ink's own erase, when the terminal got narrower. The cursor's row stays
 * where it was on the screen and the rewrapped rows above it take more room upwards. Erase the
 * cursor's row and all below it, then each rewrapped row above, then step down to the row Ink
 * believes its cursor is on, so Ink's erase (down to its last row, then up over its rows) only
 * meets blank rows. Rows are erased one by one: tmux copies the screen into the scrollback
 * when it is erased from its top-left corner (scroll-on-clear). Empty when nothing rewraps.
 */
export function reflowErase(drawn: DrawnFrame | null, columns: number): string {
  if (!drawn || columns >= drawn.columns || columns < 1) return '';
  const rows = (w: number) => Math.max(1, Math.ceil(w / columns));
  let up = Math.floor(drawn.cursor.x / columns);
  for (const w of drawn.above) up += rows(w);
  if (up === drawn.cursor.y) return '';
  const below = '\x1b7\x1b[1B\x1b[J\x1b8';
  return `\r\x1b[2K${below}${'\x1b[1A\x1b[2K'.repeat(up)}${drawn.cursor.y > 0 ? `\x1b[${drawn.cursor.y}B` : ''}`;
}

/**
 * Whether the terminal rewraps on resize. xterm is the common one that does not (it cuts
 * rows); erasing for a rewrap there would erase lines of output above the prompt.
 */
export function terminalRewraps(env: NodeJS.ProcessEnv): boolean {
  return !!env.TMUX || !env.XTERM_VERSION;
}
