// The demo's traffic on a terminal: it keeps flowing past any one load run until stopped, and
// `traffic off|on` pauses and resumes the load and the host metrics.
import { expect, it } from 'vitest';
import { InfluxHttp } from '../../src/connection/http.js';
import { resolveSettings } from '../../src/connection/settings.js';
import { startDemoTraffic } from '../../src/loadgen/demo.js';
import { uniqueDb } from '../helpers/influx.js';
import { privateInflux } from '../e2e/transfer-server.js';

it('continuous demo traffic outlives its load segments, pauses (load and host metrics) and resumes', async () => {
  const P = await privateInflux();
  const conn = new InfluxHttp(resolveSettings({ url: P.url }));
  const svcDb = uniqueDb('demo_cont_svc');
  const tgDb = uniqueDb('demo_cont_tg');
  const count = async (query: string, db: string): Promise<number> => {
    const r = await P.q(query, db).catch(() => null);
    return Number(r?.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0);
  };
  const requests = () => count('SELECT sum(num_requests) FROM serviceA', svcDb);
  const samples = () => count('SELECT count(usage_idle) FROM cpu', tgDb);
  const until = async (test: () => Promise<boolean>, what: string, ms = 15000) => {
    const deadline = Date.now() + ms;
    while (!(await test())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  // 300 ms segments at 100 requests/s: about 30 requests each.
  const traffic = await startDemoTraffic(conn, { port: 0, rate: 100, loadDurationMs: 300, continuous: true, collectIntervalMs: 200, serviceDatabase: svcDb, telegrafDatabase: tgDb });
  try {
    await until(async () => (await requests()) >= 150, 'requests from at least five segments');

    await traffic.pause();
    expect(traffic.paused).toBe(true);
    // Paused: once what was in flight is stored (the service flushes every second), nothing more arrives.
    let last = -1;
    await until(
      async () => {
        const now = (await requests()) + (await samples()) * 1e6;
        const same = now === last;
        last = now;
        if (!same) await new Promise((r) => setTimeout(r, 1300));
        return same;
      },
      'the paused counts to stay put',
      20000,
    );
    const pausedRequests = await requests();
    const pausedSamples = await samples();

    await traffic.resume();
    expect(traffic.paused).toBe(false);
    await until(async () => (await requests()) >= pausedRequests + 60 && (await samples()) > pausedSamples, 'requests and host metrics again after resume');
  } finally {
    await traffic();
    conn.close();
    await P.stop();
  }
}, 60000);
