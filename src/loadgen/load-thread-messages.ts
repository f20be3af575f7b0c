// What the load threads and the thread that leads them say to each other. Latencies travel as
// histogram snapshots (exact counts and extremes, no encoding).
import type { LoadOptions } from './load.js';
import type { RequestShape } from './targets.js';
import type { LiveStats, LoadReport, SecondResult } from './load-stats.js';
import type { HistogramSnapshot } from './histogram.js';

/** A worker's share of the run: it builds its own targets from the URLs. */
export interface WorkerJob {
  urls: string[];
  shape: RequestShape;
  /** load --targets: the requests come from this file instead (targets-file.ts). */
  targetsFile?: string;
  options: Omit<LoadOptions, 'targets' | 'signal' | 'onSecond' | 'holdStart' | 'onConnected'>;
}

export type FromWorker =
  | { type: 'connected' }
  | { type: 'live'; live: LiveStats }
  | { type: 'second'; second: SecondResult; hist: HistogramSnapshot }
  | { type: 'done'; report: LoadReport; hist: HistogramSnapshot; perUrl: { url: string; hist: HistogramSnapshot }[] }
  | { type: 'failed'; message: string };

export type ToWorker = { type: 'go' } | { type: 'stop' };
