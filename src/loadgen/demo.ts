// Demo traffic for `npm run demo`: Service A and collect run in-process against the given
// connection, and a short gentle load run feeds the service, so the shell opens on live
// serviceA (database service) and Telegraf-style (database telegraf) data.
import type { InfluxHttp } from '../connection/http.js';
import { startService } from './service.js';
import { startCollect } from './collect.js';
import { LoadRun, type LoadReport } from './load.js';
import { buildTargets } from './targets.js';

export interface DemoTrafficOptions {
  /** Port for the service (default 8080, or any free port when 8080 is taken). */
  port?: number;
  /** Length of the load run (default 20s). */
  loadDurationMs?: number;
  /** Requests per second of the load run (default 200). */
  rate?: number;
  /** Host-metrics interval (default 2s). */
  collectIntervalMs?: number;
  /** Databases for the service's and collect's points (defaults service and telegraf). */
  serviceDatabase?: string;
  telegrafDatabase?: string;
  /** Status lines; silent by default so the shell's screen stays clean. */
  log?: (line: string) => void;
}

export type StopDemoTraffic = (() => Promise<void>) & {
  /** Where the service listens, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Resolves with the load report when the load run ends. */
  load: Promise<LoadReport>;
};

export async function startDemoTraffic(conn: InfluxHttp, opts: DemoTrafficOptions = {}): Promise<StopDemoTraffic> {
  const log = opts.log ?? (() => {});
  let service;
  try {
    service = await startService(conn, { port: opts.port ?? 8080, log, database: opts.serviceDatabase });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || opts.port !== undefined) throw e;
    service = await startService(conn, { port: 0, log, database: opts.serviceDatabase });
  }
  const collector = await startCollect(conn, { intervalMs: opts.collectIntervalMs ?? 2000, log, database: opts.telegrafDatabase });
  const run = new LoadRun({
    targets: buildTargets([`${service.url}/api/hello`, `${service.url}/api/world`]),
    connections: 4,
    rate: opts.rate ?? 200,
    durationMs: opts.loadDurationMs ?? 20_000,
    timeoutMs: 5000,
  });
  const load = run.run();
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      run.stop();
      await load;
      await service.stop(5000);
      await collector.stop();
    })());
  return Object.assign(stop, { url: service.url, load });
}
