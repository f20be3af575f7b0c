import { describe, expect, it } from 'vitest';
import { KeyDecoder, PASTE_END, PASTE_START } from '../../src/ui/keys.js';
import { layoutEditor } from '../../src/ui/layout.js';

describe('key decoder', () => {
  it('splits coalesced text and Enter (tmux, fast typing)', () => {
    const d = new KeyDecoder();
    expect(d.push('SELECT 1\r')).toEqual([{ name: 'text', text: 'SELECT 1' }, { name: 'enter' }]);
    expect(d.push('\x01\x05\x0b\x15\x17\x19\x12\x03\x04')).toEqual(['a', 'e', 'k', 'u', 'w', 'y', 'r', 'c', 'd'].map((c) => ({ name: `ctrl-${c}` })));
    expect(d.push('\t')).toEqual([{ name: 'tab' }]);
    expect(d.push('\x7f')).toEqual([{ name: 'backspace' }]);
  });

  it('names escape sequences and Alt keys', () => {
    const d = new KeyDecoder();
    expect(d.push('\x1b[A')).toEqual([{ name: 'up' }]);
    expect(d.push('\x1bOB')).toEqual([{ name: 'down' }]);
    expect(d.push('\x1b[3~')).toEqual([{ name: 'delete' }]);
    expect(d.push('\x1bb')).toEqual([{ name: 'alt-b' }]);
    expect(d.push('\x1bf')).toEqual([{ name: 'alt-f' }]);
    expect(d.push('\x1b\r')).toEqual([{ name: 'newline' }]);
    expect(d.push('\x1b')).toEqual([{ name: 'escape' }]);
    expect(d.push('\x1b[Z')).toEqual([{ name: 'shift-tab' }]);
  });

  it('collects a bracketed paste across reads into one event, newlines kept', () => {
    const d = new KeyDecoder();
    expect(d.push(PASTE_START)).toEqual([]);
    expect(d.push('SELECT *\r\nFROM cpu;\r')).toEqual([]);
    expect(d.inPaste).toBe(true);
    expect(d.push('SHOW DATABASES' + PASTE_END)).toEqual([{ name: 'paste', text: 'SELECT *\nFROM cpu;\nSHOW DATABASES' }]);
    expect(d.push(`${PASTE_START}x${PASTE_END}`)).toEqual([{ name: 'paste', text: 'x' }]);
  });

  it('keeps coalesced typed lines as text and Enter (no paste guessing)', () => {
    expect(new KeyDecoder().push('history\rconnect x\r')).toEqual([{ name: 'text', text: 'history' }, { name: 'enter' }, { name: 'text', text: 'connect x' }, { name: 'enter' }]);
  });

  it('cuts raw reads into keys, keeping a sequence split between reads whole', () => {
    const d = new KeyDecoder();
    expect(d.feed('ab\x1b[Dc\x1bb\x1b[1;5C\x1b\x1b[A\x1bOH')).toEqual([
      { name: 'text', text: 'ab' },
      { name: 'left' },
      { name: 'text', text: 'c' },
      { name: 'alt-b' },
      { name: 'word-right' },
      { name: 'up' },
      { name: 'home' },
    ]);
    expect(d.feed('x\x1b[1;')).toEqual([{ name: 'text', text: 'x' }]);
    expect(d.escapeWaiting).toBe(false);
    expect(d.feed('5D')).toEqual([{ name: 'word-left' }]);
    // The paste's end marker cut in two still ends the paste.
    expect(d.feed(`${PASTE_START}SELECT 1\r\nFROM m\x1b[20`)).toEqual([]);
    expect(d.feed('1~z')).toEqual([
      { name: 'paste', text: 'SELECT 1\nFROM m' },
      { name: 'text', text: 'z' },
    ]);
  });

  it('takes a lone ESC at the end of a read as Escape only when flushed', () => {
    const d = new KeyDecoder();
    expect(d.feed('q\x1b')).toEqual([{ name: 'text', text: 'q' }]);
    expect(d.escapeWaiting).toBe(true);
    expect(d.feed('f')).toEqual([{ name: 'alt-f' }]);
    expect(d.feed('\x1b')).toEqual([]);
    expect(d.flush()).toEqual([{ name: 'escape' }]);
    expect(d.escapeWaiting).toBe(false);
    expect(d.feed('\x1b\u{1F600}')).toEqual([{ name: 'alt-\u{1F600}' }]);
  });
});

describe('editor layout', () => {
  it('puts the prompt on the first row and a continuation marker on the others', () => {
    const l = layoutEditor({ prompt: 'db> ', text: 'SELECT *\nFROM cpu', styled: 'SELECT *\nFROM cpu', cursor: 13, columns: 80 });
    expect(l.rows).toEqual(['db> SELECT *', ' -> FROM cpu']);
    expect(l.cursor).toEqual({ x: 8, y: 1 });
  });

  it('wraps long lines at the exact column and tracks the cursor', () => {
    const text = 'x'.repeat(25);
    const l = layoutEditor({ prompt: '> ', text, styled: text, cursor: 25, columns: 12 });
    // 12 columns - 2 prompt - 1 spare = 9 per row.
    expect(l.rows).toEqual(['> xxxxxxxxx', '  xxxxxxxxx', '  xxxxxxx']);
    expect(l.cursor).toEqual({ x: 9, y: 2 });
  });

  it('shortens a long prompt on a narrow terminal', () => {
    const l = layoutEditor({ prompt: 'very-long-host.example.com:8086 database.rp> ', text: 'ab', styled: 'ab', cursor: 1, columns: 20 });
    expect(l.rows[0]).toBe('> ab');
    expect(l.cursor).toEqual({ x: 3, y: 0 });
  });
});

describe('editor layout limits', () => {
  it('shows a window around the cursor when the buffer is taller than the room', () => {
    const text = 'x'.repeat(1 << 20);
    const t0 = performance.now();
    const l = layoutEditor({ prompt: '> ', text, styled: text, cursor: text.length, columns: 100, maxRows: 10 });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(l.rows.length).toBe(10);
    expect(l.rows[0]).toMatch(/more rows above/);
    expect(l.cursor.y).toBeLessThan(10);
  });

  it('draws control characters as single visible cells', () => {
    const l = layoutEditor({ prompt: '> ', text: 'a\tb\x07c', styled: 'a\tb\x07c', cursor: 5, columns: 80 });
    expect(l.rows).toEqual(['> a b?c']);
    expect(l.cursor).toEqual({ x: 7, y: 0 });
  });
});
