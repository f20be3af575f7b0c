// The x axis of a chart: ticks at round times (every 10s, 5m, 1h, 1d…) labelled in UTC, as
// many as fit without touching.

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const STEPS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  S,
  2 * S,
  5 * S,
  10 * S,
  15 * S,
  30 * S,
  M,
  2 * M,
  5 * M,
  10 * M,
  15 * M,
  30 * M,
  H,
  2 * H,
  3 * H,
  6 * H,
  12 * H,
  D,
  2 * D,
  7 * D,
  14 * D,
  30 * D,
  91 * D,
  182 * D,
  365 * D,
];

export interface TimeAxis {
  /** The axis line, starting at the plot's first column. */
  line: string;
  /** Tick labels, aligned with `line`. */
  labels: string;
  /** The whole span in words, e.g. "2024-01-02 10:00:00 → 10:15:00 UTC". */
  caption: string;
}

/** Label text for a tick, precise enough for the step and no more. */
export function tickLabel(ms: number, step: number, span: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T10:00:05.123Z
  if (step < S) return iso.slice(11, 23);
  if (step < M) return iso.slice(11, 19);
  if (step < D) return span > D ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
  return iso.slice(0, 10);
}

/** The span of the data, with the date once and times after it. */
export function spanCaption(t0: number, t1: number): string {
  const a = new Date(t0)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$|Z$/, '');
  const b = new Date(t1)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$|Z$/, '');
  const sameDay = a.slice(0, 10) === b.slice(0, 10);
  return `${a} → ${sameDay ? b.slice(11) : b} UTC`;
}

/**
 * Ticks for columns 0..width-1 spanning t0..t1 (epoch ms). `timeAxis` = false draws row
 * numbers instead (results without a time column).
 */
export function buildTimeAxis(t0: number, t1: number, width: number, timeAxis = true): TimeAxis {
  const span = Math.max(t1 - t0, 0);
  const col = (t: number) => (span === 0 ? 0 : Math.round(((t - t0) / span) * (width - 1)));
  const line = Array.from({ length: width }, () => '─');
  const labels = Array.from({ length: width }, () => ' ');
  const sample = timeAxis ? tickLabel(t0, chooseStepFor(span, width, 8), span) : String(Math.round(t1));
  const gap = sample.length + 3;
  const step = timeAxis ? chooseStepFor(span, width, gap) : niceNumberStep(span, width, gap);
  let lastEnd = -3;
  if (step > 0 && span > 0) {
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      const c = col(t);
      const text = timeAxis ? tickLabel(t, step, span) : String(Math.round(t));
      const start = Math.max(0, Math.min(width - text.length, c - Math.floor(text.length / 2)));
      if (start <= lastEnd + 2) continue;
      line[c] = '┬';
      for (let i = 0; i < text.length; i++) labels[start + i] = text[i]!;
      lastEnd = start + text.length - 1;
    }
  }
  return {
    line: line.join(''),
    labels: labels.join('').trimEnd(),
    caption: timeAxis ? spanCaption(t0, t1) : `rows ${Math.round(t0)}–${Math.round(t1)}`,
  };
}

/** The smallest round step whose ticks are at least `gap` columns apart. */
function chooseStepFor(span: number, width: number, gap: number): number {
  if (span <= 0) return 0;
  const perCol = span / Math.max(width - 1, 1);
  for (const s of STEPS) if (s / perCol >= gap) return s;
  return Math.ceil((gap * perCol) / (365 * D)) * 365 * D;
}

function niceNumberStep(span: number, width: number, gap: number): number {
  if (span <= 0) return 0;
  const raw = (span / Math.max(width - 1, 1)) * gap;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return Math.max(1, 10 * p);
}
