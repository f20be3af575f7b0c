// Latency histograms as text (HdrHistogram's compressed base64, encodeHistogram in histogram.ts),
// read back and added up exactly: the seconds a run stored in InfluxDB, or printed in --json.
import * as hdr from 'hdr-histogram-js';
import { newHistogram, summarize, type ExactBounds, type Histogram, type LatencySummary } from './histogram.js';

/** Throws a plain Error on text that is not an encoded histogram. */
export function decodeHistogram(text: string): Histogram {
  return hdr.decodeFromCompressedBase64(text, 32, false);
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
