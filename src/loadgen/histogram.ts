// Latency summaries every report shares, histograms added up with their exact extremes, and the
// percentile spectrum (wrk2 -L).
import { Histogram } from './hdr-histogram.js';

export { encodeHistogram, Histogram, type HistogramSnapshot } from './hdr-histogram.js';

export function newHistogram(): Histogram {
  return new Histogram();
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  min: number;
}

const ms = (us: number): number => Math.round(us) / 1000;

/** The exact smallest and largest values (µs): a decoded histogram only knows their buckets. */
export interface ExactBounds {
  minUs: number;
  maxUs: number;
}

/**
 * Percentiles in milliseconds from a histogram of microseconds. A percentile is the top of its
 * bucket, which can lie above the largest value recorded: it is capped at that value.
 */
/** The summary of no latencies. */
export const NO_LATENCIES: Readonly<LatencySummary> = { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0 };

/** Whether a summary holds any latency: every latency is at least 1 µs, so a summary of nothing is the one whose max is 0. */
export function hasLatencies(l: LatencySummary): boolean {
  return l.max > 0;
}

export function summarize(h: Histogram, exact?: ExactBounds): LatencySummary {
  if (h.totalCount === 0) return { ...NO_LATENCIES };
  const max = exact?.maxUs ?? h.maxValue;
  const at = (p: number) => ms(Math.min(h.getValueAtPercentile(p), max));
  return {
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: ms(max),
    mean: ms(h.mean),
    min: ms(exact?.minUs ?? (h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue)),
  };
}

/**
 * Histograms added together with their exact extremes: a decoded histogram knows only the
 * buckets its smallest and largest values fell in, so those travel beside it.
 */
export class MergedHistogram {
  readonly hist = newHistogram();
  private minUs = Infinity;
  private maxUs = 0;

  add(h: Histogram, minUs?: number, maxUs?: number): void {
    if (h.totalCount === 0) return;
    this.hist.add(h);
    this.minUs = Math.min(this.minUs, minUs ?? h.minNonZeroValue);
    this.maxUs = Math.max(this.maxUs, maxUs ?? h.maxValue);
  }

  get count(): number {
    return this.hist.totalCount;
  }

  /** The exact extremes (0 when empty). */
  bounds(): ExactBounds {
    return this.count ? { minUs: this.minUs, maxUs: this.maxUs } : { minUs: 0, maxUs: 0 };
  }

  summary(): LatencySummary {
    return summarize(this.hist, this.count ? this.bounds() : undefined);
  }
}

export interface SpectrumPoint {
  percentile: number;
  ms: number;
  /** Requests at or below this latency. */
  count: number;
}

/**
 * The percentile spectrum as HdrHistogram prints it (wrk2 -L): five steps to 50 %, five more
 * to 75 %, and so on, halving the distance to 100 % until the last request.
 */
export function percentileSpectrum(h: Histogram, maxUs = h.maxValue): SpectrumPoint[] {
  const out: SpectrumPoint[] = [];
  if (h.totalCount === 0) return out;
  const point = (p: number): SpectrumPoint => {
    const us = Math.min(h.getValueAtPercentile(p), maxUs);
    return { percentile: p, ms: ms(us), count: Math.max(1, Math.min(h.totalCount, Math.ceil((p / 100) * h.totalCount))) };
  };
  let base = 0;
  let half = 50;
  // Stop once the step is finer than one request.
  while (half / 100 >= 1 / h.totalCount / 2 && out.length < 200) {
    for (let i = 0; i < 5; i++) out.push(point(base + (i * half) / 5));
    base += half;
    half /= 2;
  }
  out.push({ percentile: 100, ms: ms(maxUs), count: h.totalCount });
  return out;
}

/** The spectrum in the text layout of HdrHistogram's outputPercentileDistribution (wrk2 -L), values in ms. */
export function formatSpectrum(h: Histogram, maxUs = h.maxValue): string {
  const rows = percentileSpectrum(h, maxUs).map((p) => {
    const inv = p.percentile >= 100 ? 'inf' : (1 / (1 - p.percentile / 100)).toFixed(2);
    return `${p.ms.toFixed(3).padStart(12)} ${(p.percentile / 100).toFixed(6).padStart(12)} ${String(p.count).padStart(12)} ${inv.padStart(14)}`;
  });
  const mean = ms(h.mean).toFixed(3);
  const sd = ms(h.stdDeviation).toFixed(3);
  return (
    [
      '  Latency distribution (HdrHistogram, ms):',
      `${'Value'.padStart(12)} ${'Percentile'.padStart(12)} ${'TotalCount'.padStart(12)} ${'1/(1-Percentile)'.padStart(14)}`,
      '',
      ...rows,
      `#[Mean    = ${mean.padStart(12)}, StdDeviation   = ${sd.padStart(12)}]`,
      `#[Max     = ${ms(maxUs).toFixed(3).padStart(12)}, Total count    = ${String(h.totalCount).padStart(12)}]`,
    ].join('\n') + '\n'
  );
}
