// `-format chart`: buffers each statement's series and draws them when the statement ends —
// a line chart over time, a big number for a single value, bars for one value per series.
import { colourWanted } from './colour.js';
import type { Formatter, FormatEvent, FormatOptions, Sink } from './types.js';
import type { Tags } from '../query/events.js';
import { legendLabels, numericValue, timeMillis, unitOf, type ChartLine } from './chart-data.js';
import { renderLineChart } from './chart-render.js';
import { tagText } from './cells.js';
import { renderBars, renderBigNumber } from './chart-stat.js';

interface ColumnBuffer {
  name: string;
  values: (number | null)[];
  /** Every non-null value so far was a number. */
  numeric: boolean;
  /** At least one non-null value. */
  any: boolean;
}

interface SeriesBuffer {
  name?: string;
  tags?: Tags;
  timeIndex: number;
  times: number[];
  columns: ColumnBuffer[];
}

/** The terminal's width as the issue orders it: option, stdout, COLUMNS, 80. */
export function terminalWidth(opts: FormatOptions): number {
  const env = Number(process.env.COLUMNS);
  return opts.width ?? process.stdout.columns ?? (Number.isFinite(env) && env > 0 ? env : 80);
}

export function useColor(opts: FormatOptions): boolean {
  if (opts.color !== undefined) return opts.color;
  return colourWanted();
}

export class ChartFormatter implements Formatter {
  private series: SeriesBuffer[] = [];
  private open = false;
  private failed = false;

  constructor(
    private readonly sink: Sink,
    private readonly opts: FormatOptions = {},
  ) {}

  event(e: FormatEvent): void {
    switch (e.type) {
      case 'statement':
        this.draw();
        this.open = true;
        break;
      case 'series':
        this.open = true;
        this.series.push({
          name: e.name,
          tags: e.tags,
          timeIndex: e.columns.indexOf('time'),
          times: [],
          columns: e.columns.map((name) => ({ name, values: [], numeric: true, any: false })),
        });
        break;
      case 'rows':
        this.addRows(e.rows);
        break;
      case 'message':
        this.sink.write(`${e.level}: ${e.text}.\n`);
        break;
      case 'error':
        this.failed = true;
        break;
      case 'end':
      case 'response-end':
        this.draw();
        break;
      default:
        break;
    }
  }

  close(): void {
    this.draw();
  }

  private addRows(rows: unknown[][]): void {
    const s = this.series[this.series.length - 1];
    if (!s) return;
    for (const row of rows) {
      s.times.push(s.timeIndex >= 0 ? timeMillis(row[s.timeIndex], this.opts.precision) : s.times.length);
      for (let j = 0; j < s.columns.length; j++) {
        if (j === s.timeIndex) continue;
        const col = s.columns[j]!;
        const v = numericValue(row[j]);
        if (v === undefined) col.numeric = false;
        else if (v !== null) col.any = true;
        col.values.push(v ?? null);
      }
    }
  }

  private draw(): void {
    if (!this.open) return;
    const series = this.series;
    const failed = this.failed;
    this.series = [];
    this.open = false;
    this.failed = false;
    this.sink.write(renderStatement(series, this.opts, failed));
  }
}

/** The text for one statement's series. */
export function renderStatement(series: SeriesBuffer[], opts: FormatOptions, failed = false): string {
  const width = terminalWidth(opts);
  const color = useColor(opts);
  const skipped = new Set<string>();
  const parts: { name?: string; tags?: Tags; column: string; times: number[]; values: (number | null)[]; timeAxis: boolean }[] = [];
  for (const s of series) {
    const timeAxis = s.timeIndex >= 0 && s.times.every((t) => Number.isFinite(t));
    const times = timeAxis ? s.times : s.times.map((_, i) => i);
    s.columns.forEach((c, j) => {
      if (j === s.timeIndex) return;
      if (!c.numeric) skipped.add(c.name);
      else if (c.any) parts.push({ name: s.name, tags: s.tags, column: c.name, times, values: c.values, timeAxis });
    });
  }
  const skippedText = [...skipped].map((c) => `"${c}"`).join(', ');
  if (!parts.length) {
    if (skipped.size) return `chart: nothing to draw: ${skippedText} ${skipped.size === 1 ? 'is' : 'are'} not numeric (use -format column or table to see ${skipped.size === 1 ? 'it' : 'them'})\n`;
    if (failed) return '';
    return 'chart: no data to draw (empty result)\n';
  }
  const note = skipped.size ? `chart: skipped non-numeric column${skipped.size === 1 ? '' : 's'} ${skippedText}\n` : '';
  const labels = legendLabels(parts);
  const lines: ChartLine[] = parts.map((p, i) => ({ label: labels[i]!, times: p.times, values: p.values }));
  const timeAxis = parts.every((p) => p.timeAxis);

  const counts = lines.map((l) => l.values.reduce<number>((n, v) => (v === null ? n : n + 1), 0));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 1) {
    const i = counts.findIndex((c) => c === 1);
    const k = lines[i]!.values.findIndex((v) => v !== null);
    const t = lines[i]!.times[k]!;
    // Aggregates without GROUP BY time() carry time 0, which says nothing.
    const when = timeAxis && t !== 0 ? new Date(t).toISOString() : undefined;
    const p = parts[i]!;
    const label = [p.name, tagText(p.tags, ' '), p.column].filter(Boolean).join(' · ');
    return renderBigNumber(lines[i]!.values[k]!, label, width, color, when) + note;
  }
  if (sameTime(lines) || counts.every((c) => c <= 1)) {
    const items = lines.map((l) => ({ label: l.label, value: lastValue(l) })).filter((i): i is { label: string; value: number } => i.value !== undefined);
    return `  ${chartTitle(parts)}\n` + renderBars(items, width, color) + note;
  }
  const legendRows = Math.min(lines.length, 21);
  const termRows = opts.height ?? (process.stdout.rows ? Math.max(5, Math.min(25, process.stdout.rows - 9 - legendRows)) : 15);
  return renderLineChart(lines, { width, height: termRows, color, title: chartTitle(parts), timeAxis }) + note;
}

/** Every non-null value has the same time (e.g. last() GROUP BY tag without time buckets). */
function sameTime(lines: ChartLine[]): boolean {
  let first: number | undefined;
  for (const l of lines) {
    for (let i = 0; i < l.values.length; i++) {
      if (l.values[i] === null) continue;
      if (first === undefined) first = l.times[i]!;
      else if (l.times[i] !== first) return false;
    }
  }
  return true;
}

function lastValue(l: ChartLine): number | undefined {
  for (let i = l.values.length - 1; i >= 0; i--) if (l.values[i] !== null) return l.values[i]!;
  return undefined;
}

function chartTitle(parts: { name?: string; column: string }[]): string {
  const names = [...new Set(parts.map((p) => p.name).filter(Boolean))];
  const columns = [...new Set(parts.map((p) => p.column))];
  const units = [...new Set(columns.map(unitOf))];
  const unit = units.length === 1 && units[0] ? ` (${units[0]})` : '';
  return [names.join(', '), columns.join(', ') + unit].filter(Boolean).join(' · ');
}
