// Turns terminal input into key events. Ink splits raw input into escape sequences and runs of
// text; this decoder names the keys, splits coalesced text ("SELECT 1\r" from tmux or a fast
// typist) into text and Enter, and collects a bracketed paste (ESC[200~ … ESC[201~) into one
// event so a pasted script is inserted, never run line by line.

export type KeyName =
  | 'text'
  | 'paste'
  | 'enter'
  | 'newline'
  | 'tab'
  | 'shift-tab'
  | 'backspace'
  | 'delete'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'page-up'
  | 'page-down'
  | 'escape'
  | 'word-left'
  | 'word-right'
  | 'kill-word-back'
  | `ctrl-${string}`
  | `alt-${string}`
  | 'unknown';

export interface KeyEvent {
  name: KeyName;
  /** For text and paste. */
  text?: string;
}

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

const CSI: Record<string, KeyName> = {
  '[A': 'up',
  '[B': 'down',
  '[C': 'right',
  '[D': 'left',
  '[H': 'home',
  '[F': 'end',
  '[1~': 'home',
  '[7~': 'home',
  '[4~': 'end',
  '[8~': 'end',
  '[3~': 'delete',
  '[5~': 'page-up',
  '[6~': 'page-down',
  '[Z': 'shift-tab',
  OA: 'up',
  OB: 'down',
  OC: 'right',
  OD: 'left',
  OH: 'home',
  OF: 'end',
  '[1;5C': 'word-right',
  '[1;5D': 'word-left',
  '[1;3C': 'word-right',
  '[1;3D': 'word-left',
  '[1;5A': 'up',
  '[1;5B': 'down',
  '[13;2u': 'newline',
  '[13;3u': 'newline',
};

export class KeyDecoder {
  private paste: string[] | null = null;

  /**
   * Decodes one input event as Ink emits it (a whole escape sequence or a run of text).
   * Text with Enter in it is typed text (tmux and fast typists coalesce keys); only bracketed
   * paste counts as a paste, since guessing turns typed-ahead commands into one buffer.
   */
  push(input: string): KeyEvent[] {
    if (this.paste) {
      const end = input.indexOf(PASTE_END);
      if (end < 0) {
        this.paste.push(input);
        return [];
      }
      this.paste.push(input.slice(0, end));
      const text = this.paste.join('');
      this.paste = null;
      const rest = input.slice(end + PASTE_END.length);
      return [{ name: 'paste', text: normalizePaste(text) }, ...(rest ? this.push(rest) : [])];
    }
    const start = input.indexOf(PASTE_START);
    if (start >= 0) {
      const before = start > 0 ? this.push(input.slice(0, start)) : [];
      this.paste = [];
      return [...before, ...this.push(input.slice(start + PASTE_START.length))];
    }
    if (input.startsWith('\x1b')) return [escapeKey(input)];
    return textKeys(input);
  }

  get inPaste(): boolean {
    return this.paste !== null;
  }
}

/** Pasted text with CRLF/CR turned into newlines, tabs kept, other control bytes dropped. */
export function normalizePaste(text: string): string {
  return text
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

function escapeKey(seq: string): KeyEvent {
  if (seq === '\x1b') return { name: 'escape' };
  // ESC ESC [ A and friends: meta plus a key; treat as the key.
  const body = seq.startsWith('\x1b\x1b') ? seq.slice(2) : seq.slice(1);
  const named = CSI[body];
  if (named) return { name: named };
  if (body.length === 1 || (body.length === 2 && body.codePointAt(0)! > 0xffff)) {
    const c = body;
    if (c === '\r' || c === '\n') return { name: 'newline' };
    if (c === '\x7f' || c === '\b') return { name: 'kill-word-back' };
    return { name: `alt-${c.toLowerCase()}` };
  }
  return { name: 'unknown' };
}

function textKeys(input: string): KeyEvent[] {
  const out: KeyEvent[] = [];
  let run = '';
  const flush = () => {
    if (run) out.push({ name: 'text', text: run });
    run = '';
  };
  for (const ch of input) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x20 && c !== 0x7f) {
      run += ch;
      continue;
    }
    flush();
    if (ch === '\r' || ch === '\n') out.push({ name: 'enter' });
    else if (ch === '\t') out.push({ name: 'tab' });
    else if (c === 0x7f || c === 0x08) out.push({ name: 'backspace' });
    else if (c >= 1 && c <= 26) out.push({ name: `ctrl-${String.fromCharCode(c + 96)}` });
    else if (c === 0x1f) out.push({ name: 'ctrl-_' });
  }
  flush();
  return out;
}
