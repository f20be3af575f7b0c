// `load --threshold`: CI pass/fail on the report, against a stub that answers after a fixed
// delay (so p50 >= DELAY) and a port nobody listens on (so every request is an error).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { run } from '../helpers/influx.js';
import { after } from '../helpers/loadgen.js';
import { freePort } from '../../src/connection/local.js';

const DELAY = 20;
let server: http.Server;
let url: string;
beforeAll(async () => {
  server = http.createServer((_req, res) => after(DELAY, () => res.end('ok')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const load = (args: string[]) => run(['load', '-c', '4', ...args], { bare: true });

describe('load --threshold', () => {
  it('exits 99 and names the broken threshold with its figure; holds when the figures allow', async () => {
    const broken = await load(['-n', '200', '--threshold', 'p50<5ms', '--threshold', 'errors<1%', '--json', url]);
    expect(broken.code, broken.stderr).toBe(99);
    expect(broken.stderr).toMatch(/^threshold broken: p50<5ms \(p50 = [\d.]+ ms\)$/m);
    expect(broken.stderr).not.toMatch(/errors<1%/);
    const verdicts = JSON.parse(broken.stdout).thresholds;
    expect(verdicts[0].ok).toBe(false);
    expect(verdicts[0].values.p50).toBeGreaterThanOrEqual(DELAY);
    expect(verdicts[1]).toEqual({ threshold: 'errors<1%', ok: true, values: { 'errors%': 0 } });

    const held = await load(['-n', '200', '--threshold', 'p50 < 1.5s', '--threshold', 'rps>10 and failed == 0', url]);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toMatch(/Threshold: {2}p50 < 1\.5s {2}ok \(p50 = [\d.]+ ms\)/);
    expect(held.stdout).toMatch(/Threshold: {2}rps>10 and failed == 0 {2}ok/);
  });

  it('counts errors as a share of requests: a refused target breaks errors<1% at 100 %', async () => {
    const port = await freePort();
    const r = await load(['-d', '300ms', '--timeout', '2s', '--threshold', 'errors<1%', `http://127.0.0.1:${port}/`]);
    expect(r.code).toBe(99);
    expect(r.stderr).toMatch(/threshold broken: errors<1% \(errors% = 100\)/);
  });

  it('refuses a threshold it cannot read, or a figure it does not know, as a usage error', async () => {
    const bad = await load(['-n', '5', '--threshold', 'p99<<5', url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^invalid --threshold "p99<<5"/);
    const unknown = await load(['-n', '5', '--threshold', 'latency<5ms', url]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown figure "latency"; use p50 \(ms\)/);
  });
});
