// What the shell's `watch` draws in place: a one-line header and the latest result, cut to the
// screen (each line to its width, the whole to its height less the status and prompt lines) with
// a note saying how much is not shown.
import sliceAnsi from 'slice-ansi';
import { displayWidth } from '../format/cells.js';

export interface WatchFrameInput {
  every: string;
  statement: string;
  /** The run shown, its start and how long it took; absent before the first run ends. */
  run?: { n: number; at: Date; ms: number; ok: boolean };
  /** The run's result as the display wrote it. */
  text: string;
  columns: number;
  rows: number;
  /** The frame left in the scrollback after the watch: no "Ctrl-C stops". */
  stopped?: boolean;
}

/** Lines the live region keeps for itself below the frame: the status line, the prompt and a spare. */
const RESERVED_ROWS = 3;

export function watchHeader(i: Omit<WatchFrameInput, 'text' | 'rows'>): string {
  const width = Math.max(20, i.columns - 1);
  const r = i.run;
  const when = r ? `  run ${r.n} at ${r.at.toTimeString().slice(0, 8)}, ${r.ms} ms${r.ok ? '' : ', failed'}` : '';
  const head = `Every ${i.every}: `;
  for (const tail of [...(i.stopped ? [] : [`${when}  Ctrl-C stops`]), when, '']) {
    const room = width - head.length - tail.length;
    if (room < 12 && tail) continue;
    const stmt = i.statement.replace(/\s+/g, ' ');
    const shown = stmt.length <= room ? stmt : stmt.slice(0, Math.max(1, room - 1)) + '…';
    return head + shown + tail;
  }
  return head.slice(0, width);
}

export function watchFrame(i: WatchFrameInput): string[] {
  const width = Math.max(20, i.columns - 1);
  const height = Math.max(3, i.rows - RESERVED_ROWS);
  const body = i.text.replace(/\n+$/, '').split('\n');
  const room = height - 1;
  let shown = body;
  if (body.length > room) {
    const keep = room - 1;
    shown = [...body.slice(0, keep), `… ${body.length - keep} more line${body.length - keep === 1 ? '' : 's'} not shown (a taller window shows more)`];
  }
  const cut = (l: string) => (displayWidth(l.replace(/\x1b\[[\d;]*m/g, '')) > width ? sliceAnsi(l, 0, width) : l);
  return [cut(watchHeader(i)), ...shown.map(cut)];
}
