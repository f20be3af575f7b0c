import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ShellDisplay, emptyStats } from '../../src/shell/display.js';
import { ANSI, PLAIN } from '../../src/format/table-render.js';
import { LastResult } from '../../src/shell/last-result.js';
import type { FormatEvent, Sink } from '../../src/format/types.js';
import type { FormatName } from '../../src/format/index.js';

class MemSink implements Sink {
  text = '';
  write(t: string) {
    this.text += t;
  }
  get pending() {
    return 0;
  }
  async flush() {}
}

function events(n: number, columns = ['time', 'value'], cell: (i: number) => unknown[] = (i) => [i, i * 2]): FormatEvent[] {
  const rows = Array.from({ length: n }, (_, i) => cell(i + 1));
  return [
    { type: 'response-start' },
    { type: 'statement', id: 0 },
    { type: 'series', id: 0, name: 'cpu', tags: { host: 'a' }, columns },
    { type: 'rows', id: 0, rows: rows.slice(0, Math.ceil(n / 2)) },
    { type: 'rows', id: 0, rows: rows.slice(Math.ceil(n / 2)) },
    { type: 'end', id: 0 },
    { type: 'response-end' },
  ];
}

function show(evs: FormatEvent[], o: { format?: FormatName; limit?: number; width?: number; last?: LastResult; color?: boolean; sparklines?: boolean; cancelled?: () => boolean } = {}) {
  const sink = new MemSink();
  const stats = emptyStats();
  const d = new ShellDisplay({
    format: o.format ?? 'table',
    pretty: false,
    formatOptions: { sparklines: o.sparklines },
    screen: sink,
    settings: { limit: o.limit ?? 10, outputFile: null },
    width: () => o.width ?? 100,
    style: o.color ? ANSI : PLAIN,
    stats,
    last: o.last,
    cancelled: o.cancelled,
  });
  for (const e of evs) d.event(e);
  d.close();
  return { text: sink.text, stats };
}

describe('shell display', () => {
  it('draws a small result as one table with the series as caption and a row count', () => {
    const { text, stats } = show(events(3));
    expect(text.split('\n')[0]).toBe('cpu  host=a');
    expect(text).toContain('│ time │ value │');
    expect(text).toContain('│ 3    │ 6     │');
    expect(text).toContain('3 rows');
    expect(stats).toMatchObject({ rows: 3, series: 1 });
  });

  it('caps a long series: head, a marker with the hidden count, tail, and how to see the rest', () => {
    const { text } = show(events(1000), { limit: 10 });
    expect(text).toContain('│ 5    │ 10    │');
    expect(text).not.toContain('│ 6    │');
    expect(text).toContain('⋮ 990 more rows ⋮');
    expect(text).not.toContain('│ 995  │');
    expect(text).toContain('│ 996  │ 1992  │');
    expect(text).toContain('│ 1000 │ 2000  │');
    expect(text).toContain("1,000 rows, 10 shown\n'last' pages");
  });

  it('shows every row with limit off', () => {
    const { text } = show(events(2500), { limit: 0 });
    expect(text).toContain('│ 1234 │');
    expect(text).toContain('2,500 rows');
    expect(text).not.toContain('more rows');
  });

  it('switches to the vertical layout when a row is wider than the terminal', () => {
    const wide = ['time', 'a_long_column_name', 'another_long_column_name'];
    const { text } = show(
      events(2, wide, (i) => [i, 'x'.repeat(30), 'y'.repeat(30)]),
      { width: 60 },
    );
    expect(text).not.toContain('┌');
    expect(text).toContain('-[ row 1 ]');
    expect(text).toContain('      a_long_column_name | ' + 'x'.repeat(30));
  });

  it('dims borders and bolds the caption with colour, and writes no escapes without it (NO_COLOR)', () => {
    const coloured = show(events(3), { color: true }).text;
    expect(coloured.split('\n')[0]).toBe('\x1b[1mcpu  host=a\x1b[22m');
    expect(coloured).toContain('\x1b[2m│\x1b[22m 3    \x1b[2m│\x1b[22m 6     \x1b[2m│\x1b[22m');
    expect(coloured).toContain('\x1b[2m3 rows\x1b[22m');
    expect(show(events(3)).text).not.toContain('\x1b');
  });

  it('lays every series out vertically with `format vertical`, capped the same way', () => {
    const { text } = show(events(30), { format: 'vertical', limit: 4 });
    expect(text).not.toContain('┌');
    expect(text).toContain('-[ row 2 ]');
    expect(text).toContain('  ⋮ 26 more rows ⋮\n');
    expect(text).toContain('-[ row 29 ]');
    expect(text).not.toContain('-[ row 3 ]');
    expect(text).toContain("30 rows, 4 shown\n'last' pages");
  });

  it('caps a table with sparklines on, while the trend table covers every row', () => {
    const { text } = show(events(1000), { limit: 10, sparklines: true });
    expect(text).toContain('⋮ 990 more rows ⋮');
    expect(text).toMatch(/│ cpu host=a │ value +│ 1000 +│ 2 +│ 2000 +│ 2000 +│ [▁▂▃▄▅▆▇█]{24} │/);
  });

  it('caps the 1.x column format with a marker row', () => {
    const { text } = show(events(100), { format: 'column', limit: 4 });
    expect(text).toContain('name: cpu');
    expect(text).toMatch(/^1 +2$/m);
    expect(text).toMatch(/⋮ 96 more rows ⋮/);
    expect(text).toMatch(/^100 +200$/m);
    expect(text).not.toMatch(/^50 /m);
  });

  it('leaves csv and json whole', () => {
    const { text } = show(events(100), { format: 'csv', limit: 4 });
    expect(text.trim().split('\n').length).toBe(101);
  });

  it('keeps the whole last result for `last`, spilling big ones to disk', () => {
    const small = new LastResult();
    show(events(100), { limit: 10, last: small });
    expect(small.spillFile).toBeNull();
    small.dispose();

    const last = new LastResult();
    show(events(50000), { limit: 10, last });
    // Past the in-memory cap the events live in a private file, every row of them.
    const file = last.spillFile!;
    expect(file).toBeTruthy();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const onDisk = readFileSync(file, 'utf8');
    // The first half (25,000 rows) went out when the cap was passed; the rest is written as it comes.
    expect(onDisk.length).toBeGreaterThan(25000 * 6);
    expect(onDisk.includes('[25000,50000]')).toBe(true);
    let rows = 0;
    for (const e of last.replay()) if (e.type === 'rows') rows += e.rows.length;
    expect(rows).toBe(50000);
    last.dispose();
    expect(existsSync(file)).toBe(false);
  });

  describe('after a cancel', () => {
    /** Rows 1..n in chunks of 10; the cancel comes after `at` chunks; the response ends with the abort's error. */
    function cancelledRun(format: FormatName, at: number, n = 100, limit = 10) {
      let cancelled = false;
      const evs: FormatEvent[] = [{ type: 'response-start' }, { type: 'statement', id: 0 }, { type: 'series', id: 0, name: 'cpu', columns: ['time', 'value'] }];
      for (let i = 0; i < n; i += 10) evs.push({ type: 'rows', id: 0, rows: Array.from({ length: 10 }, (_, k) => [i + k + 1, 7]) });
      evs.push({ type: 'error', id: null, message: 'aborted by user' } as FormatEvent, { type: 'response-end', error: 'aborted by user' });
      const sink = new MemSink();
      const stats = emptyStats();
      const d = new ShellDisplay({ format, pretty: false, screen: sink, settings: { limit, outputFile: null }, width: () => 100, style: PLAIN, stats, cancelled: () => cancelled });
      let chunks = 0;
      for (const e of evs) {
        d.event(e);
        if (e.type === 'rows' && ++chunks === at) cancelled = true;
      }
      d.close();
      return { text: sink.text, stats };
    }

    it.each(['csv', 'column', 'table', 'vertical'] as FormatName[])('%s shows only the rows received before it, and no error', (format) => {
      const { text, stats } = cancelledRun(format, 3, 100, 0);
      expect(stats.rows).toBe(30);
      expect(text).toMatch(/\b30\b/);
      expect(text).not.toMatch(/\b31\b/);
      expect(text).not.toMatch(/aborted/);
    });

    it('json still closes its document, with no error in it', () => {
      const { text } = cancelledRun('json', 3, 100, 0);
      expect(JSON.parse(text)).not.toHaveProperty('error');
    });

    it.each(['table', 'vertical', 'column'] as FormatName[])('%s: the footer says the rows are partial, capped or not', (format) => {
      const capped = cancelledRun(format, 5, 100, 10).text;
      expect(capped).toMatch(/^50 rows \(partial, cancelled\), 10 shown/m);
      expect(capped).toMatch(/\b50\b/);
      expect(capped).not.toMatch(/\b51\b/);
      if (format !== 'column') expect(cancelledRun(format, 2, 100, 0).text).toMatch(/^20 rows \(partial, cancelled\)$/m);
    });
  });
});
