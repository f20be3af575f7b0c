// `load --workers`: threads share the connections, the request count and the rate, and one
// report adds them up. A stub target with a fixed delay bounds what each figure can be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { run } from '../helpers/influx.js';
import { after } from '../helpers/loadgen.js';

const DELAY = 20;
let server: http.Server;
let url: string;
let connections = 0;
beforeAll(async () => {
  server = http.createServer((_req, res) => after(DELAY, () => res.end('ok')));
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

async function load(args: string[]) {
  const r = await run(['load', ...args, url], { bare: true });
  return { ...r, report: r.stdout.startsWith('{') ? JSON.parse(r.stdout) : undefined };
}

describe('load --workers', () => {
  it('splits -n exactly and opens exactly -c connections across the threads', async () => {
    const before = connections;
    const r = await load(['--workers', '2', '-c', '5', '-n', '301', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.workers).toBe(2);
    expect(r.report.connections).toBe(5);
    expect(r.report.requests.total).toBe(301);
    expect(r.report.requests.ok).toBe(301);
    expect(connections - before).toBe(5);
    // Every answer takes DELAY ms; 5 connections can do at most 5 / DELAY per second.
    expect(r.report.latencyMs.p50).toBeGreaterThanOrEqual(DELAY);
    expect(r.report.rps).toBeLessThanOrEqual((5 * 1000) / DELAY);
  });

  it('shares the rate: 2 threads at --rate 100 for 2 s send 200 requests, at about 100/s', async () => {
    // --allow-shortfall: a loaded machine can send late; the shares are the point here.
    const r = await load(['--workers', '2', '-c', '4', '--rate', '100', '-d', '2s', '--allow-shortfall', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.report.requests.total).toBe(200);
    expect(r.report.rate).toBe(100);
    expect(r.report.achievedRate).toBeGreaterThan(75);
    expect(r.report.achievedRate).toBeLessThanOrEqual(101);
    expect(r.report.latencyMs.min).toBeGreaterThanOrEqual(DELAY);
    expect(r.stdout.length).toBeGreaterThan(0);
    const text = await load(['--workers', '2', '-c', '4', '-n', '40']);
    expect(text.stdout).toMatch(/4 connections on 2 threads/);
  });

  it('refuses more threads than connections per origin can fill', async () => {
    const r = await load(['--workers', '3', '-c', '2', '-n', '10']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workers 3 needs at least 3 connections/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
