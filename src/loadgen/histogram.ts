// Latency histograms (HdrHistogram, microsecond resolution, 3 significant digits) and the
// summary every report shares.
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
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
export function summarize(h: Histogram, exact?: ExactBounds): LatencySummary {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0 };
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
