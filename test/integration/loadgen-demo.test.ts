// startDemoTraffic (what `npm run demo` runs): service, collect and a short load, in-process.
import { expect, it } from 'vitest';
import { InfluxHttp } from '../../src/connection/http.js';
import { resolveSettings } from '../../src/connection/settings.js';
import { startDemoTraffic } from '../../src/loadgen/demo.js';
import { sampleServicePoints, TRY } from '../../src/cli/demo.js';
import { hostname } from 'node:os';
import { uniqueDb } from '../helpers/influx.js';
import { privateInflux } from '../e2e/transfer-server.js';

it('starts the service, collect and a load run that fill serviceA and telegraf', async () => {
  const P = await privateInflux();
  const q = (query: string, db?: string) => P.q(query, db);
  const conn = new InfluxHttp(resolveSettings({ url: P.url }));
  const svcDb = uniqueDb('demo_svc');
  const tgDb = uniqueDb('demo_tg');
  const stop = await startDemoTraffic(conn, { port: 0, rate: 100, loadDurationMs: 1200, collectIntervalMs: 300, serviceDatabase: svcDb, telegrafDatabase: tgDb });
  expect(stop.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const report = await stop.load;
  await stop();
  conn.close();
  try {
    expect(report.requests.ok).toBeGreaterThan(50);
    const sum = await q('SELECT sum(num_requests) FROM serviceA', svcDb);
    // Requests still in flight when the run ended were served (and stored) but not counted.
    const stored = sum.results[0].series[0].values[0][1];
    expect(stored).toBeGreaterThanOrEqual(report.requests.ok);
    expect(stored).toBeLessThanOrEqual(report.requests.ok + 4);
    // The seeded history (hosts web-1, web-2) is on the live points' scale: the demo's chart of
    // mean(latency) continues the seeded line instead of falling off a cliff.
    await P.write(svcDb, sampleServicePoints(Date.now() - 60_000), 'ms');
    // Medians: a loaded machine stretches the live tail (preempted requests), not the scale.
    const median = async (where: string) => (await q(`SELECT median(latency) FROM serviceA WHERE ${where}`, svcDb)).results[0].series[0].values[0][1];
    const live = await median(`host = '${hostname()}'`);
    const seeded = await median(`host = 'web-1' OR host = 'web-2'`);
    expect(live / seeded, JSON.stringify({ live, seeded })).toBeGreaterThan(1 / 6);
    expect(live / seeded, JSON.stringify({ live, seeded })).toBeLessThan(30);
    const cpu = await q('SELECT count(usage_idle) FROM cpu', tgDb);
    expect(cpu.results[0].series[0].values[0][1]).toBeGreaterThan(0);
  } finally {
    await P.stop();
  }
});

it("suggests statements that fit an 80-column terminal and answer on the demo's data", async () => {
  for (const line of TRY) expect(`  ${line}`.length, line).toBeLessThanOrEqual(80);
  const P = await privateInflux();
  try {
    const db = uniqueDb('demo_try');
    await P.q(`CREATE DATABASE ${db}`);
    await P.write(db, sampleServicePoints(Date.now()), 'ms');
    const statements = TRY.map((l) => l.replace(/^watch \S+ /, '')).filter((l) => l.startsWith('SELECT'));
    expect(statements).toHaveLength(2);
    for (const s of statements) {
      const r = await P.q(s, db);
      expect(r.results[0].error, s).toBeUndefined();
      expect(r.results[0].series?.[0]?.values.length, s).toBeGreaterThan(0);
    }
  } finally {
    await P.stop();
  }
});
