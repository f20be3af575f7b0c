import { describe, expect, it } from 'vitest';
import { editorReducer, emptyEditor, type EditorAction, type EditorState } from '../../src/shell/editor.js';

function run(text: string, cursor: number, ...actions: EditorAction[]): EditorState {
  let s: EditorState = { ...emptyEditor(), text, cursor };
  for (const a of actions) s = editorReducer(s, a);
  return s;
}

describe('editor buffer', () => {
  it('inserts at the cursor and deletes around it', () => {
    expect(run('SELEC FROM', 5, { type: 'insert', text: 'T *' })).toMatchObject({ text: 'SELECT * FROM', cursor: 8 });
    expect(run('abc', 2, { type: 'backspace' })).toMatchObject({ text: 'ac', cursor: 1 });
    expect(run('abc', 1, { type: 'delete' })).toMatchObject({ text: 'ac', cursor: 1 });
    expect(run('abc', 0, { type: 'backspace' }).text).toBe('abc');
  });

  it('treats a surrogate pair as one character', () => {
    expect(run('a😀b', 3, { type: 'backspace' })).toMatchObject({ text: 'ab', cursor: 1 });
    expect(run('a😀b', 1, { type: 'right' }).cursor).toBe(3);
  });

  it('moves by line and word (Ctrl-A/E, Alt-B/F)', () => {
    const t = 'SELECT x\nFROM cpu';
    expect(run(t, 12, { type: 'line-start' }).cursor).toBe(9);
    expect(run(t, 9, { type: 'line-end' }).cursor).toBe(17);
    expect(run('SELECT mean(value) FROM', 23, { type: 'word-left' }).cursor).toBe(19);
    expect(run('SELECT mean(value) FROM', 23, { type: 'word-left' }, { type: 'word-left' }).cursor).toBe(12);
    expect(run('SELECT mean(value)', 0, { type: 'word-right' }).cursor).toBe(6);
  });

  it('kills into a ring and yanks back (Ctrl-K/U/W/Y, Alt-Y)', () => {
    const k = run('SELECT * FROM cpu', 9, { type: 'kill-to-end' });
    expect(k).toMatchObject({ text: 'SELECT * ', killRing: ['FROM cpu'] });
    expect(editorReducer(editorReducer(k, { type: 'line-start' }), { type: 'yank' })).toMatchObject({ text: 'FROM cpuSELECT * ', cursor: 8 });
    expect(run('SELECT * FROM cpu', 9, { type: 'kill-to-start' })).toMatchObject({ text: 'FROM cpu', killRing: ['SELECT * '] });
    // Consecutive Ctrl-W kills join into one entry.
    const w = run('a bb ccc', 8, { type: 'kill-word-back' }, { type: 'kill-word-back' });
    expect(w).toMatchObject({ text: 'a ', killRing: ['bb ccc'] });
    const two = run('one two', 7, { type: 'kill-word-back' }, { type: 'left' }, { type: 'kill-word-back' }, { type: 'yank' }, { type: 'yank-pop' });
    expect(two.text).toBe('two ');
  });

  it('Ctrl-K at the end of a line joins it with the next', () => {
    expect(run('a\nb', 1, { type: 'kill-to-end' }).text).toBe('ab');
  });

  it('moves between the lines of a multi-line buffer, keeping the column', () => {
    const t = 'SELECT value\nFROM cpu\nWHERE x';
    const down = run(t, 3, { type: 'down' });
    expect(down.cursor).toBe(13 + 3);
    expect(editorReducer(down, { type: 'down' }).cursor).toBe(22 + 3);
    expect(run(t, 3, { type: 'up' }).cursor).toBe(3);
    expect(run(t, 20, { type: 'up' }).cursor).toBe(7);
  });

  it('replaces a range (completion) and transposes (Ctrl-T)', () => {
    expect(run('SELECT * FROM c', 15, { type: 'replace', start: 14, end: 15, text: 'cpu' })).toMatchObject({ text: 'SELECT * FROM cpu', cursor: 17 });
    expect(run('ab', 1, { type: 'transpose' })).toMatchObject({ text: 'ba', cursor: 2 });
  });
});
