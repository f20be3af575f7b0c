// The load recorder's counts: status codes (counted in runs of equal codes), ok and non-2xx, per URL.
import { describe, expect, it } from 'vitest';
import { LoadRecorder } from '../../src/loadgen/load-recorder.js';
import { buildTargets } from '../../src/loadgen/targets.js';
import { OTHER_URLS, PER_URL_LIMIT } from '../../src/loadgen/load-stats.js';
import { formatLoadReport, progressLine } from '../../src/loadgen/report.js';

describe('LoadRecorder', () => {
  it('counts every status code, whatever their order, and forgets them on reset', () => {
    const targets = buildTargets(['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'], { method: 'GET', headers: [] });
    const rec = new LoadRecorder(targets);
    const [a, b] = targets.map((t) => rec.statsFor(t));
    const codes = [200, 200, 404, 200, 500, 500, 200];
    codes.forEach((s, i) => rec.response(i % 2 ? b! : a!, 100 + i, s));
    const f = rec.figures();
    expect(f.statusCodes).toEqual({ '200': 4, '404': 1, '500': 2 });
    expect(f.requests).toMatchObject({ total: 7, ok: 4, non2xx: 3 });
    expect(f.perUrl.map((u) => u.requests.total)).toEqual([4, 3]);
    rec.response(a!, 50, 201);
    expect(rec.figures().statusCodes).toEqual({ '200': 4, '201': 1, '404': 1, '500': 2 });
    rec.reset(0);
    rec.response(a!, 50, 302);
    expect(rec.figures().statusCodes).toEqual({ '302': 1 });
  });

  it('leaves out what no one reads: per-URL seconds without --record, summaries a leader thread works out', () => {
    const targets = buildTargets(['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'], { method: 'GET', headers: [] });
    const seconds = (wants?: { perUrlSeconds: boolean; merged: boolean }) => {
      const rec = new LoadRecorder(targets, wants);
      rec.reset(0);
      const [a, b] = targets.map((t) => rec.statsFor(t));
      const out: { perUrl?: { url: string; total: number }[]; p50: number; max: number; total: number }[] = [];
      for (let sec = 1; sec <= 2; sec++) {
        for (let i = 0; i < 10 * sec; i++) rec.response(i % 2 ? b! : a!, 1000 * sec + i, 200);
        rec.closeSecond(sec * 1000, (s) => out.push({ perUrl: s.perUrl?.map((u) => ({ url: u.url, total: u.counts.total })), p50: s.latencyMs.p50, max: s.latencyMs.max, total: s.total }));
      }
      return { out, figures: rec.figures(), hists: rec.histograms() };
    };
    const all = seconds();
    expect(all.out.map((s) => s.perUrl)).toEqual([
      [
        { url: 'http://127.0.0.1:1/a', total: 5 },
        { url: 'http://127.0.0.1:1/b', total: 5 },
      ],
      [
        { url: 'http://127.0.0.1:1/a', total: 10 },
        { url: 'http://127.0.0.1:1/b', total: 10 },
      ],
    ]);
    expect(all.out.map((s) => s.max)).toEqual([1.009, 2.019]);
    const lean = seconds({ perUrlSeconds: false, merged: true });
    expect(lean.out).toEqual([
      { perUrl: undefined, p50: 0, max: 0, total: 10 },
      { perUrl: undefined, p50: 0, max: 0, total: 20 },
    ]);
    expect(all.figures.perUrl.map((u) => [u.requests.total, u.latencyMs.max])).toEqual([
      [15, 2.018],
      [15, 2.019],
    ]);
    // Merged, the counts are whole and the summaries left to the leader, which gets the same histograms.
    expect(lean.figures.perUrl.map((u) => [u.requests.total, u.latencyMs.max, u.histogram])).toEqual([
      [15, 0, undefined],
      [15, 0, undefined],
    ]);
    expect([lean.figures.latencyMs.p50, lean.figures.histogram]).toEqual([0, undefined]);
    expect(lean.hists.total.snapshot()).toEqual(all.hists.total.snapshot());
    expect(lean.hists.perUrl.map((u) => u.hist.snapshot())).toEqual(all.hists.perUrl.map((u) => u.hist.snapshot()));
    expect(all.hists.total.totalCount).toBe(30);
  });

  it('gives the first PER_URL_LIMIT URLs figures of their own and counts the rest together', () => {
    const urls = Array.from({ length: PER_URL_LIMIT + 10 }, (_, i) => `http://127.0.0.1:1/u/${i}`);
    // A URL seen again after the limit keeps its own figures.
    const targets = buildTargets([...urls, urls[0]!], { method: 'GET', headers: [] });
    const rec = new LoadRecorder(targets);
    for (const t of targets) rec.response(rec.statsFor(t), 100, 200);
    const f = rec.figures();
    expect(f.targets).toEqual(urls);
    expect(f.perUrl).toHaveLength(PER_URL_LIMIT + 1);
    expect(f.perUrl[0]).toMatchObject({ url: urls[0], requests: { total: 2 } });
    expect(f.perUrl.at(-1)).toMatchObject({ url: OTHER_URLS, requests: { total: 10, ok: 10 } });
    expect(f.perUrl.reduce((a, u) => a + u.requests.total, 0)).toBe(f.requests.total);
    const text = formatLoadReport({ ...f, rps: 1, durationS: 1, model: 'closed', connections: 1, workers: 1, timeoutMs: 0, connectMs: 1, connectedAtStart: 1, bytesRead: 0, interrupted: false });
    expect(text.split('\n')[0]).toBe(`Load test of ${PER_URL_LIMIT + 10} URLs: ${urls.slice(0, 3).join(', ')} and ${PER_URL_LIMIT + 7} more`);
    expect(text).toContain('  10 other URLs\n    10 total, 10 2xx');
    const one = new LoadRecorder(buildTargets(urls.slice(0, PER_URL_LIMIT + 1), { method: 'GET', headers: [] })).figures();
    const oneText = formatLoadReport({ ...one, rps: 1, durationS: 1, model: 'closed', connections: 1, workers: 1, timeoutMs: 0, connectMs: 1, connectedAtStart: 1, bytesRead: 0, interrupted: false });
    expect(oneText).toContain('  1 other URL\n');
  });

  it('shows no latency figures where nothing was answered, and dashes in the live line until there are some', () => {
    const targets = buildTargets(['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'], { method: 'GET', headers: [] });
    const rec = new LoadRecorder(targets);
    const [a, b] = targets.map((t) => rec.statsFor(t));
    rec.response(a!, 300, 200);
    rec.error(b!, 'ECONNREFUSED');
    const f = rec.figures();
    const text = formatLoadReport({ ...f, rps: 1, durationS: 1, model: 'closed', connections: 1, workers: 1, timeoutMs: 0, connectMs: 1, connectedAtStart: 1, bytesRead: 0, interrupted: false });
    expect(text).toContain('  http://127.0.0.1:1/a\n    1 total, 1 2xx, 0 non-2xx, 0 errors, 0 timeouts\n    latency ms: p50 0.3');
    expect(text).toContain('  http://127.0.0.1:1/b\n    1 total, 0 2xx, 0 non-2xx, 1 error, 0 timeouts\n    latency ms: none (nothing answered)');
    const live = { total: 5, ok: 5, non2xx: 0, errors: 0, timeouts: 0, phase: 'measuring' as const, connected: 1, connections: 1, goalRequests: 10, backlog: 0 };
    expect(progressLine({ ...live, elapsedMs: 400, rps: 0, p50: 0, p99: 0 })).toBe('[load] 5/10 requests  – req/s  p50 – ms  p99 – ms  errors 0  timeouts 0');
    expect(progressLine({ ...live, elapsedMs: 1500, rps: 5, p50: 0.25, p99: 1.5 })).toBe('[load] 5/10 requests  5.0 req/s  p50 0.25 ms  p99 1.50 ms  errors 0  timeouts 0');
  });
});
