// The sample service and the load generator against the real influxd: every response served
// is one stored point, even when InfluxDB is down at start and restarted under load.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalServer } from '../../src/connection/local.js';
import { run, uniqueDb } from '../helpers/influx.js';
import { privateInflux, type PrivateInflux } from '../e2e/transfer-server.js';
import { after, startBin, until } from '../helpers/loadgen.js';

async function sumRequests(url: string, db: string): Promise<number> {
  const body = new URLSearchParams({ q: 'SELECT sum(num_requests) FROM serviceA', db });
  const j = (await (await fetch(`${url}/query`, { method: 'POST', body })).json()) as any;
  return j.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
}

describe('influxsh service + load', () => {
  // Databases are created on a private server: the shared one's SHOW DATABASES is compared byte for byte elsewhere.
  let P: PrivateInflux;
  beforeAll(async () => {
    P = await privateInflux();
  });
  afterAll(async () => {
    await P?.stop();
  });

  it('with --no-metrics, says that --port names InfluxDB and where the service listens', async () => {
    const port = await freePort();
    const svc = startBin(['service', '--no-metrics', '--port', '9', '--listen', `127.0.0.1:${port}`]);
    try {
      await svc.waitFor(/listening on/);
      expect(svc.stderr()).toContain(`service: --host and --port name InfluxDB, for the metrics, which are off; the service listens on 127.0.0.1:${port} (--listen to change it)\n`);
      expect(await (await fetch(`http://127.0.0.1:${port}/api/hello`)).json()).toEqual({ hello: 'world!' });
    } finally {
      svc.proc.kill('SIGINT');
      expect(await svc.exited).toBe(0);
    }
  });

  it('stores one point per response served, with the original field names and types', async () => {
    const db = uniqueDb('svc');
    const port = await freePort();
    const svc = startBin(['service', '--url', P.url, '--database', db, '--listen', `127.0.0.1:${port}`]);
    await svc.waitFor(/listening on/);
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/api/hello`)).json()).toEqual({ hello: 'world!' });
    expect(await (await fetch(`${base}/api/world`)).json()).toEqual({ world: 'Hello!' });
    // Anything else: the 404 that Express 4.14 itself sends (its app is a dev dependency).
    const express = createRequire(import.meta.url)('express');
    const app = express();
    app.get('/api/hello', (_q: unknown, r: any) => r.json({ hello: 'world!' }));
    const ex = app.listen(0, '127.0.0.1');
    await new Promise((r) => ex.once('listening', r));
    try {
      for (const [method, path] of [
        ['GET', '/nope?q=<1>&x="a\'b"'],
        ['POST', '/api/hello'],
        ['HEAD', '/x'],
      ]) {
        const ours = await fetch(`${base}${path}`, { method });
        const theirs = await fetch(`http://127.0.0.1:${ex.address().port}${path}`, { method });
        expect(ours.status).toBe(404);
        expect(theirs.status).toBe(404);
        expect(await ours.text()).toBe(await theirs.text());
        for (const h of ['content-type', 'content-length', 'x-content-type-options', 'x-powered-by']) expect([h, ours.headers.get(h)]).toEqual([h, theirs.headers.get(h)]);
      }
    } finally {
      ex.close();
    }

    const load = await run(['load', '--requests', '3000', '-c', '8', '--json', `${base}/api/hello?x=1`, `${base}/api/world`], { bare: true });
    expect(load.code).toBe(0);
    const r = JSON.parse(load.stdout);
    expect(r.requests).toMatchObject({ total: 3000, ok: 3000, non2xx: 0, errors: 0, timeouts: 0 });
    for (const k of ['p50', 'p90', 'p99', 'p999', 'max', 'mean']) expect(r.latencyMs[k]).toBeGreaterThan(0);
    expect(r.rps).toBeGreaterThan(0);
    expect(r.durationS).toBeGreaterThan(0);

    svc.proc.kill('SIGTERM');
    expect(await svc.exited).toBe(0);
    const served = Number(/served (\d+) requests/.exec(svc.stderr())![1]);
    expect(served).toBe(3005);
    expect(svc.stderr()).toMatch(new RegExp(`points: ${served} written, 0 dropped, 0 rejected`));
    expect(await sumRequests(P.url, db)).toBe(served);

    const fields = await P.q('SHOW FIELD KEYS FROM serviceA', db);
    expect(fields.results[0].series[0].values).toEqual([
      ['latency', 'float'],
      ['num_requests', 'float'],
    ]);
    // Latencies are milliseconds to the response headers: small, never negative, all present.
    const lat = await P.q('SELECT count(latency), min(latency), max(latency) FROM serviceA', db);
    const [, count, min, max] = lat.results[0].series[0].values[0];
    expect(count).toBe(served);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThan(5000);
    const hosts = await P.q('SHOW TAG VALUES FROM serviceA WITH KEY = "host"', db);
    expect(hosts.results[0].series[0].values).toEqual([['host', hostname()]]);
    const urls = await P.q('SHOW TAG VALUES FROM serviceA WITH KEY = "url"', db);
    expect(urls.results[0].series[0].values.map((v: string[]) => v[1])).toEqual(['/api/hello', '/api/world', '/nope', '/x']);
  });

  it("stores a latency that is a real part of the client's view and rises when requests queue", async () => {
    const db = uniqueDb('lat');
    const port = await freePort();
    const svc = startBin(['service', '--url', P.url, '--database', db, '--listen', `127.0.0.1:${port}`]);
    await svc.waitFor(/listening on/);
    const base = `http://127.0.0.1:${port}`;
    // One connection on /api/hello: nothing queues. Twenty on /api/world: requests that arrive
    // together are served one after another, and each one's wait is part of its latency.
    const one = await run(['load', '-n', '3000', '-c', '1', '--json', `${base}/api/hello`], { bare: true });
    const many = await run(['load', '-n', '12000', '-c', '20', '--json', `${base}/api/world`], { bare: true });
    svc.proc.kill('SIGTERM');
    expect(await svc.exited).toBe(0);
    const stored = async (url: string) => {
      const r = await P.q(`SELECT median(latency), mean(latency), count(latency) FROM serviceA WHERE url = '${url}'`, db);
      const [, median, mean, count] = r.results[0].series[0].values[0];
      return { median, mean, count };
    };
    const clientOne = JSON.parse(one.stdout).latencyMs;
    const clientMany = JSON.parse(many.stdout).latencyMs;
    const s1 = await stored('/api/hello');
    const s20 = await stored('/api/world');
    const seen = JSON.stringify({ clientOne, s1, clientMany, s20 });
    expect(s1.count).toBe(3000);
    expect(s20.count).toBe(12000);
    // A part of what the client sees, never more (the service's interval lies inside the client's),
    // and not a timer around a table lookup (which stored a median of 0 and a mean of 0.00007 ms).
    for (const [s, c] of [
      [s1, clientOne],
      [s20, clientMany],
    ] as const) {
      expect(s.median, seen).toBeGreaterThan(0.003);
      expect(s.mean, seen).toBeGreaterThan(0.003);
      expect(s.median, seen).toBeLessThanOrEqual(c.p50);
      expect(s.mean, seen).toBeLessThanOrEqual(c.mean);
    }
    // Queueing shows: at 20 connections requests wait for each other inside the service.
    expect(s20.median, seen).toBeGreaterThan(2 * s1.median);
  });

  it('load keeps a 10 ms target near 10 ms, closed model and with a rate', async () => {
    // A stub target, not the service: its answers take a known 10 ms.
    const server = http.createServer((_q, res) => after(10, () => res.end('ok')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      for (const args of [
        ['-c', '4', '-d', '1500ms'],
        ['--rate', '100', '-c', '4', '-d', '1500ms', '--allow-shortfall'],
      ]) {
        const r = await run(['load', ...args, '--json', url], { bare: true });
        expect(r.code, r.stderr).toBe(0);
        const l = JSON.parse(r.stdout).latencyMs;
        const seen = `${args.join(' ')}: ${JSON.stringify(l)}`;
        // Never below the delay (less a timer's 1 ms slack); the median near it; the tail bounded
        // even on a loaded machine (a queue or a lost stall would show as far more).
        expect(l.p50, seen).toBeGreaterThanOrEqual(9);
        expect(l.p50, seen).toBeLessThan(30);
        expect(l.p99, seen).toBeGreaterThanOrEqual(9);
        expect(l.p99, seen).toBeLessThan(500);
      }
    } finally {
      server.close();
    }
  });

  it('serves while InfluxDB is down at start and across a restart under load, losing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-svc-'));
    const influxPort = await freePort();
    const url = `http://127.0.0.1:${influxPort}`;
    const port = await freePort();
    // The default host (localhost) against an influxd on 127.0.0.1 only, as users run it.
    const svc = startBin(['service', '-port', String(influxPort), '--database', 'service', '--listen', `127.0.0.1:${port}`, '--flush-interval', '200ms']);
    let server: Awaited<ReturnType<typeof startLocalServer>> | undefined;
    try {
      await svc.waitFor(/connection refused\. .*; serving anyway/);
      const load = startBin(['load', '--rate', '400', '--duration', '5s', '-c', '8', '--allow-shortfall', '--json', `http://127.0.0.1:${port}/api/hello`, `http://127.0.0.1:${port}/api/world`]);
      server = await startLocalServer({ dataDir: dir, port: influxPort });
      await until(async () => (await sumRequests(url, 'service')) > 0).catch((e) => {
        throw new Error(`${e.message}; service said: ${svc.stderr()}`);
      });
      // Down under load: wait until the service notices, then bring the same server back.
      const downs = (): number => svc.stderr().split('is unavailable').length;
      const before = downs();
      await server.stop();
      await svc.waitFor(new RegExp(`(is unavailable[\\s\\S]*){${before}}`));
      server = await startLocalServer({ dataDir: dir, port: influxPort });
      expect(await load.exited).toBe(0);
      const report = JSON.parse(load.stdout());
      expect(report.requests.errors).toBe(0);
      svc.proc.kill('SIGTERM');
      expect(await svc.exited).toBe(0);
      const served = Number(/served (\d+) requests/.exec(svc.stderr())![1]);
      expect(served).toBeGreaterThanOrEqual(report.requests.ok);
      expect(svc.stderr()).toMatch(/0 dropped, 0 rejected/);
      expect(svc.stderr(), svc.stderr()).toMatch(/is back after/);
      expect(await sumRequests(url, 'service')).toBe(served);
    } finally {
      svc.proc.kill('SIGKILL');
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts every point it has to drop when InfluxDB stays away, and exits 1', async () => {
    const deadPort = await freePort();
    const port = await freePort();
    const svc = startBin(['service', '--url', `http://127.0.0.1:${deadPort}`, '--listen', `127.0.0.1:${port}`, '--buffer', '100', '--batch-size', '40', '--shutdown-timeout', '300ms']);
    await svc.waitFor(/connection refused\. .*; serving anyway/);
    const load = await run(['load', '-n', '300', '-c', '4', '--json', `http://127.0.0.1:${port}/api/hello`], { bare: true });
    expect(JSON.parse(load.stdout).requests.ok).toBe(300);
    await svc.waitFor(/dropped \d+ points: buffer full \(100 lines\)/);
    svc.proc.kill('SIGTERM');
    expect(await svc.exited).toBe(1);
    expect(svc.stderr()).toMatch(/served 300 requests; points: 0 written, 300 dropped, 0 rejected/);
  });
});
