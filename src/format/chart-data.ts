// Turns result cells into plottable numbers: times in epoch milliseconds whatever the
// precision they arrived in, values as floats (big integers lose digits, which a chart can't show).
import { ExactNumber } from '../query/lossless.js';
import type { Tags } from '../query/events.js';
import { tagText } from './cells.js';

const PER_MS: Record<string, number> = { ns: 1e-6, u: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 };

/** Epoch milliseconds of a time cell; NaN when it is not a time. */
export function timeMillis(v: unknown, precision?: string): number {
  if (typeof v === 'string') return Date.parse(v);
  if (typeof v === 'number') return epochMillis(v, precision);
  if (v instanceof ExactNumber) return epochMillis(v.toNumber(), precision);
  return NaN;
}

function epochMillis(n: number, precision?: string): number {
  const unit = precision && precision in PER_MS ? precision : guessUnit(n);
  return n * PER_MS[unit]!;
}

/** For callers that don't know the precision: the unit that puts the number between 1973 and 2286. */
function guessUnit(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e17) return 'ns';
  if (a >= 1e14) return 'u';
  if (a >= 1e11) return 'ms';
  return 's';
}

/** A cell as a float, or null when it is null; undefined when it is not numeric at all. */
export function numericValue(v: unknown): number | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (v instanceof ExactNumber) return v.toNumber();
  return undefined;
}

/** One line of a chart: a label and its points in time order (null values break the line). */
export interface ChartLine {
  label: string;
  /** Epoch ms (or row numbers when the result has no time column). */
  times: Float64Array | number[];
  values: (number | null)[];
}

export interface SeriesLabelParts {
  name?: string;
  tags?: Tags;
  column: string;
}

/**
 * Legend labels that say what differs: tags when series have them (the name too when the
 * measurements differ), the column when more than one is drawn.
 */
export function legendLabels(parts: SeriesLabelParts[]): string[] {
  const names = new Set(parts.map((p) => p.name ?? ''));
  const columns = new Set(parts.map((p) => p.column));
  return parts.map((p) => {
    const bits: string[] = [];
    const tags = tagText(p.tags, ' ');
    if (p.name && (names.size > 1 || !tags)) bits.push(p.name);
    if (tags) bits.push(tags);
    if (columns.size > 1 || !bits.length) bits.push(bits.length ? `(${p.column})` : p.column);
    return bits.join(' ');
  });
}

/** A unit named by a column's suffix (latency_ms → ms), for the y axis title. */
export function unitOf(column: string): string | undefined {
  const m = /(?:^|[_.])(ms|us|\u00b5s|ns|s|sec|seconds|bytes|kb|mb|gb|pct|percent|ratio|rps|qps|count)$/i.exec(column);
  if (!m) return undefined;
  const u = m[1]!.toLowerCase();
  return u === 'pct' || u === 'percent' ? '%' : u === 'sec' || u === 'seconds' ? 's' : u;
}

/** A number for an axis or a legend: short, with k/M/G/T for large magnitudes. */
export function formatNumber(v: number, span = Math.abs(v)): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.max(Math.abs(v), span);
  const SI: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e4, 'k'],
  ];
  for (const [f, s] of SI) {
    if (a >= f) {
      const scale = s === 'k' ? 1e3 : f;
      return trim((v / scale).toFixed(decimals(span / scale))) + s;
    }
  }
  if (a !== 0 && a < 1e-3) return v.toExponential(1);
  return trim(v.toFixed(decimals(span)));
}

function decimals(span: number): number {
  if (!(span > 0)) return 2;
  if (span >= 100) return 0;
  if (span >= 10) return 1;
  if (span >= 1) return 2;
  return Math.min(6, 2 + Math.ceil(-Math.log10(span)));
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
