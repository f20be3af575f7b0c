import { describe, expect, it } from 'vitest';
import { reflowErase, rowWidth, terminalRewraps } from '../../src/ui/reflow.js';

describe('erasing the live region after a narrowing resize', () => {
  it('erases every rewrapped row above the cursor, then steps down to where Ink believes its cursor is', () => {
    // A 159-column row above the cursor's row; the cursor at column 79 of its row.
    const seq = reflowErase({ above: [159], cursor: { x: 79, y: 1 }, columns: 160 }, 60);
    // 3 rows for the row above, 1 more for the cursor's own row wrapping before column 79.
    expect(seq).toBe('\r\x1b[2K\x1b7\x1b[1B\x1b[J\x1b8' + '\x1b[1A\x1b[2K'.repeat(4) + '\x1b[1B');
    // Never an erase from the screen's corner, which tmux copies into the scrollback.
    expect(seq).not.toMatch(/\x1b\[\d*A\r?\x1b\[J/);
  });

  it('writes nothing when the width grew or nothing rewraps', () => {
    expect(reflowErase({ above: [100], cursor: { x: 40, y: 1 }, columns: 60 }, 160)).toBe('');
    expect(reflowErase({ above: [50, 30], cursor: { x: 22, y: 2 }, columns: 160 }, 60)).toBe('');
    expect(reflowErase(null, 60)).toBe('');
  });

  it('measures rows without their colours, at most the width they were drawn at', () => {
    expect(rowWidth('\x1b[2m… 3 more rows\x1b[22m', 80)).toBe(13);
    expect(rowWidth('x'.repeat(200), 120)).toBe(120);
  });

  it('assumes rewrapping except in a bare xterm', () => {
    expect(terminalRewraps({})).toBe(true);
    expect(terminalRewraps({ XTERM_VERSION: 'XTerm(390)' })).toBe(false);
    expect(terminalRewraps({ XTERM_VERSION: 'XTerm(390)', TMUX: '/tmp/tmux-1/default,1,0' })).toBe(true);
  });
});
