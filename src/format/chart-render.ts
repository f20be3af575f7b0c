// Draws lines on a shared time axis. asciichart draws each unbroken run of a line (its glyphs,
// scaling and y labels); this file places the runs on columns that stand for equal slices of
// time, so series with different timestamps, gaps and densities line up, and adds the time axis,
// title and legend that asciichart has no notion of.
import { plot } from 'asciichart';
import { Chalk, type ChalkInstance } from 'chalk';
import { formatNumber, type ChartLine } from './chart-data.js';
import { buildTimeAxis } from './time-axis.js';
import { displayWidth, padEndToWidth } from './width.js';

export interface ChartRenderOptions {
  width: number;
  /** Rows of the plot area. */
  height: number;
  /** Colour per series; without it every series after the first gets its own glyph. */
  color: boolean;
  title?: string;
  /** false: x is a row number, not a time. */
  timeAxis?: boolean;
}

/** Without colour, series 1.. are drawn with these (series 0 keeps the box-drawing line). */
export const GLYPHS = ['*', '+', 'o', 'x', '#', '@', '%', '=', '~'];
const COLOR_NAMES = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red', 'cyanBright', 'magentaBright', 'yellowBright', 'greenBright', 'blueBright', 'redBright'] as const;
const MAX_LEGEND = 20;

type Symbols = [string, string, string, string, string, string, string, string, string, string];

export function seriesGlyph(i: number): string | null {
  return i === 0 ? null : GLYPHS[(i - 1) % GLYPHS.length]!;
}

/** Column values of one line: mean per column, straight lines across columns between points, gaps at nulls. */
export function resample(line: ChartLine, t0: number, span: number, width: number): Float64Array {
  const sum = new Float64Array(width);
  const cnt = new Uint32Array(width);
  const bridges: number[] = [];
  const n = line.values.length;
  const order = isSorted(line.times) ? null : Array.from({ length: n }, (_, i) => i).sort((a, b) => line.times[a]! - line.times[b]!);
  let prev = -1;
  let broken = false;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    const v = line.values[i];
    const t = line.times[i]!;
    if (v === null || v === undefined || !Number.isFinite(v) || !Number.isFinite(t)) {
      if (v === null) broken = true;
      continue;
    }
    const c = span === 0 ? 0 : Math.round(((t - t0) / span) * (width - 1));
    sum[c] += v;
    cnt[c]!++;
    if (prev >= 0 && c > prev + 1 && !broken) bridges.push(prev, c);
    prev = c;
    broken = false;
  }
  const out = new Float64Array(width).fill(NaN);
  for (let c = 0; c < width; c++) if (cnt[c]) out[c] = sum[c]! / cnt[c]!;
  for (let j = 0; j < bridges.length; j += 2) {
    const a = bridges[j]!;
    const b = bridges[j + 1]!;
    for (let c = a + 1; c < b; c++) out[c] = out[a]! + ((out[b]! - out[a]!) * (c - a)) / (b - a);
  }
  return out;
}

function isSorted(t: ArrayLike<number>): boolean {
  for (let i = 1; i < t.length; i++) if (t[i]! < t[i - 1]!) return false;
  return true;
}

export function chalkFor(color: boolean): ChalkInstance {
  return new Chalk({ level: color ? 1 : 0 });
}

export function paintSeries(c: ChalkInstance, i: number, text: string): string {
  return c.level ? c[COLOR_NAMES[i % COLOR_NAMES.length]!](text) : text;
}

/** The line chart as text, ending with a newline. */
export function renderLineChart(lines: ChartLine[], o: ChartRenderOptions): string {
  let t0 = Infinity;
  let t1 = -Infinity;
  let lo = Infinity;
  let hi = -Infinity;
  const last: (number | undefined)[] = [];
  for (const l of lines) {
    let lv: number | undefined;
    for (let i = 0; i < l.values.length; i++) {
      const v = l.values[i];
      const t = l.times[i]!;
      if (v === null || v === undefined || !Number.isFinite(v) || !Number.isFinite(t)) continue;
      if (t < t0) t0 = t;
      if (t > t1) t1 = t;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      lv = v;
    }
    last.push(lv);
  }
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const height = Math.max(2, o.height) - 1;
  const range = hi - lo;
  const base = { min: lo, max: hi, height };

  // y labels: one pass to learn their width, one to draw them padded.
  let labelWidth = 0;
  plot([lo], { ...base, offset: 2, format: (x) => ((labelWidth = Math.max(labelWidth, formatNumber(x, range).length)), ' ') });
  const yAxis = plot([lo], { ...base, offset: 2, format: (x) => formatNumber(x, range).padStart(labelWidth) + ' ' })
    .split('\n')
    .map((row) => row.slice(0, labelWidth + 2));
  const rows = yAxis.length;
  const prefix = labelWidth + 2;
  const plotWidth = Math.max(10, o.width - prefix - 1);

  const grid: string[][] = Array.from({ length: rows }, () => new Array<string>(plotWidth).fill(' '));
  const owner: Int16Array[] = Array.from({ length: rows }, () => new Int16Array(plotWidth).fill(-1));
  const span = t1 - t0;
  lines.forEach((line, s) => {
    const cols = resample(line, t0, span, plotWidth);
    const glyph = o.color ? null : seriesGlyph(s);
    const symbols = glyph ? (new Array(10).fill(glyph) as Symbols) : undefined;
    for (let c = 0; c < plotWidth;) {
      if (Number.isNaN(cols[c]!)) {
        c++;
        continue;
      }
      let end = c;
      while (end + 1 < plotWidth && !Number.isNaN(cols[end + 1]!)) end++;
      // The first value twice: asciichart's column 0 is its axis, column j the step into value j-1.
      const run = [cols[c]!, ...cols.subarray(c, end + 1)];
      const drawn = plot(run, { ...base, offset: 1, format: () => ' ', symbols }).split('\n');
      for (let r = 0; r < rows; r++) {
        const text = drawn[r] ?? '';
        for (let j = 1; j <= end - c + 1; j++) {
          const ch = text[j];
          if (ch && ch !== ' ') {
            grid[r]![c + j - 1] = ch;
            owner[r]![c + j - 1] = s;
          }
        }
      }
      c = end + 1;
    }
  });

  const ch = chalkFor(o.color);
  const out: string[] = [];
  if (o.title) out.push(' '.repeat(Math.max(0, prefix - 1)) + o.title);
  for (let r = 0; r < rows; r++) {
    let text = yAxis[r]!;
    let run = '';
    let runOwner = -2;
    for (let c = 0; c < plotWidth; c++) {
      const who = owner[r]![c]!;
      if (who !== runOwner) {
        text += runOwner >= 0 ? paintSeries(ch, runOwner, run) : run;
        run = '';
        runOwner = who;
      }
      run += grid[r]![c];
    }
    text += runOwner >= 0 ? paintSeries(ch, runOwner, run) : run;
    out.push(text.trimEnd());
  }
  const axis = buildTimeAxis(t0, t1, plotWidth, o.timeAxis !== false);
  out.push(' '.repeat(prefix - 1) + '└' + axis.line);
  out.push(' '.repeat(prefix) + axis.labels);
  out.push(' '.repeat(prefix) + axis.caption);
  out.push(...legend(lines, last, o.color, ch));
  return out.join('\n') + '\n';
}

function legend(lines: ChartLine[], last: (number | undefined)[], color: boolean, ch: ChalkInstance): string[] {
  const shown = lines.slice(0, MAX_LEGEND);
  const w = Math.max(...shown.map((l) => displayWidth(l.label)));
  const out = shown.map((l, i) => {
    const g = color ? null : seriesGlyph(i);
    const key = paintSeries(ch, i, g ? `${g}${g}` : '──');
    const v = last[i];
    return `  ${key} ${padEndToWidth(l.label, w)}${v === undefined ? '' : `  last ${formatNumber(v)}`}`.trimEnd();
  });
  if (lines.length > shown.length) out.push(`  … and ${lines.length - shown.length} more series`);
  return out;
}
