import { describe, expect, it } from 'vitest';
import { watchFrame, watchHeader } from '../../src/shell/watch-frame.js';

const run = { n: 3, at: new Date(2026, 0, 1, 12, 0, 5), ms: 12, ok: true };

describe('watch frame', () => {
  it('fits the header on one line, shortening the statement first', () => {
    const statement = 'SELECT mean(latency) FROM serviceA WHERE time > now() - 5m GROUP BY time(10s), url';
    for (const columns of [40, 60, 80, 160]) {
      const h = watchHeader({ every: '5s', statement, run, columns });
      expect(h.length, `${columns}`).toBeLessThan(columns);
      expect(h).toMatch(/^Every 5s: SELECT/);
    }
    expect(watchHeader({ every: '5s', statement, run, columns: 80 })).toBe('Every 5s: SELECT mean(latency) FROM se…  run 3 at 12:00:05, 12 ms  Ctrl-C stops');
    expect(watchHeader({ every: '5s', statement: 'SHOW DATABASES', run, columns: 160, stopped: true })).toBe('Every 5s: SHOW DATABASES  run 3 at 12:00:05, 12 ms');
  });

  it('keeps the frame within the screen height less the status and prompt lines, saying what is cut', () => {
    const text = Array.from({ length: 60 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const f = watchFrame({ every: '2s', statement: 'SELECT 1', run, text, columns: 80, rows: 24 });
    expect(f.length).toBe(21);
    expect(f[1]).toBe('line 1');
    expect(f[19]).toBe('line 19');
    expect(f[20]).toBe('… 41 more lines not shown (a taller window shows more)');
    expect(watchFrame({ every: '2s', statement: 'SELECT 1', run, text: 'a\nb\n', columns: 80, rows: 24 })).toHaveLength(3);
  });

  it('cuts each line to the width, colours and all', () => {
    const wide = '\x1b[2m' + 'x'.repeat(200) + '\x1b[22m';
    const f = watchFrame({ every: '2s', statement: 'SELECT 1', run, text: wide, columns: 60, rows: 24 });
    expect(f[1]!.replace(/\x1b\[[\d;]*m/g, '')).toBe('x'.repeat(59));
  });
});
