// A load run spread over worker threads, each with its own connections and its share of the
// schedule (load-worker.ts). This thread starts them together once all have connected, merges
// their seconds and histograms exactly (load-merge.ts) and serves the live view.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { newHistogram, type Histogram, type HistogramSnapshot } from './histogram.js';
import { mergeLive, mergeReports, mergeSeconds, type WorkerResult } from './load-merge.js';
import type { LiveStats, LoadReport, SecondResult } from './load-stats.js';
import type { FromWorker, ToWorker, WorkerJob } from './load-thread-messages.js';

/** Most worker threads by default: past this, one machine's sockets and the target are the limit. */
export const MAX_DEFAULT_WORKERS = 8;

/** Worker threads for a run: the cores, at most MAX_DEFAULT_WORKERS, and never more than each could keep busy. */
export function defaultWorkers(connections: number, origins: number, requests?: number): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_WORKERS, Math.floor(connections / origins), requests ?? Infinity));
}

/** Share i of n of `total`, whole: the first total % n shares get one more. */
export function share(total: number, i: number, n: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

export interface ThreadedOptions {
  job: WorkerJob;
  workers: number;
  signal?: AbortSignal;
  onSecond?: (s: SecondResult, h: Histogram) => void;
}

export class ThreadedLoadRun {
  private readonly lives: LiveStats[] = [];
  /** Seconds received from each worker, merged in order once every worker has sent that second. */
  private readonly seconds: { s: SecondResult; h: HistogramSnapshot }[][] = [];
  private emitted = 0;
  private readonly liveHist = newHistogram();
  private readonly threads: Worker[] = [];
  private readonly total = newHistogram();

  constructor(private readonly o: ThreadedOptions) {
    const { options } = o.job;
    for (let i = 0; i < o.workers; i++) {
      this.lives.push({
        total: 0,
        ok: 0,
        non2xx: 0,
        errors: 0,
        timeouts: 0,
        phase: 'starting',
        connected: 0,
        connections: share(options.connections, i, o.workers),
        elapsedMs: 0,
        goalMs: options.requests ? undefined : options.durationMs,
        goalRequests: options.requests === undefined ? undefined : share(options.requests, i, o.workers),
        rps: 0,
        p50: 0,
        p99: 0,
        backlog: 0,
      });
      this.seconds.push([]);
    }
  }

  snapshot(): LiveStats {
    return mergeLive(this.lives, this.liveHist);
  }

  run(): Promise<LoadReport> {
    const { job, workers } = this.o;
    const opts = job.options;
    const results: WorkerResult[] = [];
    let connected = 0;
    const ready = new Set<number>();
    return new Promise<LoadReport>((resolve, reject) => {
      const tell = (m: ToWorker): void => this.threads.forEach((t) => t.postMessage(m));
      const isReady = (i: number): void => {
        if (ready.has(i)) return;
        ready.add(i);
        if (++connected === workers) tell({ type: 'go' });
      };
      const stop = (): void => tell({ type: 'stop' });
      this.o.signal?.addEventListener('abort', stop, { once: true });
      const fail = (message: string): void => {
        this.o.signal?.removeEventListener('abort', stop);
        for (const t of this.threads) void t.terminate();
        reject(new Error(message));
      };
      for (let i = 0; i < workers; i++) {
        const part: WorkerJob = {
          ...job,
          options: {
            ...opts,
            connections: share(opts.connections, i, workers),
            requests: opts.requests === undefined ? undefined : share(opts.requests, i, workers),
            rate: opts.rate === undefined ? undefined : opts.rate / workers,
            merged: true,
            // Stages ramp each thread's share: of the rate, or of the connections.
            stages: opts.stages?.map((st) => ({ ms: st.ms, target: opts.rate === undefined ? share(Math.round(st.target), i, workers) : st.target / workers })),
          },
        };
        const t = new Worker(new URL('./load-worker.js', import.meta.url), { workerData: part });
        this.threads.push(t);
        t.on('error', (e) => fail(`load worker ${i + 1}: ${e.message}`));
        t.on('message', (m: FromWorker) => {
          if (m.type === 'connected') isReady(i);
          else if (m.type === 'live') this.lives[i] = m.live;
          else if (m.type === 'second') {
            this.seconds[i]!.push({ s: m.second, h: m.hist });
            this.emitSeconds(false);
          } else if (m.type === 'done') {
            results[i] = { report: m.report, hist: m.hist, perUrl: m.perUrl };
            this.lives[i] = { ...this.lives[i]!, phase: 'done' };
            void t.terminate();
            // A worker that ends first (a share of --requests) does not hold the others' start.
            isReady(i);
            if (results.filter(Boolean).length === workers) {
              this.o.signal?.removeEventListener('abort', stop);
              this.emitSeconds(true);
              for (const r of results) this.total.addSnapshot(r.hist);
              resolve(mergeReports(results));
            }
          } else fail(m.message);
        });
      }
    });
  }

  /** Merges the seconds every worker has sent (all of them at the end). */
  private emitSeconds(final: boolean): void {
    for (;;) {
      const k = this.emitted;
      const have = this.seconds.filter((q) => q.length > k);
      if (have.length === 0 || (!final && have.length < this.seconds.length)) return;
      const h = newHistogram();
      for (const q of have) h.addSnapshot(q[k]!.h);
      const s = mergeSeconds(
        have.map((q) => q[k]!.s),
        h,
      );
      this.liveHist.add(h);
      this.emitted++;
      this.o.onSecond?.(s, h);
    }
  }

  /** Every measured request's latency (µs), all threads together. */
  latencyHistogram(): Histogram {
    return this.total;
  }

  stop(): void {
    for (const t of this.threads) t.postMessage({ type: 'stop' } satisfies ToWorker);
  }
}
