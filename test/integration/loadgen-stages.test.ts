// `load --stages` and `--find-max` against stubs of known capacity: a fixed-delay server (its
// throughput follows the connections in use) and a serial one (one request at a time, SERVICE
// ms each: it keeps up to 1000/SERVICE requests a second and queues beyond).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { run } from '../helpers/influx.js';
import { after } from '../helpers/loadgen.js';

const DELAY = 20;
const SERVICE = 20;
/** The serial server's real capacity (answers per second of busy time): timers run late on a loaded machine. */
let busyMs = 0;
let served = 0;
let fixed: http.Server;
let serial: http.Server;
const urlOf = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;

/** When each request reached the fixed-delay server (ms). */
let arrivals: number[] = [];

beforeAll(async () => {
  fixed = http.createServer((_req, res) => {
    arrivals.push(performance.now());
    after(DELAY, () => res.end('ok'));
  });
  const queue: http.ServerResponse[] = [];
  let busy = false;
  const next = (): void => {
    const res = queue.shift();
    if (!res) return void (busy = false);
    busy = true;
    const t0 = performance.now();
    setTimeout(() => {
      busyMs += performance.now() - t0;
      served++;
      res.end('ok');
      next();
    }, SERVICE);
  };
  serial = http.createServer((_req, res) => (queue.push(res), busy || next()));
  await Promise.all([fixed, serial].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
});
afterAll(() => {
  for (const s of [fixed, serial]) {
    s.closeAllConnections();
    s.close();
  }
});

async function load(args: string[]) {
  const r = await run(['load', ...args], { bare: true });
  return { ...r, report: r.stdout.startsWith('{') ? JSON.parse(r.stdout) : undefined };
}

describe('load --stages', () => {
  it('ramps the rate: 0 → 100/s over 1 s then 100/s for 1 s sends 50 then 100 requests', async () => {
    // --allow-shortfall: a loaded machine can hold back the last sends; the counts are the point here.
    arrivals = [];
    const r = await load(['--rate', '0', '--stages', '1s:100,1s:100', '-c', '4', '--allow-shortfall', '--json', urlOf(fixed)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.model).toBe('open');
    expect(r.report.requests.total).toBe(150);
    expect(r.report.rate).toBe(75); // the stages' mean
    // The ramp's first second holds 50 requests, the next 100: counted where they arrive (answers can lag on a loaded machine).
    expect(arrivals).toHaveLength(150);
    const t0 = arrivals[0]!;
    const first = arrivals.filter((t) => t - t0 < 1000).length;
    expect(first).toBeGreaterThan(30);
    expect(first).toBeLessThan(75);
    // Within the ramp, arrivals speed up: the first half second holds about a quarter of the first second's.
    const firstHalf = arrivals.filter((t) => t - t0 < 500).length;
    expect(firstHalf).toBeLessThan(first * 0.5);
  });

  it('ramps connections in the closed model: half the connections on average in the first second, all in the second', async () => {
    const r = await load(['--stages', '1s:10,1s:10', '--workers', '1', '--json', urlOf(fixed)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.model).toBe('closed');
    expect(r.report.connections).toBe(10);
    const [first, second] = r.report.seconds.map((s: { total: number }) => s.total);
    // Each connection answers at most 1000/DELAY a second: 10 connections at most 500.
    expect(second).toBeLessThanOrEqual((10 * 1000) / DELAY + 10);
    expect(first).toBeLessThan(second);
    expect(first).toBeGreaterThan(0);
  });

  it('refuses malformed stages and stages with --requests', async () => {
    const bad = await load(['--stages', '10s', urlOf(fixed)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid --stages "10s": use duration:target/);
    const both = await load(['--stages', '1s:5', '-n', '10', urlOf(fixed)]);
    expect(both.code).toBe(2);
  });
});

describe('load --find-max', () => {
  it('finds the serial server’s capacity: the highest rate that held p90<200ms is near what it can serve, never above', async () => {
    // p90, not p99: a step of a few dozen requests on a loaded machine has a stray slow one.
    busyMs = 0;
    served = 0;
    // --warmup: the first step's first requests meet a cold thread, which is not the server's doing.
    const r = await load(['--find-max', 'p90<200ms', '--rate', '5', '-d', '2s', '--warmup', '500ms', '-c', '20', '--workers', '1', '--json', urlOf(serial)]);
    expect(r.code, r.stderr).toBe(0);
    const f = r.report.findMax;
    const capacity = (served / busyMs) * 1000; // at most 1000 / SERVICE
    expect(capacity).toBeLessThanOrEqual(1000 / SERVICE);
    expect(f.highestRate, `capacity ${capacity}`).toBeGreaterThanOrEqual(capacity * 0.35);
    expect(f.highestRate, `capacity ${capacity}`).toBeLessThanOrEqual(capacity * 1.15);
    // Every step that held met the condition; some rate above the answer broke it.
    for (const s of f.steps.filter((x: { held: boolean }) => x.held)) expect(s.latencyMs.p90).toBeLessThan(200);
    expect(f.steps.some((x: { held: boolean; rate: number }) => !x.held && x.rate > f.highestRate)).toBe(true);
    expect(r.stderr).toMatch(/^ {2}step 1: 5 req\/s (held|broke)/m);
  });
});
