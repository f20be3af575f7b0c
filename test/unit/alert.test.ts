import { describe, expect, it } from 'vitest';
import { AlertTracker, ConditionError, SnapshotCollector, changeLine, conditionText, evaluate, parseCondition, type SeriesSnapshot } from '../../src/watch/alert.js';
import { grafanaPayload, slackPayload } from '../../src/watch/webhook.js';
import { parseWatchArgs, watchLoop, watchPlan } from '../../src/watch/run-watch.js';
import { sparkline, TrendCollector } from '../../src/format/sparkline.js';

const latest = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { value: v, time: 0 }]));

describe('alert conditions', () => {
  it('parses comparisons, and/or with and binding tighter, parentheses and quoted columns', () => {
    expect(parseCondition('mean > 0.5')).toEqual({ kind: 'cmp', column: 'mean', op: '>', value: 0.5 });
    expect(parseCondition('value>=10')).toEqual({ kind: 'cmp', column: 'value', op: '>=', value: 10 });
    expect(parseCondition('x = -1e3').kind === 'cmp' && (parseCondition('x = -1e3') as any).op).toBe('==');
    expect(conditionText(parseCondition('a > 1 or b < 2 and c != 3'))).toBe('a > 1 or b < 2 and c != 3');
    expect(parseCondition('a > 1 or b < 2 and c != 3')).toMatchObject({ kind: 'or', right: { kind: 'and' } });
    expect(conditionText(parseCondition('(a > 1 or b < 2) AND c <= 3'))).toBe('(a > 1 or b < 2) and c <= 3');
    expect(parseCondition('"p 99" > 2')).toEqual({ kind: 'cmp', column: 'p 99', op: '>', value: 2 });
  });

  it('rejects bad conditions with a message that shows the way', () => {
    for (const bad of ['', 'mean', 'mean >', 'mean > x', '> 3', 'a > 1 and', '(a > 1', 'a > 1 b']) {
      expect(() => parseCondition(bad)).toThrow(ConditionError);
    }
    expect(() => parseCondition('mean >')).toThrow(/expected a number after "mean >".*e\.g\. 'mean > 0\.5'/);
  });

  it('evaluates on the latest values, unknown when a column is missing', () => {
    const c = parseCondition('mean > 0.5 and max < 3');
    expect(evaluate(c, latest({ mean: 0.6, max: 2 }))).toBe(true);
    expect(evaluate(c, latest({ mean: 0.6, max: 3 }))).toBe(false);
    expect(evaluate(c, latest({ mean: 0.4 }))).toBe(false);
    expect(evaluate(c, latest({ mean: 0.6 }))).toBeNull();
    expect(evaluate(parseCondition('a > 1 or b > 1'), latest({ b: 2 }))).toBe(true);
    expect(evaluate(parseCondition('v == 2'), latest({ v: 2 }))).toBe(true);
  });

  it('takes the latest non-null point of each column from the events, per series', () => {
    const col = new SnapshotCollector('ms');
    col.event({ type: 'statement', id: 0 });
    col.event({ type: 'series', id: 0, name: 'cpu', tags: { host: 'a' }, columns: ['time', 'mean', 's'] });
    col.event({
      type: 'rows',
      id: 0,
      rows: [
        [1000, 0.1, 'x'],
        [2000, 0.9, 'y'],
        [3000, null, 'z'],
      ],
    });
    col.event({ type: 'series', id: 0, name: 'cpu', tags: { host: 'b' }, columns: ['time', 'mean'] });
    col.event({
      type: 'rows',
      id: 0,
      rows: [
        [3000, 0.2],
        [1000, 0.7],
      ],
    }); // ORDER BY time DESC
    const snaps = col.take();
    expect(snaps.map((s) => s.latest)).toEqual([{ mean: { value: 0.9, time: 2000 } }, { mean: { value: 0.2, time: 3000 } }]);
    expect(col.take()).toEqual([]);
  });

  it('reports OK → ALERTING → OK per series, once per change', () => {
    const t = new AlertTracker(parseCondition('mean > 0.5'));
    const snap = (host: string, v: number | null): SeriesSnapshot => ({ statement: 0, name: 'cpu', tags: { host }, latest: v === null ? {} : { mean: { value: v, time: Date.UTC(2024, 0, 1) } } });
    expect(t.update([snap('a', 0.1), snap('b', 0.2)]).changes).toEqual([]);
    const up = t.update([snap('a', 0.8), snap('b', 0.2)]).changes;
    expect(up).toEqual([{ state: 'alerting', previous: 'ok', series: 'cpu', tags: { host: 'a' }, value: 0.8, values: { mean: 0.8 }, condition: 'mean > 0.5', time: '2024-01-01T00:00:00.000Z' }]);
    expect(changeLine(up[0]!)).toBe('alert: OK → ALERTING  cpu host=a  mean > 0.5  (mean=0.8)  at 2024-01-01T00:00:00.000Z');
    expect(t.update([snap('a', 0.9)]).changes).toEqual([]);
    expect(t.update([snap('a', null)]).changes).toEqual([]); // no data keeps the state
    expect(t.update([snap('a', 0.3)]).changes.map((c) => `${c.previous}->${c.state}`)).toEqual(['alerting->ok']);
    expect(t.update([{ statement: 0, name: 'cpu', latest: { max: { value: 1, time: 0 } } }]).missing).toEqual(['mean']);
  });

  it('shapes payloads like Grafana and Slack notifications', () => {
    const change = {
      state: 'alerting' as const,
      previous: 'ok' as const,
      series: 'cpu',
      tags: { host: 'a' },
      value: 0.8,
      values: { mean: 0.8 },
      condition: 'mean > 0.5',
      time: '2024-01-01T00:00:00.000Z',
    };
    const g = grafanaPayload(change);
    expect(g).toMatchObject({ title: '[Alerting] cpu host=a: mean > 0.5', ruleName: 'mean > 0.5', state: 'alerting', tags: { host: 'a' }, series: 'cpu', value: 0.8, time: change.time });
    expect(g.evalMatches).toEqual([{ metric: 'cpu.mean', value: 0.8, tags: { host: 'a' } }]);
    const s = slackPayload({ ...change, state: 'ok', previous: 'alerting' }) as any;
    expect(s.text).toContain('OK cpu host=a: mean > 0.5');
    expect(s.attachments[0].color).toBe('good');
    expect(s.attachments[0].ts).toBe(1704067200);
  });
});

describe('watch loop', () => {
  it('never overlaps runs: a slow run delays the next tick', async () => {
    const starts: number[] = [];
    let running = 0;
    let overlapped = false;
    const ac = new AbortController();
    const r = await watchLoop(
      async (_s, run) => {
        starts.push(Date.now());
        overlapped ||= running > 0;
        running++;
        await new Promise((res) => setTimeout(res, run === 2 ? 120 : 5));
        running--;
        return run !== 3;
      },
      { intervalMs: 40, count: 4, signal: ac.signal },
    );
    expect(r).toEqual({ runs: 4, lastOk: true });
    expect(overlapped).toBe(false);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(115); // waited for the slow run, not the interval
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(35);
  });

  it('stops when the signal aborts, mid-wait', async () => {
    const ac = new AbortController();
    const p = watchLoop(async () => true, { intervalMs: 60000, signal: ac.signal, onRun: () => void setTimeout(() => ac.abort(), 10) });
    expect(await p).toEqual({ runs: 1, lastOk: true });
  });

  it('reads the shell form: watch [interval] <statement>', () => {
    expect(parseWatchArgs('5s SELECT mean(v) FROM cpu')).toEqual({ intervalMs: 5000, statement: 'SELECT mean(v) FROM cpu' });
    expect(parseWatchArgs('SELECT 1')).toEqual({ intervalMs: 2000, statement: 'SELECT 1' });
    expect(parseWatchArgs('500ms')).toHaveProperty('error');
    expect(parseWatchArgs('  ')).toHaveProperty('error');
  });

  it('validates its flags', () => {
    expect(watchPlan({ watch: true })).toMatchObject({ intervalMs: 2000, slack: false });
    expect(watchPlan({ watch: '200ms', watchCount: '3', alert: 'mean > 1', webhook: 'http://127.0.0.1:9/x', slack: true })).toMatchObject({
      intervalMs: 200,
      count: 3,
      webhook: 'http://127.0.0.1:9/x',
      slack: true,
    });
    expect(() => watchPlan({ watch: 'soon' })).toThrow(/invalid --watch interval/);
    expect(() => watchPlan({ alert: 'mean > 1' })).toThrow(/--alert works only with --watch/);
    expect(() => watchPlan({ watch: '1s', watchCount: '0' })).toThrow(/--watch-count/);
    expect(() => watchPlan({ watch: '1s', webhook: 'http://x' })).toThrow(/--webhook needs --alert/);
    expect(() => watchPlan({ watch: '1s', alert: 'a > 1', webhook: 'ftp://x' })).toThrow(/http:\/\/ or https:\/\//);
  });
});

describe('sparklines', () => {
  it('scales values onto eight blocks, averaging down to the width, nulls as spaces', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5])).toBe('▄▄▄');
    expect(sparkline([0, null, 10])).toBe('▁ █');
    expect(
      sparkline(
        Array.from({ length: 1000 }, (_, i) => i),
        10,
      ),
    ).toBe('▁▁▂▃▄▅▆▇██');
  });

  it('draws a trend row per series and numeric column', () => {
    const t = new TrendCollector();
    t.series('cpu', { host: 'a' }, ['time', 'v', 's']);
    t.rows([
      [1, 1, 'x'],
      [2, 3, 'y'],
      [3, 2, 'z'],
    ]);
    const out = t.take();
    expect(out).toMatch(/cpu host=a\s*│ v\s*│ 3\s*│ 1\s*│ 3\s*│ 2\s*│ ▁█▅/);
    expect(out).not.toMatch(/│ s /);
    expect(t.take()).toBe('');
  });
});
