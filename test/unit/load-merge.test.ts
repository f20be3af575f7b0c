// Merging what load threads measured: percentiles are those of one histogram that saw every
// request (not an average of the threads' percentiles), counts are sums.
import { describe, expect, it } from 'vitest';
import { newHistogram, summarize } from '../../src/loadgen/histogram.js';
import { mergeLive, mergeReports, mergeSeconds } from '../../src/loadgen/load-merge.js';
import type { LiveStats, LoadReport } from '../../src/loadgen/load-stats.js';

function part(values: number[], extra: Partial<LoadReport> = {}) {
  const h = newHistogram();
  for (const v of values) h.recordValue(v);
  const n = values.length;
  const report: LoadReport = {
    rps: 0,
    durationS: 2,
    model: 'closed',
    connections: 5,
    workers: 1,
    timeoutMs: 1000,
    connectMs: 3,
    connectedAtStart: 5,
    targets: ['http://a/'],
    requests: { total: n, ok: n, non2xx: 0, errors: 0, timeouts: 0 },
    latencyMs: summarize(h),
    perUrl: [{ url: 'http://a/', requests: { total: n, ok: n, non2xx: 0, errors: 0, timeouts: 0 }, latencyMs: summarize(h) }],
    statusCodes: { '200': n },
    errorKinds: {},
    bytesRead: 100 * n,
    interrupted: false,
    ...extra,
  };
  return { report, hist: h.snapshot(), perUrl: [{ url: 'http://a/', hist: h.snapshot() }] };
}

describe('mergeReports', () => {
  it('gives the percentiles of all requests together: 900 fast answers on one thread and 100 slow ones on the other', () => {
    const fast = Array.from({ length: 900 }, () => 1000); // 1 ms
    const slow = Array.from({ length: 100 }, () => 500_000); // 500 ms
    const r = mergeReports([part(fast), part(slow, { durationS: 2.5, errorKinds: { ECONNRESET: 2 } })]);
    expect(r.requests.total).toBe(1000);
    expect(r.workers).toBe(2);
    expect(r.connections).toBe(10);
    // p50 and p90 are fast (900 of 1000), p99 slow; averaging the two threads' p50 would give ~250 ms.
    expect(r.latencyMs.p50).toBeCloseTo(1, 1);
    expect(r.latencyMs.p90).toBeCloseTo(1, 1);
    expect(r.latencyMs.p99).toBeGreaterThan(499);
    expect(r.latencyMs.p99).toBeLessThan(501);
    expect(r.perUrl[0]!.requests.total).toBe(1000);
    expect(r.perUrl[0]!.latencyMs.p99).toBeGreaterThan(499);
    expect(r.rps).toBe(400); // 1000 answered over the longest thread's 2.5 s
    expect(r.statusCodes).toEqual({ '200': 1000 });
    expect(r.errorKinds).toEqual({ ECONNRESET: 2 });
    expect(r.bytesRead).toBe(100_000);
  });

  it('adds the threads’ achieved rates, and reports a shortfall against the whole rate', () => {
    const a = part([1000], { model: 'open', rate: 50, achievedRate: 49.9, shortfall: false, unfinished: 0 });
    const b = part([1000], { model: 'open', rate: 50, achievedRate: 30, shortfall: true, unfinished: 4 });
    const r = mergeReports([a, b]);
    expect(r.achievedRate).toBeCloseTo(79.9, 5);
    expect(r.shortfall).toBe(true);
    expect(r.unfinished).toBe(4);
  });
});

describe('mergeSeconds and mergeLive', () => {
  it("add up to the run's length when one thread's timer fired late (its long second, then its short one)", () => {
    const h = newHistogram();
    const sec = (seconds: number) => ({ time: 5, seconds, total: 100, ok: 100, non2xx: 0, errors: 0, timeouts: 0, rps: 0, latencyMs: summarize(h) });
    const late = [sec(1.008), sec(0.992), sec(1)];
    const onTime = [sec(1), sec(1), sec(1)];
    const merged = [0, 1, 2].map((k) => mergeSeconds([late[k]!, onTime[k]!], h));
    expect(merged.reduce((a, m) => a + m.seconds, 0)).toBeCloseTo(3, 9);
    expect(merged.map((m) => m.rps)).toEqual([199.2, 200.8, 200]);
  });

  it('sum the threads’ seconds and live counters', () => {
    const h = newHistogram();
    for (let i = 1; i <= 100; i++) h.recordValue(i * 1000);
    const sec = { time: 5, seconds: 1, total: 60, ok: 60, non2xx: 0, errors: 0, timeouts: 0, rps: 60, latencyMs: summarize(h) };
    const m = mergeSeconds([sec, { ...sec, total: 40, ok: 40, time: 7, seconds: 1.01 }], h);
    expect(m.total).toBe(100);
    expect(m.time).toBe(7);
    expect(m.seconds).toBeCloseTo(1.005, 6);
    expect(m.rps).toBeCloseTo(99.5, 1);
    expect(m.latencyMs.p50).toBeCloseTo(50, 0);
    const live: LiveStats = {
      total: 10,
      ok: 10,
      non2xx: 0,
      errors: 1,
      timeouts: 0,
      phase: 'measuring',
      connected: 5,
      connections: 5,
      elapsedMs: 1000,
      rps: 100,
      p50: 0,
      p99: 0,
      backlog: 3,
      goalRequests: 50,
    };
    const l = mergeLive([live, { ...live, phase: 'connecting', connected: 2 }], h);
    expect(l.total).toBe(20);
    expect(l.errors).toBe(2);
    expect(l.connected).toBe(7);
    expect(l.connections).toBe(10);
    expect(l.phase).toBe('connecting');
    expect(l.rps).toBe(200);
    expect(l.backlog).toBe(6);
    expect(l.goalRequests).toBe(100);
    expect(l.p99).toBeCloseTo(99, 0);
  });
});
