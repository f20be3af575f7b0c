// startDemoTraffic (what `npm run demo` runs): service, collect and a short load, in-process.
import { expect, it } from 'vitest';
import { InfluxHttp } from '../../src/connection/http.js';
import { resolveSettings } from '../../src/connection/settings.js';
import { startDemoTraffic } from '../../src/loadgen/demo.js';
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
  const cpu = await q('SELECT count(usage_idle) FROM cpu', tgDb);
  expect(cpu.results[0].series[0].values[0][1]).toBeGreaterThan(0);
  } finally {
    await P.stop();
  }
});
