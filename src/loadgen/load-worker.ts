// Entry point of one load worker thread: runs its share of the run (its own connections and
// schedule) and reports live figures, each second's histogram and its final one to the leader.
import { parentPort, workerData } from 'node:worker_threads';
import { buildTargets } from './targets.js';
import { targetsFromFile } from './targets-file.js';
import { LoadRun } from './load.js';
import type { FromWorker, ToWorker, WorkerJob } from './load-thread-messages.js';

const port = parentPort!;
const job = workerData as WorkerJob;
const say = (m: FromWorker): void => port.postMessage(m);

try {
  const run = new LoadRun({
    ...job.options,
    targets: job.targetsFile !== undefined ? targetsFromFile(job.targetsFile, job.shape.headers) : buildTargets(job.urls, job.shape),
    holdStart: true,
    onConnected: () => say({ type: 'connected' }),
    onSecond: (second, h) => say({ type: 'second', second, hist: h.snapshot() }),
  });
  port.on('message', (m: ToWorker) => (m.type === 'go' ? run.go() : run.stop()));
  const live = setInterval(() => say({ type: 'live', live: run.snapshot() }), 200);
  const report = await run.run();
  clearInterval(live);
  const h = run.histograms();
  // The leader ends this thread once it has the report.
  say({ type: 'done', report, hist: h.total.snapshot(), perUrl: h.perUrl.map((u) => ({ url: u.url, hist: u.hist.snapshot() })) });
} catch (e) {
  say({ type: 'failed', message: (e as Error).message });
  port.close();
}
