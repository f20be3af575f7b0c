// Latency summaries from HdrHistogram: a percentile is the top of its bucket, so it must be capped
// at the largest value recorded or a report can show p99.9 above max.
import { describe, expect, it } from 'vitest';
import { newHistogram, summarize } from '../../src/loadgen/histogram.js';

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
