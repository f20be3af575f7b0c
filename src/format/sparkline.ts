// Sparklines (▁▂▃▄▅▆▇█) and the trend table `table` output adds with `sparklines on` (a bounded
// table: one row per series and column, drawn by cli-table3).
import type { Tags } from '../query/events.js';
import { formatNumber, numericValue } from './chart-data.js';
import { tagText } from './cells.js';
import { PLAIN, oneLine, type Style } from './table-render.js';
import { boxTable } from './fixed-table.js';

const BARS = '▁▂▃▄▅▆▇█';

/** Values as one block character each, averaged down to `width` characters; nulls are spaces. */
export function sparkline(values: readonly (number | null)[], width = 24): string {
  const n = values.length;
  if (!n) return '';
  const cols = Math.min(width, n);
  const means: (number | null)[] = [];
  for (let c = 0; c < cols; c++) {
    const from = Math.floor((c * n) / cols);
    const to = Math.floor(((c + 1) * n) / cols);
    let sum = 0;
    let cnt = 0;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) {
        sum += v;
        cnt++;
      }
    }
    means.push(cnt ? sum / cnt : null);
  }
  const defined = means.filter((v): v is number => v !== null);
  if (!defined.length) return ' '.repeat(cols);
  const lo = Math.min(...defined);
  const hi = Math.max(...defined);
  return means.map((v) => (v === null ? ' ' : hi === lo ? BARS[3] : BARS[Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8))])).join('');
}

interface Trend {
  series: string;
  column: string;
  values: (number | null)[];
  numeric: boolean;
}

/** Collects the numeric columns of a statement's series and draws one row per series and column. */
export class TrendCollector {
  private trends: Trend[] = [];
  private current: { trends: (Trend | null)[] } | null = null;

  series(name: string | undefined, tags: Tags | undefined, columns: string[]): void {
    const label = [name ?? '', tagText(tags, ', ')].filter(Boolean).join(' ');
    const trends = columns.map((c) => (c === 'time' ? null : { series: label, column: c, values: [], numeric: true }));
    for (const t of trends) if (t) this.trends.push(t);
    this.current = { trends };
  }

  rows(rows: unknown[][]): void {
    const trends = this.current?.trends;
    if (!trends) return;
    for (const r of rows) {
      for (let j = 0; j < trends.length; j++) {
        const t = trends[j];
        if (!t || !t.numeric) continue;
        const v = numericValue(r[j]);
        if (v === undefined) t.numeric = false;
        else t.values.push(v);
      }
    }
  }

  /** The trend table, or '' when nothing numeric came; resets for the next statement. */
  take(style: Style = PLAIN): string {
    const trends = this.trends.filter((t) => t.numeric && t.values.some((v) => v !== null));
    this.trends = [];
    this.current = null;
    if (!trends.length) return '';
    const rows = trends.map((t) => {
      const nums = t.values.filter((v): v is number => v !== null);
      let min = Infinity;
      let max = -Infinity;
      for (const v of nums) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      return [oneLine(t.series), oneLine(t.column), String(nums.length), formatNumber(min), formatNumber(max), formatNumber(nums[nums.length - 1]!), sparkline(t.values)];
    });
    return boxTable(['series', 'column', 'points', 'min', 'max', 'last', 'trend'], rows, style);
  }
}
