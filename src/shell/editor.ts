// The line editor as a pure reducer: a multi-line text buffer with a cursor, emacs motions and a
// kill ring. The Ink prompt only maps keys to these actions and draws the result.

export interface EditorState {
  text: string;
  /** UTF-16 offset into text. */
  cursor: number;
  /** Most recent kill last. */
  killRing: string[];
  /** The previous action was a kill, so the next kill appends to the same ring entry. */
  lastWasKill: boolean;
  /** Where the last yank landed, for Alt-Y (yank-pop). */
  lastYank: { start: number; end: number; index: number } | null;
}

export type EditorAction =
  | { type: 'insert'; text: string }
  | { type: 'set'; text: string; cursor?: number }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'line-start' }
  | { type: 'line-end' }
  | { type: 'buffer-start' }
  | { type: 'buffer-end' }
  | { type: 'word-left' }
  | { type: 'word-right' }
  | { type: 'kill-to-end' }
  | { type: 'kill-to-start' }
  | { type: 'kill-word-back' }
  | { type: 'kill-word-forward' }
  | { type: 'yank' }
  | { type: 'yank-pop' }
  | { type: 'transpose' }
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'replace'; start: number; end: number; text: string };

const KILL_RING_SIZE = 30;

export function emptyEditor(): EditorState {
  return { text: '', cursor: 0, killRing: [], lastWasKill: false, lastYank: null };
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The offset one character (code point) before i. */
export function prevChar(text: string, i: number): number {
  if (i <= 0) return 0;
  return i >= 2 && isLow(text.charCodeAt(i - 1)) && !isLow(text.charCodeAt(i - 2)) ? i - 2 : i - 1;
}

/** The offset one character (code point) after i. */
export function nextChar(text: string, i: number): number {
  if (i >= text.length) return text.length;
  return i + 1 < text.length && isLow(text.charCodeAt(i + 1)) ? i + 2 : i + 1;
}

const WORD = /[\p{L}\p{N}_]/u;

function isWordAt(text: string, i: number): boolean {
  return WORD.test(text[i] ?? '');
}

/** Start of the word before the cursor (emacs Alt-B). */
export function wordStart(text: string, i: number): number {
  while (i > 0 && !isWordAt(text, i - 1)) i--;
  while (i > 0 && isWordAt(text, i - 1)) i--;
  return i;
}

/** End of the word after the cursor (emacs Alt-F). */
export function wordEnd(text: string, i: number): number {
  while (i < text.length && !isWordAt(text, i)) i++;
  while (i < text.length && isWordAt(text, i)) i++;
  return i;
}

export function lineStart(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}

export function lineEnd(text: string, i: number): number {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
}

/** Row and column (in UTF-16 units) of offset i. */
export function position(text: string, i: number): { row: number; col: number } {
  let row = 0;
  let start = 0;
  for (let n = text.indexOf('\n'); n >= 0 && n < i; n = text.indexOf('\n', n + 1)) {
    row++;
    start = n + 1;
  }
  return { row, col: i - start };
}

export function isOnFirstLine(s: EditorState): boolean {
  return s.text.lastIndexOf('\n', s.cursor - 1) < 0;
}

export function isOnLastLine(s: EditorState): boolean {
  return s.text.indexOf('\n', s.cursor) < 0;
}

function kill(s: EditorState, from: number, to: number, backwards: boolean): EditorState {
  if (from === to) return { ...s, lastWasKill: true, lastYank: null };
  const killed = s.text.slice(from, to);
  const ring = [...s.killRing];
  if (s.lastWasKill && ring.length) ring[ring.length - 1] = backwards ? killed + ring[ring.length - 1] : ring[ring.length - 1] + killed;
  else ring.push(killed);
  if (ring.length > KILL_RING_SIZE) ring.shift();
  return { text: s.text.slice(0, from) + s.text.slice(to), cursor: from, killRing: ring, lastWasKill: true, lastYank: null };
}

function moved(s: EditorState, cursor: number): EditorState {
  return { ...s, cursor: Math.max(0, Math.min(s.text.length, cursor)), lastWasKill: false, lastYank: null };
}

function edited(s: EditorState, text: string, cursor: number): EditorState {
  return { ...s, text, cursor, lastWasKill: false, lastYank: null };
}

/** Moves to the same column on the previous/next line; stays put on the first/last line. */
function vertical(s: EditorState, dir: -1 | 1): EditorState {
  const start = lineStart(s.text, s.cursor);
  const col = s.cursor - start;
  if (dir < 0) {
    if (start === 0) return s;
    const prevStart = lineStart(s.text, start - 1);
    return moved(s, Math.min(prevStart + col, start - 1));
  }
  const end = lineEnd(s.text, s.cursor);
  if (end === s.text.length) return s;
  const nextStart = end + 1;
  return moved(s, Math.min(nextStart + col, lineEnd(s.text, nextStart)));
}

export function editorReducer(s: EditorState, a: EditorAction): EditorState {
  const { text, cursor } = s;
  switch (a.type) {
    case 'insert': {
      if (!a.text) return s;
      return edited(s, text.slice(0, cursor) + a.text + text.slice(cursor), cursor + a.text.length);
    }
    case 'set':
      return edited(s, a.text, a.cursor ?? a.text.length);
    case 'replace': {
      const start = Math.max(0, Math.min(a.start, text.length));
      const end = Math.max(start, Math.min(a.end, text.length));
      return edited(s, text.slice(0, start) + a.text + text.slice(end), start + a.text.length);
    }
    case 'backspace': {
      if (cursor === 0) return s;
      const p = prevChar(text, cursor);
      return edited(s, text.slice(0, p) + text.slice(cursor), p);
    }
    case 'delete': {
      if (cursor >= text.length) return s;
      return edited(s, text.slice(0, cursor) + text.slice(nextChar(text, cursor)), cursor);
    }
    case 'left':
      return moved(s, prevChar(text, cursor));
    case 'right':
      return moved(s, nextChar(text, cursor));
    case 'line-start':
      return moved(s, lineStart(text, cursor));
    case 'line-end':
      return moved(s, lineEnd(text, cursor));
    case 'buffer-start':
      return moved(s, 0);
    case 'buffer-end':
      return moved(s, text.length);
    case 'word-left':
      return moved(s, wordStart(text, cursor));
    case 'word-right':
      return moved(s, wordEnd(text, cursor));
    case 'kill-to-end': {
      const end = lineEnd(text, cursor);
      // At the end of a line, Ctrl-K joins it with the next, as in emacs.
      return kill(s, cursor, end === cursor && end < text.length ? end + 1 : end, false);
    }
    case 'kill-to-start':
      return kill(s, lineStart(text, cursor), cursor, true);
    case 'kill-word-back': {
      // Ctrl-W kills back to whitespace (readline's unix-word-rubout).
      let i = cursor;
      while (i > 0 && /\s/.test(text[i - 1]!)) i--;
      while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
      return kill(s, i, cursor, true);
    }
    case 'kill-word-forward':
      return kill(s, cursor, wordEnd(text, cursor), false);
    case 'yank': {
      const k = s.killRing[s.killRing.length - 1];
      if (k === undefined) return s;
      const next = edited(s, text.slice(0, cursor) + k + text.slice(cursor), cursor + k.length);
      return { ...next, lastYank: { start: cursor, end: cursor + k.length, index: s.killRing.length - 1 } };
    }
    case 'yank-pop': {
      const y = s.lastYank;
      if (!y || s.killRing.length < 2) return s;
      const index = (y.index - 1 + s.killRing.length) % s.killRing.length;
      const k = s.killRing[index]!;
      const t = text.slice(0, y.start) + k + text.slice(y.end);
      return { ...s, text: t, cursor: y.start + k.length, lastWasKill: false, lastYank: { start: y.start, end: y.start + k.length, index } };
    }
    case 'transpose': {
      if (text.length < 2 || cursor === 0) return s;
      const at = cursor >= text.length ? prevChar(text, text.length) : cursor;
      const before = prevChar(text, at);
      const after = nextChar(text, at);
      return edited(s, text.slice(0, before) + text.slice(at, after) + text.slice(before, at) + text.slice(after), after);
    }
    case 'up':
      return vertical(s, -1);
    case 'down':
      return vertical(s, 1);
  }
}
