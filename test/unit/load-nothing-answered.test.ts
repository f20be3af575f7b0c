// A load run where nothing answered has no latencies, and no output may show it as 0 ms: not the
// JSON, not a threshold, not a recorded point, not the line that says how the connections came up.
import { describe, expect, it } from 'vitest';
import { LoadRecorder } from '../../src/loadgen/load-recorder.js';
import { buildTargets } from '../../src/loadgen/targets.js';
import { formatLoadReport, reportJson, thresholdLines } from '../../src/loadgen/report.js';
import { checkThresholds, parseThreshold } from '../../src/loadgen/thresholds.js';
import { recordLines } from '../../src/loadgen/record.js';
import { comparison, formatComparison } from '../../src/loadgen/load-report-text.js';
import type { LoadReport } from '../../src/loadgen/load-stats.js';
import type { RunReport } from '../../src/loadgen/load-report.js';

const base = { rps: 0, durationS: 1, model: 'closed' as const, connections: 2, workers: 1, timeoutMs: 0, connectMs: 1.5, bytesRead: 0, interrupted: false };

/** A run of two URLs: `a` answered once in 300 µs when `answered`, `b` was refused twice. */
function run(answered: boolean, connectedAtStart: number): LoadReport {
  const targets = buildTargets(['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'], { method: 'GET', headers: [] });
  const rec = new LoadRecorder(targets);
  const [a, b] = targets.map((t) => rec.statsFor(t));
  if (answered) rec.response(a!, 300, 200);
  else rec.error(a!, 'ECONNREFUSED');
  rec.error(b!, 'ECONNREFUSED');
  return { ...base, ...rec.figures(), connectedAtStart };
}

describe('a load run where nothing answered', () => {
  it('has null latencies in its JSON, where an answered URL keeps its figures', () => {
    const none = JSON.parse(reportJson(run(false, 0)));
    expect(none.latencyMs).toEqual({ p50: null, p90: null, p99: null, p999: null, max: null, mean: null, min: null });
    expect(none.perUrl.map((u: { latencyMs: { p99: unknown } }) => u.latencyMs.p99)).toEqual([null, null]);
    expect(none.requests).toMatchObject({ total: 2, errors: 2 });
    const some = JSON.parse(reportJson(run(true, 2)));
    expect(some.latencyMs).toMatchObject({ p50: 0.3, max: 0.3 });
    expect(some.perUrl[0].latencyMs.p99).toBe(0.3);
    expect(some.perUrl[1].latencyMs.p99).toBeNull();
    // Only latency summaries: a comparison's changes of 0 % are figures, and stay 0.
    const change = { rps: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
    expect(JSON.parse(reportJson({ changePercent: change }))).toEqual({ changePercent: change });
  });

  it('breaks a latency threshold (requests were made, so it used to hold at "p99 = 0 ms"), while a count threshold is still judged', () => {
    const r = run(false, 0);
    const [p99, errors, both] = checkThresholds([parseThreshold('p99<50ms'), parseThreshold('errors<5'), parseThreshold('errors<5 and max<1s')], r);
    expect(p99).toMatchObject({ ok: false, values: { p99: null } });
    expect(errors).toMatchObject({ ok: true, values: { errors: 2 } });
    expect(both!.ok).toBe(false);
    expect(thresholdLines([p99!])).toBe('  Threshold:  p99<50ms  BROKEN (p99: none, nothing answered)\n');
    expect(checkThresholds([parseThreshold('p99<50ms')], run(true, 2))[0]).toMatchObject({ ok: true, values: { p99: 0.3 } });
  });

  it('records no latency fields for a second in which a URL got no answer', () => {
    const targets = buildTargets(['http://127.0.0.1:1/a', 'http://127.0.0.1:1/b'], { method: 'GET', headers: [] });
    const rec = new LoadRecorder(targets);
    const [a, b] = targets.map((t) => rec.statsFor(t));
    rec.response(a!, 300, 200);
    rec.error(b!, 'ECONNREFUSED');
    expect(rec.hist.totalCount).toBe(1); // reading the run's histogram moves the tallied latencies into every histogram
    const [la, lb] = recordLines({ run: 'r', agent: 'x', host: 'h' }, { time: 1000, seconds: 1, perUrl: [a!.takeSecond(), b!.takeSecond()] });
    expect(la).toMatch(/,p50=0\.3,p90=0\.3,p99=0\.3,p999=0\.3,max=0\.3,min=0\.3,mean=0\.3,hist="/);
    expect(lb).toMatch(/^loadtest,agent=x,host=h,run=r,url=http:\/\/127\.0\.0\.1:1\/b seconds=1,rps=0,requests=1i,ok=0i,non2xx=0i,errors=1i,timeouts=0i,hist="[^"]+" 1000$/);
  });

  it('says how many connections were up when measuring began', () => {
    expect(formatLoadReport(run(false, 0)).split('\n')[2]).toBe('  2 connections, none connected before measuring (tried for 1.5 ms); no timeout');
    expect(formatLoadReport(run(true, 1)).split('\n')[2]).toBe('  2 connections, only 1 connected before measuring (tried for 1.5 ms); no timeout');
    expect(formatLoadReport(run(true, 2)).split('\n')[2]).toBe('  2 connections, connected in 1.5 ms before measuring; no timeout');
  });

  it('compares no latency of a run where nothing answered with another', () => {
    const asRun = (r: LoadReport, name: string): RunReport => ({ ...r, run: name, start: '', end: '', points: 1, agents: [] }) as unknown as RunReport;
    const a = asRun(run(true, 2), 'good');
    const b = asRun(run(false, 0), 'down');
    expect(comparison(a, b)).toMatchObject({ p50: null, p99: null, max: null });
    expect(formatComparison(a, b)).toMatch(/^p99 ms {2,}0\.3 {2,}– {2,}–$/m);
  });
});
