// What `influxsh load` measures, against stub targets of known behaviour (not InfluxDB: a stall,
// a fixed delay, a 1 %-slow server, Connection: close, a slow TLS handshake): percentiles checked
// against values computed from the stub's behaviour, shortfalls, per-URL counts, TLS checks.
import { afterAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { run, runCommand } from '../helpers/influx.js';
import { killTmuxServer, startShell } from '../helpers/tmux.js';

const TLS_DIR = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));
const CERT = `${TLS_DIR}cert.pem`;

afterAll(() => killTmuxServer());

type Handler = (answer: () => void, n: number) => void;

/** A stub target; `handle` decides when each request (numbered from 1) is answered. */
async function stub(handle: Handler, headers: Record<string, string> = {}): Promise<{ url: string; close: () => void; connections: () => number }> {
  let n = 0;
  let conns = 0;
  const server = http.createServer((_req, res) => handle(() => (res.writeHead(200, { 'Content-Type': 'text/plain', ...headers }), res.end('ok')), ++n));
  server.on('connection', () => conns++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => (server.closeAllConnections(), server.close()), connections: () => conns };
}

const delayed =
  (ms: number): Handler =>
  (answer) =>
    setTimeout(answer, ms);

async function load(args: string[]): Promise<{ code: number | null; report: any; stderr: string; stdout: string }> {
  const r = await run(['load', ...args], { bare: true });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    report = undefined;
  }
  return { code: r.code, report, stderr: r.stderr, stdout: r.stdout };
}

describe('open model (--rate)', () => {
  it('measures every intended request from its intended send time through a stall: percentiles match the stall pattern', async () => {
    // Stalls of S ms every P ms: a request arriving inside a stall is answered when it ends.
    const S = 1000;
    const P = 4000;
    const t0 = Date.now();
    const s = await stub((answer) => {
      const phase = (Date.now() - t0) % P;
      if (phase >= P - S) setTimeout(answer, P - phase);
      else answer();
    });
    try {
      // The backlog a stall leaves (rate * S) goes out c at a time after it, which adds a few round
      // trips to the analytic values: a low rate and a long stall keep that small beside S.
      const rate = 200;
      const r = await load(['--rate', String(rate), '-d', `${(2 * P) / 1000}s`, '-c', '20', '--allow-shortfall', '--json', s.url]);
      expect(r.code, r.stderr).toBe(0);
      // A share S/P of intended times falls in a stall, waiting uniformly 0..S; the rest ~0. So
      // the latency exceeded by a fraction q (< S/P) of requests is S * (1 - q * P / S).
      const analytic = (pct: number) => S * (1 - ((100 - pct) / 100) * (P / S));
      const l = r.report.latencyMs;
      const seen = JSON.stringify(l);
      expect(r.report.requests.total).toBe(rate * (P / 1000) * 2);
      // ±15 %, plus the time an unstalled request takes (the median: ~1 ms, more on a loaded machine).
      expect(l.p50, seen).toBeLessThan(50);
      expect(l.p90, seen).toBeGreaterThan(analytic(90) * 0.85);
      expect(l.p90, seen).toBeLessThan(analytic(90) * 1.15 + l.p50);
      expect(l.p99, seen).toBeGreaterThan(analytic(99) * 0.85);
      expect(l.p99, seen).toBeLessThan(analytic(99) * 1.15 + l.p50);
    } finally {
      s.close();
    }
  });

  it('says when the target rate was not achieved, counts the backlog in the percentiles, and exits 1 unless --allow-shortfall', async () => {
    const s = await stub(delayed(10));
    try {
      // 2 connections at 10 ms serve ~200 req/s; 600 are asked for during 1 s.
      const r = await load(['--rate', '600', '-d', '1s', '-c', '2', '--json', s.url]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/target rate not achieved: [\d.]+ of 600 req\/s sent/);
      expect(r.stderr.match(/target rate not achieved/g)).toHaveLength(1);
      expect(r.report.shortfall).toBe(true);
      expect(r.report.achievedRate).toBeLessThan(300);
      expect(r.report.requests.ok).toBe(600);
      // Request i waits i * (1/200 - 1/600) s: the median ~1 s, the last ~2 s.
      expect(r.report.latencyMs.p50).toBeGreaterThan(600);
      expect(r.report.latencyMs.max).toBeGreaterThan(1500);
      const allowed = await load(['--rate', '600', '-d', '300ms', '-c', '2', '--allow-shortfall', s.url]);
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).toMatch(/600 req\/s asked, [\d.]+ sent \(\d+ %\): not achieved/);
      const ok = await load(['--rate', '50', '-d', '1s', '-c', '2', '--json', s.url]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.report.shortfall).toBe(false);
    } finally {
      s.close();
    }
  });
});

describe('what is measured', () => {
  it("says in the header which model it measured: the closed model's service time shows a 1 %-slow server's slow answers only in its top percentiles", async () => {
    const s = await stub((answer, n) => (n % 100 === 0 ? setTimeout(answer, 200) : answer()));
    try {
      const r = await load(['-c', '4', '-n', '2000', s.url]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/closed model: latency is each request's service time, send to response \(wrk's figures before its correction, which --latency-correction adds\)/);
      const json = await load(['-c', '4', '-n', '2000', '--json', s.url]);
      const l = json.report.latencyMs;
      // Both sides: the fast 99 % answer at once (a loopback round trip is never 0), the slow 1 %
      // at 200 ms, and a closed model adds no wait of its own to them (a loaded machine: seconds of slack).
      expect(l.p50, JSON.stringify(l)).toBeGreaterThan(0);
      expect(l.p50, JSON.stringify(l)).toBeLessThan(20);
      expect(l.p999, JSON.stringify(l)).toBeGreaterThanOrEqual(195);
      expect(l.p999, JSON.stringify(l)).toBeLessThan(1000);
      const open = await load(['--rate', '100', '-d', '300ms', '-c', '2', s.url]);
      expect(open.stdout).toMatch(/open model at 100 req\/s: latency from each request's intended send time/);
    } finally {
      s.close();
    }
  });

  it("--latency-correction adds wrk's samples: a 1 %-slow server's p90 is then that of the waits slow answers caused, as wrk reports it", async () => {
    const slowMs = 100;
    const s = await stub((answer, n) => (n % 100 === 0 ? setTimeout(answer, slowMs) : answer()));
    try {
      const plain = await load(['-c', '1', '--workers', '1', '-d', '2s', '--json', s.url]);
      const r = await load(['-c', '1', '--workers', '1', '-d', '2s', '--latency-correction', '--json', s.url]);
      expect(r.code, r.stderr).toBe(0);
      const { intervalMs: interval, added } = r.report.latencyCorrection;
      const answered = r.report.requests.ok;
      // One connection: each slow answer held back the requests due every `interval` while it was awaited.
      const perSlow = Math.floor(slowMs / interval - 1);
      const slow = Math.round(answered / 100);
      expect(added / slow, JSON.stringify(r.report.latencyCorrection)).toBeGreaterThan(perSlow * 0.85);
      expect(added / slow, JSON.stringify(r.report.latencyCorrection)).toBeLessThan(perSlow * 1.15 + 1);
      // Per 100 requests: 99 fast, then the added samples from slowMs - perSlow * interval up, then the slow one.
      const rank = Math.ceil(0.9 * (100 + perSlow)) - 99;
      const p90 = slowMs - (perSlow - rank + 1) * interval;
      const l = r.report.latencyMs;
      expect(l.p90, JSON.stringify({ l, interval, p90 })).toBeGreaterThan(p90 * 0.85);
      expect(l.p90, JSON.stringify({ l, interval, p90 })).toBeLessThan(p90 * 1.15);
      expect(plain.report.latencyMs.p90).toBeLessThan(20);
      // wrk itself on the same server (npm test installs it as root, as the other reference tools).
      const w = await runCommand('wrk', ['-t1', '-c1', '-d2s', '--latency', s.url]);
      const m = /^\s+90%\s+([\d.]+)(us|ms|s)$/m.exec(w.stdout);
      expect(m, `wrk printed no 90th percentile (is it installed?): ${w.stdout}${w.stderr}`).not.toBeNull();
      const wrkP90 = Number(m![1]) * { us: 0.001, ms: 1, s: 1000 }[m![2] as 'ms'];
      expect(l.p90, JSON.stringify({ l, wrkP90 })).toBeGreaterThan(wrkP90 * 0.8);
      expect(l.p90, JSON.stringify({ l, wrkP90 })).toBeLessThan(wrkP90 * 1.25);
      expect(r.report.requests).toEqual({ ...r.report.requests, total: answered });
      expect(r.stdout).toContain('"latencyCorrection"');
      const text = await load(['-c', '1', '--workers', '1', '-n', '300', '--latency-correction', s.url]);
      expect(text.stdout).toMatch(/closed model with wrk's correction: each request's service time, send to response, and [\d,]+ samples? added/);
      // The open model needs no correction; --influxql has its own report.
      const refused = await load(['--rate', '100', '-d', '1s', '--latency-correction', s.url]);
      expect([refused.code, refused.stderr]).toEqual([
        2,
        "--latency-correction is for the closed model at a fixed number of connections: the open model's latencies already count from each request's intended send time\n",
      ]);
    } finally {
      s.close();
    }
  });

  it('--latency-correction on a terminal: the live view says its figures are as measured, the report under it says what was added', async () => {
    const s = await stub((answer, n) => (n % 100 === 0 ? setTimeout(answer, 50) : answer()));
    const term = await startShell({ bare: true, args: ['load', '-c', '1', '--workers', '1', '-d', '3s', '--latency-correction', s.url], size: { columns: 80, rows: 24 } });
    try {
      await term.waitFor(/req\/s p50 .* ms p99 .* ms [\d,]+ done\n.*\np50 and p99 as measured; the report adds wrk's correction$/m, 'the live view with its note');
      const done = await term.waitFor(/EXITED:0/, 'the end of the run');
      expect(done).toMatch(/^Load test of .*\n {2}closed model with wrk's correction: each request's service time, send to\n {4}response, and [\d,]+ samples added/m);
      // The live view is gone before the report is written: its note is not left on the screen.
      expect(term.visible()).not.toContain('as measured');
    } finally {
      term.kill();
      s.close();
    }
  });

  it('sets up connections before measuring: a slow TLS handshake is reported as connect time, not latency', async () => {
    const server = https.createServer({ cert: readFileSync(CERT), key: readFileSync(`${TLS_DIR}key.pem`) }, (_q, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    // A proxy that holds each new connection's first bytes (the ClientHello) for 300 ms.
    const proxy = net.createServer((c) => {
      const up = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
      c.pause();
      setTimeout(() => (c.pipe(up), up.pipe(c), c.resume()), 300);
      c.on('error', () => up.destroy());
      up.on('error', () => c.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const url = `https://localhost:${(proxy.address() as AddressInfo).port}/`;
      const r = await load(['--rate', '100', '-d', '1s', '-c', '10', '--ca-cert', CERT, '--allow-shortfall', '--json', url]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.report.requests.ok).toBe(100);
      expect(r.report.connectMs).toBeGreaterThanOrEqual(290);
      // Measured after the handshakes: no request waited for one.
      expect(r.report.latencyMs.p90, JSON.stringify(r.report.latencyMs)).toBeLessThan(100);
    } finally {
      proxy.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('targets', () => {
  it('refuses fewer connections than origins, and gives per-URL counts and percentiles', async () => {
    const a = await stub(delayed(0));
    const b = await stub(delayed(5));
    try {
      const one = await load(['-c', '1', '-n', '100', a.url, b.url]);
      expect(one.code).toBe(2);
      expect(one.stderr).toMatch(/--connections 1 is fewer than the 2 origins/);
      expect(one.stderr.trim().split('\n')).toHaveLength(1);
      const two = await load(['-c', '2', '-n', '400', '--json', a.url, `${a.url}x`, b.url]);
      expect(two.code).toBe(0);
      const per = Object.fromEntries(two.report.perUrl.map((u: any) => [u.url, u]));
      expect(Object.keys(per)).toEqual([a.url, `${a.url}x`, b.url]);
      for (const u of Object.values(per) as any[]) expect(u.requests.ok).toBeGreaterThan(20);
      expect((Object.values(per) as any[]).reduce((n, u) => n + u.requests.total, 0)).toBe(two.report.requests.total);
      // A's two URLs share its connection in turn; B's 5 ms shows in B's percentiles only.
      expect(Math.abs(per[a.url].requests.total - per[`${a.url}x`].requests.total)).toBeLessThanOrEqual(1);
      expect(per[b.url].latencyMs.p50).toBeGreaterThanOrEqual(4.5);
      expect(per[a.url].latencyMs.p50).toBeLessThan(4.5);
      const text = await load(['-c', '2', '-n', '100', a.url, b.url]);
      expect(text.stdout).toContain(`  ${b.url}\n    `);
    } finally {
      a.close();
      b.close();
    }
  });

  it('verifies https targets: an untrusted certificate fails with a hint, --ca-cert trusts it, --insecure skips the check', async () => {
    const server = https.createServer({ cert: readFileSync(CERT), key: readFileSync(`${TLS_DIR}key.pem`) }, (_q, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
    try {
      const bad = await load(['-n', '5', '-c', '1', '--json', url]);
      expect(bad.code).toBe(1);
      expect(bad.report.requests.errors).toBe(5);
      expect(Object.keys(bad.report.errorKinds).join()).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
      expect(bad.stderr).toMatch(/TLS certificate not trusted .*--ca-cert FILE, or --insecure/);
      const ca = await load(['-n', '5', '-c', '1', '--ca-cert', CERT, '--json', url]);
      expect(ca.code, ca.stderr).toBe(0);
      expect(ca.report.requests.ok).toBe(5);
      const insecure = await load(['-n', '5', '-c', '1', '--insecure', '--json', url]);
      expect(insecure.report.requests.ok).toBe(5);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('--timeout 0 means no timeout, and says so', async () => {
    const s = await stub(delayed(300));
    try {
      const none = await load(['-n', '2', '-c', '1', '--timeout', '0', '--json', s.url]);
      expect(none.code).toBe(0);
      expect(none.report.timeoutMs).toBe(0);
      const text = await load(['-n', '1', '-c', '1', '--timeout', '0', s.url]);
      expect(text.stdout).toMatch(/no timeout/);
      const short = await load(['-n', '2', '-c', '1', '--timeout', '100ms', '--json', s.url]);
      expect(short.report.requests.timeouts).toBe(2);
      expect(short.report.timeoutMs).toBe(100);
    } finally {
      s.close();
    }
  });
});
