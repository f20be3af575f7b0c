// Latency summaries from HdrHistogram: a percentile is the top of its bucket, so it must be capped
// at the largest value recorded or a report can show p99.9 above max.
import { describe, expect, it } from 'vitest';
import { encodeHistogram, LatencyTally, newHistogram, summarize } from '../../src/loadgen/histogram.js';

describe('summarize', () => {
  it('never reports a percentile above the maximum', () => {
    const h = newHistogram();
    for (let i = 0; i < 9; i++) h.recordValue(40_000 + i);
    h.recordValue(140_455); // its bucket's top is 140,543 µs
    expect(h.getValueAtPercentile(99.9)).toBeGreaterThan(140_455);
    const s = summarize(h);
    expect(s.max).toBe(140.455);
    expect(s.p999).toBe(140.455);
    expect(s.p50).toBeGreaterThanOrEqual(40);
    expect(s.p50).toBeLessThan(40.1);
  });

  it('is all zeros for an empty histogram', () => {
    expect(summarize(newHistogram())).toEqual({ p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, min: 0 });
  });
});

describe('LatencyTally', () => {
  it('leaves histograms exactly as recording each value would, extremes included', () => {
    const values: number[] = [];
    for (let v = 1; v < 1 << 16; v += 7) values.push(v);
    for (let e = 16; e < 32; e++) for (const d of [-3, -1, 0, 1, 5]) if (2 ** e + d <= 3_600_000_000) values.push(2 ** e + d);
    let seed = 12345;
    for (let i = 0; i < 50_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      values.push(1 + (seed % 5_000_000));
    }
    values.push(3_600_000_000, 1.5, 2047.9, 1024.2, 33, 33, 33);
    for (const chunk of [values, [777], [4096, 4097], [3_000_001, 3_000_002, 3_000_003]]) {
      const direct = newHistogram();
      for (const v of chunk) direct.recordValue(v);
      const a = newHistogram();
      const b = newHistogram();
      const t = new LatencyTally();
      for (const v of chunk) expect(t.record(v)).toBe(true);
      t.flush([a, b]);
      for (const h of [a, b]) {
        expect(h.totalCount).toBe(direct.totalCount);
        expect(h.minNonZeroValue).toBe(direct.minNonZeroValue);
        expect(h.maxValue).toBe(direct.maxValue);
        expect(encodeHistogram(h)).toBe(encodeHistogram(direct));
      }
    }
  });

  it('starts empty after a flush and after clear', () => {
    const t = new LatencyTally();
    const h = newHistogram();
    t.record(500);
    t.flush([h]);
    t.flush([h]);
    t.record(900);
    t.clear();
    t.flush([h]);
    expect(h.totalCount).toBe(1);
    expect(h.maxValue).toBe(500);
  });

  it('refuses what a histogram does not cover', () => {
    const t = new LatencyTally();
    for (const v of [0, 0.5, -1, 3_600_000_001, NaN]) expect(t.record(v)).toBe(false);
  });
});
