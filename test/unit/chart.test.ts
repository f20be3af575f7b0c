import { describe, expect, it } from 'vitest';
import { ChartFormatter } from '../../src/format/chart.js';
import { GLYPHS, renderLineChart, resample } from '../../src/format/chart-render.js';
import { formatNumber, legendLabels, timeMillis, unitOf } from '../../src/format/chart-data.js';
import { buildTimeAxis } from '../../src/format/time-axis.js';
import { ExactNumber } from '../../src/query/lossless.js';
import type { FormatEvent, FormatOptions } from '../../src/format/types.js';

const T0 = 1700000000000000000n; // 2023-11-14T22:13:20Z
/** A nanosecond time as the lossless parser delivers it (19 digits, past float64). */
const ns = (s: number) => new ExactNumber(String(T0 + BigInt(s) * 1000000000n));
const ESC = '\u001b[';

function render(events: FormatEvent[], opts: FormatOptions = {}): string {
  let out = '';
  const f = new ChartFormatter({ write: (t) => (out += t), pending: 0, flush: async () => {} }, { width: 80, height: 10, color: false, precision: 'ns', ...opts });
  f.event({ type: 'response-start' });
  f.event({ type: 'statement', id: 0 });
  for (const e of events) f.event(e);
  f.event({ type: 'end', id: 0 });
  f.event({ type: 'response-end' });
  f.close();
  return out;
}

function hosts(n: number, points: number, time: (i: number) => unknown = ns): FormatEvent[] {
  const ev: FormatEvent[] = [];
  for (let h = 0; h < n; h++) {
    ev.push({ type: 'series', id: 0, name: 'cpu', tags: { host: `h${h}` }, columns: ['time', 'mean'] });
    ev.push({ type: 'rows', id: 0, rows: Array.from({ length: points }, (_, i) => [time(i * 10), h * 10 + Math.sin(i / 5) * 3]) });
  }
  return ev;
}

const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

describe('chart format', () => {
  it('draws one line per series with a legend naming each by its tags', () => {
    const out = render(hosts(3, 60));
    expect(out).toContain('cpu · mean');
    const legend = out.split('\n').filter((l) => /host=h\d/.test(l));
    expect(legend).toHaveLength(3);
    expect(legend[0]).toMatch(/^ {2}── host=h0 +last /);
    expect(legend[1]).toMatch(/^ {2}\*\* host=h1/);
    expect(legend[2]).toMatch(/^ {2}\+\+ host=h2/);
  });

  it('gives each series its own glyph without colour, and colours with it', () => {
    const plain = render(hosts(3, 60));
    const plot = plain.split('\n').slice(1, 11).join('\n');
    expect(plot).toMatch(/[─╭╮╰╯│]/);
    expect(plot).toContain(GLYPHS[0]);
    expect(plot).toContain(GLYPHS[1]);
    expect(plain).not.toContain(ESC);
    const coloured = render(hosts(3, 60), { color: true });
    expect(coloured).toContain(`${ESC}36m`); // cyan, series 0
    expect(coloured).toContain(`${ESC}35m`); // magenta, series 1
    expect(visible(coloured)).not.toContain('**');
  });

  it('labels the y axis with values spanning the data, and the x axis with round UTC times', () => {
    const out = render(hosts(1, 61)); // 10 minutes, value 0±3
    const rows = out.split('\n');
    const top = Number(/^\s*(-?[\d.]+) ┤/.exec(rows[1]!)![1]);
    const bottom = Number(/^\s*(-?[\d.]+) [┤┼]/.exec(rows[10]!)![1]);
    expect(top).toBeGreaterThan(2.5);
    expect(bottom).toBeLessThan(-2.5);
    expect(rows[11]).toMatch(/^ +└[─┬]+$/);
    expect(rows[12]).toMatch(/22:14 +22:16 +22:18/);
    expect(rows[13]).toContain('2023-11-14 22:13:20 → 22:23:20 UTC');
  });

  it('fits the width it is given, or COLUMNS', () => {
    for (const width of [40, 80, 132]) {
      const lines = render(hosts(2, 100), { width }).split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
      expect(lines[11]!.length).toBeGreaterThan(width - 4);
    }
    const prev = process.env.COLUMNS;
    process.env.COLUMNS = '50';
    try {
      const lines = render(hosts(1, 100), { width: undefined }).split('\n');
      if (!process.stdout.columns) expect(lines[11]!.length).toBe(49);
    } finally {
      if (prev === undefined) delete process.env.COLUMNS;
      else process.env.COLUMNS = prev;
    }
  });

  it('reads times in every precision the same way', () => {
    const at = (s: number) => 1700000000 + s;
    const axes = [
      render(hosts(1, 30, ns)),
      render(
        hosts(1, 30, (s) => new Date(at(s) * 1000).toISOString()),
        { precision: 'rfc3339' },
      ),
      render(
        hosts(1, 30, (s) => at(s) * 1000),
        { precision: 'ms' },
      ),
      render(
        hosts(1, 30, (s) => at(s)),
        { precision: 's' },
      ),
      render(
        hosts(1, 30, (s) => at(s)),
        { precision: undefined },
      ),
    ].map((o) => o.split('\n').slice(11, 14).join('\n'));
    for (const a of axes) expect(a).toBe(axes[0]);
    expect(axes[0]).toContain('22:13:20 → 22:18:10 UTC');
  });

  it('skips non-numeric columns with a note', () => {
    const out = render([
      { type: 'series', id: 0, name: 'cpu', columns: ['time', 'value', 'status'] },
      {
        type: 'rows',
        id: 0,
        rows: [
          [ns(0), 1, 'ok'],
          [ns(10), 2, 'ok'],
          [ns(20), 1.5, 'bad'],
        ],
      },
    ]);
    expect(out).toContain('cpu · value');
    expect(out).toContain('chart: skipped non-numeric column "status"');
  });

  it('says so for an empty result, strings only, and draws one value as a big number', () => {
    expect(render([])).toBe('chart: no data to draw (empty result)\n');
    expect(
      render([
        { type: 'series', id: 0, name: 'databases', columns: ['name'] },
        { type: 'rows', id: 0, rows: [['_internal'], ['db']] },
      ]),
    ).toBe('chart: nothing to draw: "name" is not numeric (use -format column or table to see it)\n');
    const big = render([
      { type: 'series', id: 0, name: 'cpu', columns: ['time', 'count'] },
      { type: 'rows', id: 0, rows: [[0, 42]] },
    ]);
    expect(big.split('\n').slice(0, 5)).toEqual(['  █ █ ███', '  █ █   █', '  ███ ███', '    █ █', '    █ ███'].map((l, i) => (i < 3 ? l : l.padEnd(9))));
    expect(big).toContain('cpu · count');
    expect(big).not.toContain('1970');
  });

  it('draws one point per series as bars', () => {
    const out = render([
      { type: 'series', id: 0, name: 'cpu', tags: { host: 'a' }, columns: ['time', 'last'] },
      { type: 'rows', id: 0, rows: [[ns(0), 5]] },
      { type: 'series', id: 0, name: 'cpu', tags: { host: 'b' }, columns: ['time', 'last'] },
      { type: 'rows', id: 0, rows: [[ns(0), 10]] },
    ]);
    const [a, b] = out.split('\n').filter((l) => l.includes('host='));
    expect(a).toMatch(/host=a +5 █+$/);
    expect(b).toMatch(/host=b 10 █+$/);
    expect(b!.split('█').length - 1).toBe(2 * (a!.split('█').length - 1));
  });

  it('breaks lines at nulls and joins points across empty columns', () => {
    const cols = resample({ label: 'x', times: [0, 10, 20, 30, 40], values: [0, 10, null, 30, 40] }, 0, 40, 41);
    expect(cols[5]).toBeCloseTo(5); // between 0 and 10: interpolated
    expect(Number.isNaN(cols[15]!)).toBe(true); // null at 20: a gap
    expect(cols[35]).toBeCloseTo(35);
  });

  // Its speed (goal < 100 ms) is measured by bench/chart.mjs, not here.
  it('fits 10,000 points into the plot width, keeping their extremes, span and last value', () => {
    const times = Array.from({ length: 10000 }, (_, i) => 1.7e12 + i * 1000);
    const values = times.map((_, i) => Math.sin(i / 100));
    const out = renderLineChart([{ label: 'a', times, values }], { width: 100, height: 20, color: false });
    const lines = out.split('\n');
    expect(lines).toHaveLength(20 + 3 + 1 + 1); // plot, axis + labels + caption, legend, final newline
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(100);
    const plot = lines.slice(0, 20);
    // The y axis runs from the smallest to the largest value, and the line touches both ends.
    expect(plot[0]!.trim().startsWith('1 ┤')).toBe(true);
    expect(plot[19]!.trim().startsWith('-1 ┼')).toBe(true);
    // 10,000 / (200π) ≈ 16 periods: a valley (╰╯ or ╰─╯) and a peak (╭╮ or ╭─╮) for nearly each.
    expect((plot.join('\n').match(/╰─*╯/g) ?? []).length).toBeGreaterThanOrEqual(14);
    expect((plot.join('\n').match(/╭─*╮/g) ?? []).length).toBeGreaterThanOrEqual(14);
    // The caption spans the first to the last point (1.7e12 ms + 9,999 s), and the legend gives the last value.
    expect(lines[22]).toContain('2023-11-14 22:13:20 → 2023-11-15 00:59:59 UTC');
    expect(lines[23]).toBe(`  ── a  last ${formatNumber(values[9999]!)}`);
  });
});

describe('chart helpers', () => {
  it('names series by what differs', () => {
    expect(
      legendLabels([
        { name: 'cpu', tags: { host: 'a' }, column: 'mean' },
        { name: 'cpu', tags: { host: 'b' }, column: 'mean' },
      ]),
    ).toEqual(['host=a', 'host=b']);
    expect(
      legendLabels([
        { name: 'cpu', column: 'mean' },
        { name: 'cpu', column: 'max' },
      ]),
    ).toEqual(['cpu (mean)', 'cpu (max)']);
    expect(
      legendLabels([
        { name: 'cpu', column: 'v' },
        { name: 'mem', column: 'v' },
      ]),
    ).toEqual(['cpu', 'mem']);
  });

  it('formats numbers and units for axes', () => {
    expect(formatNumber(1234567)).toBe('1.23M');
    expect(formatNumber(25000)).toBe('25k');
    expect(formatNumber(0.5, 1)).toBe('0.5');
    expect(unitOf('latency_ms')).toBe('ms');
    expect(unitOf('used_percent')).toBe('%');
    expect(unitOf('mean')).toBeUndefined();
  });

  it('parses tagged nanoseconds, RFC3339 and guessed epochs', () => {
    expect(timeMillis(ns(0), 'ns')).toBe(1700000000000);
    expect(timeMillis('2023-11-14T22:13:20.5Z', 'rfc3339')).toBe(1700000000500);
    expect(timeMillis(1700000000, undefined)).toBe(1700000000000);
    expect(timeMillis(28333333, 'm')).toBe(28333333 * 60000);
    expect(timeMillis(true, 'ns')).toBeNaN();
  });

  it('puts ticks where round times fall', () => {
    const a = buildTimeAxis(Date.UTC(2024, 0, 1, 10, 0, 0), Date.UTC(2024, 0, 1, 11, 0, 0), 61);
    expect(a.line[0]).toBe('┬');
    expect(a.line[60]).toBe('┬');
    expect(a.labels.startsWith('10:00')).toBe(true);
  });
});
