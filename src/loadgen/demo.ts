// Demo traffic for `npm run demo`: Service A and collect run in-process against the given
// connection, and a short gentle load run feeds the service, so the shell opens on live
// serviceA (database service) and Telegraf-style (database telegraf) data.
import type { InfluxHttp } from '../connection/http.js';
import { startService } from './service.js';
import { startCollect, type RunningCollector } from './collect.js';
import { LoadRun, type LoadReport } from './load.js';
import { buildTargets } from './targets.js';

export interface DemoTrafficOptions {
  /** Port for the service (default 8080, or any free port when 8080 is taken). */
  port?: number;
  /** Length of the load run (default 20s); with `continuous`, of each back-to-back segment. */
  loadDurationMs?: number;
  /** Keep the load going until stopped (the demo's shell), in segments of loadDurationMs. */
  continuous?: boolean;
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
  /** Resolves with the (last) load report when the load ends. */
  load: Promise<LoadReport>;
  /** True while the load and host metrics are paused. */
  readonly paused: boolean;
  /** Stops the load and host metrics until resume(); the service keeps serving. */
  pause(): Promise<void>;
  resume(): Promise<void>;
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
  const targets = buildTargets([`${service.url}/api/hello`, `${service.url}/api/world`]);
  const collectOptions = { intervalMs: opts.collectIntervalMs ?? 2000, log, database: opts.telegrafDatabase };
  let collector: RunningCollector | null = await startCollect(conn, collectOptions);
  let run: LoadRun | null = null;
  let paused = false;
  let stopping = false;
  let wake: (() => void) | null = null;
  // With `continuous`, the load runs in back-to-back segments until stopped, so it never runs out
  // while the shell is open; otherwise one run of loadDurationMs.
  const segmentMs = opts.loadDurationMs ?? 20_000;
  const load = (async (): Promise<LoadReport> => {
    let report: LoadReport;
    do {
      if (paused) {
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      run = new LoadRun({ targets, connections: 4, rate: opts.rate ?? 200, durationMs: segmentMs, timeoutMs: 5000 });
      report = await run.run();
      run = null;
    } while (opts.continuous && !stopping);
    return report!;
  })();
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      paused = false;
      run?.stop();
      wake?.();
      await load;
      await service.stop(5000);
      await collector?.stop();
    })());
  // defineProperty, not Object.assign: `paused` must stay a live getter.
  Object.defineProperty(stop, 'paused', { get: () => paused });
  return Object.assign(stop as typeof stop & { readonly paused: boolean }, {
    url: service.url,
    load,
    async pause() {
      if (paused || stopping) return;
      paused = true;
      run?.stop();
      const c = collector;
      collector = null;
      await c?.stop();
    },
    async resume() {
      if (!paused || stopping) return;
      paused = false;
      collector = await startCollect(conn, collectOptions);
      wake?.();
      wake = null;
    },
  });
}
