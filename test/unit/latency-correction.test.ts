// --latency-correction: wrk's correction of the closed model (wrk.c, stats_correct). The
// histogram's version must add the same samples as wrk's own loop over a count per microsecond,
// and a report's figures (the run's and each URL's) must come from the corrected counts.
import { describe, expect, it } from 'vitest';
import { decodeHistogram, Histogram } from '../../src/loadgen/hdr-histogram.js';
import { encodeHistogram, summarize } from '../../src/loadgen/histogram.js';
import { correctLatencies } from '../../src/loadgen/latency-correction.js';
import { formatLoadReport, reportJson } from '../../src/loadgen/report.js';
import type { LoadReport } from '../../src/loadgen/load-stats.js';

/** wrk's stats_correct on its counts per microsecond; the corrected values, sorted. */
function wrkCorrected(values: number[], expected: number): number[] {
  const max = Math.max(...values);
  const data = new Array<number>(max + 1).fill(0);
  for (const v of values) data[v]!++;
  for (let i = expected * 2; i <= max; i++) {
    const count = data[i]!;
    for (let m = i - expected; count && m > expected; m -= expected) data[m]! += count;
  }
  const out: number[] = [];
  data.forEach((n, v) => {
    for (let k = 0; k < n; k++) out.push(v);
  });
  return out;
}

/** HdrHistogram's percentile of sorted values: the value at rank ceil(p % of them), at least the first. */
const percentileOf = (sorted: number[], p: number): number => sorted[Math.max(Math.ceil((p / 100) * sorted.length), 1) - 1]!;

function histogramOf(values: number[]): Histogram {
  const h = new Histogram();
  for (const v of values) h.recordValue(v);
  return h;
}

describe('Histogram.withOmittedRequests', () => {
  it('adds the samples wrk adds, value for value (below 2,048 µs every value has a bucket of its own)', () => {
    // 1 % slow: 99 answers of 100-140 µs, one of 1,900 µs, over and over.
    const values = Array.from({ length: 2000 }, (_, i) => (i % 100 === 99 ? 1900 : 100 + (i % 41)));
    for (const expected of [150, 299, 300, 950, 1000, 2000]) {
      const want = wrkCorrected(values, expected);
      const got = histogramOf(values).withOmittedRequests(expected);
      expect([expected, got.totalCount]).toEqual([expected, want.length]);
      for (const p of [0, 10, 50, 75, 90, 95, 99, 99.9, 100]) expect([expected, p, got.getValueAtPercentile(p)]).toEqual([expected, p, percentileOf(want, p)]);
    }
  });

  it('adds nothing where no answer took twice the interval, and leaves the histogram it was made from alone', () => {
    const h = histogramOf([100, 200, 300]);
    expect(h.withOmittedRequests(150).totalCount).toBe(3);
    expect(h.withOmittedRequests(100).totalCount).toBe(4); // 300 µs: one more at 200
    expect(h.totalCount).toBe(3);
  });

  it('follows wrk within a bucket above 2,048 µs', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i % 100 === 0 ? 100_000 + i : 250));
    const want = wrkCorrected(values, 1200);
    const got = histogramOf(values).withOmittedRequests(1200);
    // A bucket 64 µs wide holds each slow value: its middle may add or drop the last sample of ten.
    expect(Math.abs(got.totalCount - want.length)).toBeLessThanOrEqual(10);
    for (const p of [50, 75, 90, 99]) {
      const w = percentileOf(want, p);
      expect(Math.abs(got.getValueAtPercentile(p) - w)).toBeLessThanOrEqual(Math.max(1, w / 1000) + 64);
    }
  });
});

describe('correctLatencies', () => {
  it("corrects the run's and each URL's figures with one interval: the run's length over each connection's answers", () => {
    const a = Array.from({ length: 990 }, () => 200).concat(Array.from({ length: 10 }, () => 100_000));
    const b = Array.from({ length: 1000 }, () => 300);
    const ha = histogramOf(a);
    const hb = histogramOf(b);
    const total = histogramOf([...a, ...b]);
    const report: LoadReport = {
      rps: 1000,
      durationS: 2,
      model: 'closed',
      connections: 2,
      workers: 1,
      timeoutMs: 0,
      connectMs: 1,
      connectedAtStart: 2,
      targets: ['http://h/a', 'http://h/b'],
      requests: { total: 2000, ok: 2000, non2xx: 0, errors: 0, timeouts: 0 },
      latencyMs: summarize(total),
      histogram: encodeHistogram(total),
      perUrl: [
        { url: 'http://h/a', requests: { total: 1000, ok: 1000, non2xx: 0, errors: 0, timeouts: 0 }, latencyMs: summarize(ha), histogram: encodeHistogram(ha) },
        { url: 'http://h/b', requests: { total: 1000, ok: 1000, non2xx: 0, errors: 0, timeouts: 0 }, latencyMs: summarize(hb), histogram: encodeHistogram(hb) },
      ],
      statusCodes: { '200': 2000 },
      errorKinds: {},
      bytesRead: 0,
      interrupted: false,
    };
    const { report: r, hist } = correctLatencies(report);
    // 2 s over 1,000 answers per connection: 2 ms. Each 100 ms answer adds 48 samples (98 ms down to 4 ms).
    expect(r.latencyCorrection).toEqual({ intervalMs: 2, added: 480 });
    expect(hist!.totalCount).toBe(2480);
    expect(r.requests.total).toBe(2000);
    expect(decodeHistogram(r.histogram!).totalCount).toBe(2480);
    expect(r.latencyMs.max).toBe(report.latencyMs.max);
    expect(r.latencyMs.p99).toBeGreaterThan(50);
    expect(report.latencyMs.p99).toBeLessThan(1);
    expect(decodeHistogram(r.perUrl[0]!.histogram!).totalCount).toBe(1480);
    expect(r.perUrl[1]!.latencyMs).toEqual(report.perUrl[1]!.latencyMs);
    expect(formatLoadReport(r).split('\n')[1]).toBe(
      "  closed model with wrk's correction: each request's service time, send to response, and 480 samples added for the requests slow answers held back (one per 2.000 ms waited, a connection's time per request)",
    );
    expect(JSON.parse(reportJson(r)).latencyCorrection).toEqual({ intervalMs: 2, added: 480 });
  });
});
