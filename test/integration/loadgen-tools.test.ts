// load (bad input, failures, open model, --record) and simulate against the real influxd (collect: collect.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../src/connection/local.js';
import { run, uniqueDb } from '../helpers/influx.js';
import { privateInflux, type PrivateInflux } from '../e2e/transfer-server.js';
import { startBin, until } from '../helpers/loadgen.js';

/** A stub target (not InfluxDB): answers after `delayMs`, can be killed mid-run. */
function stubTarget(delayMs = 0): Promise<{ url: string; server: http.Server; served: () => number }> {
  let served = 0;
  const server = http.createServer((_req, res) => {
    served++;
    const answer = (): void => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    };
    if (delayMs) setTimeout(answer, delayMs);
    else answer();
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, served: () => served })));
}

// Databases are created on a private server: the shared one's SHOW DATABASES is compared byte for byte elsewhere.
let P: PrivateInflux;
beforeAll(async () => {
  P = await privateInflux();
});
afterAll(async () => {
  await P?.stop();
});
const q = (query: string, db?: string) => P.q(query, db);

describe('influxsh load', () => {
  it('rejects an invalid URL or rate with a one-line usage error', async () => {
    const bad = await run(['load', 'ftp://example.com/x'], { bare: true });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/invalid URL "ftp:\/\/example.com"/);
    const rate = await run(['load', '--rate', 'fast', 'http://127.0.0.1:1/'], { bare: true });
    expect(rate.code).toBe(2);
    expect(rate.stderr).toMatch(/invalid --rate "fast"/);
    expect(rate.stderr).not.toMatch(/at .*\.js/);
  });

  it('counts errors against a target that refuses connections, still reports, exits 1', async () => {
    const port = await freePort();
    const r = await run(['load', '-n', '12', '-c', '3', '--json', `http://127.0.0.1:${port}/`], { bare: true });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.requests).toMatchObject({ total: 12, ok: 0, errors: 12 });
    expect(report.errorKinds.ECONNREFUSED).toBe(12);
    const text = await run(['load', '-n', '3', '-c', '1', `http://127.0.0.1:${port}/`], { bare: true });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/3 errors/);
    expect(text.stdout).toMatch(/ECONNREFUSED × 3/);
  });

  it('counts errors when the target dies mid-run', async () => {
    const { url, server, served } = await stubTarget();
    const load = startBin(['load', '-d', '3s', '-c', '4', '--json', url]);
    await until(async () => served() > 200);
    server.closeAllConnections();
    server.close();
    expect(await load.exited).toBe(1);
    const report = JSON.parse(load.stdout());
    expect(report.requests.ok).toBeGreaterThan(0);
    expect(report.requests.errors).toBeGreaterThan(0);
  });

  it('--record writes per-second results to measurement loadtest', async () => {
    const { url, server } = await stubTarget();
    const db = uniqueDb('rec');
    try {
      const r = await P.run(['load', '-d', '2200ms', '-c', '2', '--record', '--database', db, '--json', url]);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/--record: \d+ per-second results written/);
      const res = await q('SELECT count(rps), sum(requests) FROM loadtest', db);
      const [, count, sum] = res.results[0].series[0].values[0];
      expect(count).toBeGreaterThanOrEqual(2);
      expect(sum).toBe(JSON.parse(r.stdout).requests.total);
      const fields = await q('SHOW FIELD KEYS FROM loadtest', db);
      expect(Object.fromEntries(fields.results[0].series[0].values)).toMatchObject({ rps: 'float', requests: 'integer', errors: 'integer', p99: 'float' });
    } finally {
      server.close();
    }
  });
});

describe('influxsh simulate', () => {
  it('writes the requested points, all stored, as serviceA points by default', async () => {
    const db = uniqueDb('sim');
    const r = await P.run(['simulate', '--database', db, '--points', '5000', '--tags', 'host=5,url=2', '--batch-size', '700', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.points).toEqual({ written: 5000, failed: 0 });
    expect(report.pps).toBeGreaterThan(0);
    const res = await q('SELECT count(latency), sum(num_requests) FROM serviceA', db);
    expect(res.results[0].series[0].values[0].slice(1)).toEqual([5000, 5000]);
    const series = await q('SHOW SERIES FROM serviceA', db);
    expect(series.results[0].series[0].values).toHaveLength(10);
  });

  it('stores every point also with more series than the batch template holds (line-by-line path)', async () => {
    const db = uniqueDb('simwide');
    const r = await P.run(['simulate', '--database', db, '--points', '34000', '--tags', 'host=17000', '--concurrency', '2', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).points).toEqual({ written: 34000, failed: 0 });
    const res = await q('SELECT count(latency) FROM serviceA', db);
    expect(res.results[0].series[0].values[0][1]).toBe(34000);
    const series = await q("SELECT count(latency) FROM serviceA WHERE host = 'host-16999'", db);
    expect(series.results[0].series[0].values[0][1]).toBe(2);
  });

  it('backfills from --start with gzip, and rejects a bad --tags', async () => {
    const db = uniqueDb('simback');
    const r = await P.run(['simulate', '--database', db, '--points', '3000', '--start', '2h', '--gzip', '--measurement', 'm', '--tags', 'host=3', '--fields', 'v:int,s:string']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3,000 written, 0 failed/);
    const old = await q('SELECT count(v) FROM m WHERE time < now() - 1h', db);
    expect(old.results[0].series[0].values[0][1]).toBeGreaterThan(1000);
    const types = await q('SHOW FIELD KEYS FROM m', db);
    expect(types.results[0].series[0].values).toEqual([
      ['s', 'string'],
      ['v', 'integer'],
    ]);
    const bad = await run(['simulate', '--tags', 'host'], { bare: true });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid --tags "host"/);
  });
});
