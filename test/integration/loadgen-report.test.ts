// What `load` reports beyond the summary: the HDR percentile spectrum (--latency-dist), the
// per-second series and per-URL figures in --json. The stub answers every 10th request after
// SLOW ms and the rest after FAST ms, so the spectrum's shape is known.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { run } from '../helpers/influx.js';
import { after } from '../helpers/loadgen.js';

const FAST = 10;
const SLOW = 100;
let server: http.Server;
let base: string;
beforeAll(async () => {
  let n = 0;
  server = http.createServer((_req, res) => after(++n % 10 === 0 ? SLOW : FAST, () => res.end('ok')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const load = (args: string[]) => run(['load', ...args], { bare: true });

describe('load --latency-dist and --json series', () => {
  it('prints the percentile spectrum: fast answers up to the 90th percentile, slow ones above it', async () => {
    const r = await load(['-c', '1', '--workers', '1', '-n', '200', '--latency-dist', `${base}/`]);
    expect(r.code, r.stderr).toBe(0);
    const rows = [...r.stdout.matchAll(/^ +([\d.]+) +([\d.]+) +(\d+) +([\d.]+|inf)$/gm)].map((m) => ({ ms: Number(m[1]), q: Number(m[2]), count: Number(m[3]) }));
    expect(rows.length).toBeGreaterThan(20);
    expect(rows[0]!.q).toBe(0);
    expect(rows.at(-1)!.q).toBe(1);
    expect(rows.at(-1)!.count).toBe(200);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.ms).toBeGreaterThanOrEqual(rows[i - 1]!.ms);
      expect(rows[i]!.count).toBeGreaterThanOrEqual(rows[i - 1]!.count);
    }
    // 180 of 200 answers are fast, 20 slow: the 0.5–0.85 rows lie between FAST and SLOW, the top rows at or above SLOW.
    for (const row of rows.filter((x) => x.q >= 0.5 && x.q <= 0.85)) {
      expect(row.ms).toBeGreaterThanOrEqual(FAST);
      expect(row.ms).toBeLessThan(SLOW);
    }
    for (const row of rows.filter((x) => x.q >= 0.95)) expect(row.ms).toBeGreaterThanOrEqual(SLOW);
    expect(r.stdout).toMatch(/^#\[Max += +[\d.]+, Total count += +200\]$/m);
  });

  it('--json carries each second and each URL; the seconds add up to the totals', async () => {
    const r = await load(['-c', '2', '--workers', '2', '-d', '2500ms', '--latency-dist', '--json', `${base}/a`, `${base}/b`]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.seconds.length).toBeGreaterThanOrEqual(3);
    expect(j.seconds.length).toBeLessThanOrEqual(4);
    const sum = j.seconds.reduce((a: number, s: { total: number }) => a + s.total, 0);
    expect(sum).toBe(j.requests.total);
    // 2 connections, each answer at least FAST ms: at most 2000/FAST answers a second.
    for (const s of j.seconds) expect(s.rps).toBeLessThanOrEqual((2 * 1000) / FAST + 1);
    expect(j.seconds[0].latencyMs.p50).toBeGreaterThanOrEqual(FAST);
    expect(j.perUrl.map((u: { url: string }) => u.url)).toEqual([`${base}/a`, `${base}/b`]);
    expect(j.perUrl[0].requests.total + j.perUrl[1].requests.total).toBe(j.requests.total);
    expect(Math.abs(j.perUrl[0].requests.total - j.perUrl[1].requests.total)).toBeLessThanOrEqual(2);
    expect(j.latencyDistribution.at(-1)).toEqual({ percentile: 100, ms: j.latencyMs.max, count: j.requests.total });
  });
});
