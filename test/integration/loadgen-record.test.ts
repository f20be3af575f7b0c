// load --record with histograms, merged by `load report` across agents, against a real influxd;
// --json's encoded histograms; --targets files against a stub target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { privateInflux, type PrivateInflux } from '../e2e/transfer-server.js';
import { run, uniqueDb } from '../helpers/influx.js';
import { after } from '../helpers/loadgen.js';
import { decodeHistogram } from '../../src/loadgen/hdr-histogram.js';
import { encodeHistogram, newHistogram } from '../../src/loadgen/histogram.js';
import { startRecording } from '../../src/cli/load-record.js';

interface Seen {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A stub target that answers after a fixed delay and remembers every request. */
function stubTarget(delayMs: number): Promise<{ url: string; server: http.Server; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      after(delayMs, () => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok'));
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen })));
}

let P: PrivateInflux;
beforeAll(async () => {
  P = await privateInflux();
});
afterAll(async () => {
  await P?.stop();
});

const PERCENTILES = ['p50', 'p90', 'p99', 'p999', 'max', 'min'] as const;

describe('load --record and load report', () => {
  it('merges two concurrent agents exactly: counts add up, percentiles lie between, each agent equals its live --json', async () => {
    const fast = await stubTarget(2);
    const slow = await stubTarget(15);
    const db = uniqueDb('merge');
    const runName = `merge-${process.pid}`;
    try {
      const agent = (name: string, url: string) => P.run(['load', '-d', '3s', '-c', '2', '--record', '--run', runName, '--agent', name, '--database', db, '--json', `${url}/x`]);
      const [a, b] = await Promise.all([agent('agent-a', fast.url), agent('agent-b', slow.url)]);
      expect([a.code, b.code]).toEqual([0, 0]);
      expect(a.stderr).toContain(`recording run ${runName} (agent agent-a)`);
      // Nothing was lost on the way into InfluxDB (the line that says so names the loss).
      for (const x of [a, b]) expect(x.stderr).toMatch(/--record: \d+ per-second results written/);
      const live = { 'agent-a': JSON.parse(a.stdout), 'agent-b': JSON.parse(b.stdout) };
      // The fixed delays set each agent's latency apart.
      expect(live['agent-a'].latencyMs.p50).toBeLessThan(live['agent-b'].latencyMs.p50);

      const r = await P.run(['load', 'report', runName, '--database', db, '--json']);
      expect(r.code).toBe(0);
      const merged = JSON.parse(r.stdout);
      expect(merged.requests.total).toBe(live['agent-a'].requests.total + live['agent-b'].requests.total);
      expect(merged.requests.ok).toBe(merged.requests.total);
      for (const p of PERCENTILES) {
        const [lo, hi] = [live['agent-a'].latencyMs[p], live['agent-b'].latencyMs[p]].sort((x, y) => x - y);
        // Within one bucket (3 significant digits): a percentile is its bucket's top capped at the
        // run's largest value, and the merged run's cap is the larger agent's (39.967 vs 39.948 seen).
        expect(merged.latencyMs[p]).toBeGreaterThanOrEqual(lo * (1 - 1e-3) - 0.001);
        expect(merged.latencyMs[p]).toBeLessThanOrEqual(hi * (1 + 1e-3) + 0.001);
      }
      // Half the requests are slow ones at most: p50 is a fast one's latency, p99 a slow one's.
      expect(merged.latencyMs.p99).toBeGreaterThanOrEqual(15);
      // Each agent's share rebuilt from InfluxDB is its live report, to the microsecond.
      expect(merged.agents.map((x: { agent: string }) => x.agent)).toEqual(['agent-a', 'agent-b']);
      for (const x of merged.agents) {
        expect(x.requests).toEqual(live[x.agent as 'agent-a'].requests);
        expect(x.latencyMs).toEqual(live[x.agent as 'agent-a'].latencyMs);
      }
      expect(decodeHistogram(merged.histogram).totalCount).toBe(merged.requests.ok);

      const text = await P.run(['load', 'report', runName, '--database', db]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(new RegExp(`^Run ${runName}: 2 agents, 2 URLs`));
      expect(text.stdout).toContain(`Requests:   ${merged.requests.total.toLocaleString('en-US')} total`);

      // A window of the last second: only the seconds that end in it.
      const start = new Date(Date.parse(merged.end) - 1000).toISOString();
      const win = await P.run(['load', 'report', runName, '--database', db, '--json', '--start', start]);
      expect(win.code).toBe(0);
      const part = JSON.parse(win.stdout).requests.total;
      const inWindow = await P.q(`SELECT sum(requests) FROM loadtest WHERE run = '${runName}' AND time >= '${start}'`, db);
      expect(part).toBe(inWindow.results[0].series[0].values[0][1]);
      expect(part).toBeGreaterThan(0);
      expect(part).toBeLessThan(merged.requests.total);

      const cmp = await P.run(['load', 'report', runName, '--compare', runName, '--database', db, '--json']);
      expect(cmp.code).toBe(0);
      expect(JSON.parse(cmp.stdout).changePercent).toMatchObject({ p50: 0, p99: 0, max: 0 });
    } finally {
      fast.server.close();
      slow.server.close();
    }
  });

  it('keeps every recorded second, even two that end in the same millisecond', async () => {
    const db = uniqueDb('sametime');
    const runName = `sametime-${process.pid}`;
    const second = (total: number, latencyUs: number) => {
      const h = newHistogram();
      for (let i = 0; i < total; i++) h.recordValue(latencyUs);
      return { url: 'http://a/x', counts: { total, ok: total, non2xx: 0, errors: 0, timeouts: 0 }, hist: encodeHistogram(h), minUs: latencyUs, maxUs: latencyUs };
    };
    const rec = await startRecording({ url: P.url, database: db, record: true, run: runName, agent: 'one' });
    const time = Date.now();
    // A full second, then the run's short last one closed in the same millisecond.
    rec.onSecond({ time, seconds: 1, perUrl: [second(700, 2000)] });
    rec.onSecond({ time, seconds: 0.004, perUrl: [second(3, 5000)] });
    await rec.close();
    const r = await P.run(['load', 'report', runName, '--database', db, '--json']);
    expect(r.stderr).toBe('');
    const merged = JSON.parse(r.stdout);
    expect(merged.points).toBe(2);
    expect(merged.requests.total).toBe(703);
    expect(merged.latencyMs.max).toBeCloseTo(5, 1);
  });

  it("gives one agent's rate over the time its own clock measured, not the wall clock's span of its seconds", async () => {
    const db = uniqueDb('ownclock');
    const runName = `ownclock-${process.pid}`;
    const h = newHistogram();
    for (let i = 0; i < 1000; i++) h.recordValue(300);
    const second = { url: 'http://a/x', counts: { total: 1000, ok: 1000, non2xx: 0, errors: 0, timeouts: 0 }, hist: encodeHistogram(h), minUs: 300, maxUs: 300 };
    const rec = await startRecording({ url: P.url, database: db, record: true, run: runName, agent: 'one' });
    const time = Date.now() - 5000;
    // Three measured seconds; the wall clock stepped 0.6 s between the last two (as NTP may).
    for (const t of [time, time + 1000, time + 2600]) rec.onSecond({ time: t, seconds: 1, perUrl: [second] });
    await rec.close();
    const r = await P.run(['load', 'report', runName, '--database', db, '--json']);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect([report.durationS, report.rps]).toEqual([3, 1000]);
    expect([report.agents[0].durationS, report.perUrl[0].rps]).toEqual([3, 1000]);
  });

  it('exits 1 and says so when recorded seconds are lost (a retention policy that does not exist)', async () => {
    const target = await stubTarget(1);
    const db = uniqueDb('lost');
    try {
      const r = await P.run(['load', '-d', '1s', '-c', '1', '--record', '--run', `lost-${process.pid}`, '--database', db, '--retention-policy', 'nope', `${target.url}/x`]);
      expect(r.stdout).toContain('Requests:');
      expect(r.stderr).toMatch(/^--record: 0 points written to \S+, [1-9]\d* lost \([^\n]*retention policy not found[^\n]*\); load report lost-\d+ will count less than this run did$/m);
      expect(r.code).toBe(1);
    } finally {
      target.server.close();
    }
  });

  it('says which runs exist for an unknown run, and refuses a bad window', async () => {
    const db = uniqueDb('norun');
    const { url, server } = await stubTarget(0);
    try {
      const rec = await P.run(['load', '-n', '50', '-c', '1', '--record', '--database', db, `${url}/`]);
      expect(rec.code).toBe(0);
      const name = /recording run (\S+)/.exec(rec.stderr)![1]!;
      const r = await P.run(['load', 'report', 'nosuchrun', '--database', db]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`run nosuchrun in database ${db}: no recorded seconds (recorded runs: ${name})`);
      // The connection options work after `load report` as after `load` (not only before the subcommand).
      const after = await run(['load', 'report', name, '--database', db, '--url', P.url, '--json'], { bare: true });
      expect(after.stderr).toBe('');
      expect(after.code).toBe(0);
      expect(JSON.parse(after.stdout).requests.total).toBe(50);
      const old = await P.run(['load', 'report', name, '--database', db, '--end', '2020-01-01T00:00:00Z']);
      expect(old.code).toBe(1);
      expect(old.stderr).toMatch(/no recorded seconds in that window/);
      const bad = await run(['load', 'report', name, '--start', 'yesterday'], { bare: true });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/invalid --start "yesterday"/);
      const runWithout = await run(['load', '--run', 'x', 'http://127.0.0.1:1/'], { bare: true });
      expect(runWithout.code).toBe(2);
      expect(runWithout.stderr).toMatch(/--run needs --record/);
    } finally {
      server.close();
    }
  });
});

describe('load --json histograms', () => {
  it("carries the whole run's and each URL's encoded histogram, counting every answered request", async () => {
    const { url, server } = await stubTarget(1);
    try {
      const r = await run(['load', '-n', '300', '-c', '2', '--json', `${url}/a`, `${url}/b`], { bare: true });
      expect(r.code).toBe(0);
      const rep = JSON.parse(r.stdout);
      const whole = decodeHistogram(rep.histogram);
      expect(whole.totalCount).toBe(300);
      // Percentiles from the decoded histogram are the report's (µs → ms, capped at max).
      expect(Math.min(whole.getValueAtPercentile(50), Math.round(rep.latencyMs.max * 1000)) / 1000).toBe(rep.latencyMs.p50);
      expect(rep.perUrl.map((u: { histogram: string }) => decodeHistogram(u.histogram).totalCount)).toEqual([150, 150]);
    } finally {
      server.close();
    }
  });
});

describe('load --targets', () => {
  it('sends each request of the file in turn, with its method, headers and body, and reports each', async () => {
    const { url, server, seen } = await stubTarget(0);
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-targets-'));
    writeFileSync(join(dir, 'body.json'), '{"v":42}');
    const file = join(dir, 'targets.txt');
    writeFileSync(file, `# two requests\nGET ${url}/a\nX-Trace: one\n\nPOST ${url}/b\nContent-Type: application/json\n@body.json\n`);
    try {
      const r = await run(['load', '--targets', file, '-n', '20', '-c', '1', '-H', 'X-Trace: all', '-H', 'X-Extra: 1', '--json'], { bare: true });
      expect(r.code).toBe(0);
      const rep = JSON.parse(r.stdout);
      expect(rep.perUrl.map((u: { url: string; requests: { ok: number } }) => [u.url, u.requests.ok])).toEqual([
        [`${url}/a`, 10],
        [`POST ${url}/b`, 10],
      ]);
      const gets = seen.filter((s) => s.method === 'GET');
      const posts = seen.filter((s) => s.method === 'POST');
      expect(gets.length).toBeGreaterThanOrEqual(10);
      expect(posts.length).toBeGreaterThanOrEqual(10);
      expect(gets.every((s) => s.path === '/a' && s.headers['x-trace'] === 'one' && s.headers['x-extra'] === '1')).toBe(true);
      expect(posts.every((s) => s.path === '/b' && s.body === '{"v":42}' && s.headers['content-type'] === 'application/json' && s.headers['x-trace'] === 'all')).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a malformed targets file with its line number, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-targets-'));
    const file = join(dir, 't.txt');
    writeFileSync(file, 'GET http://127.0.0.1:1/a\nnot a header\n');
    const r = await run(['load', '--targets', file], { bare: true });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`${file}:2: expected a header "Name: value" or an @body file, got "not a header"`);
    writeFileSync(file, 'GET http://127.0.0.1:1/a\n@missing.json\n');
    const missing = await run(['load', '--targets', file], { bare: true });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/t\.txt:1: cannot read --body file .*missing\.json: ENOENT/);
  });
});
