// What a load run counts: totals, per-URL latency and counts, and the shapes of the report and
// the live snapshot.
import { newHistogram, summarize, type Histogram, type LatencySummary } from './histogram.js';

export interface Counters {
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export const zeroCounters = (): Counters => ({ total: 0, ok: 0, non2xx: 0, errors: 0, timeouts: 0 });

export interface SecondResult extends Counters {
  /** Epoch ms at the end of this interval. */
  time: number;
  seconds: number;
  rps: number;
  latencyMs: LatencySummary;
}

export interface UrlReport {
  url: string;
  requests: Counters;
  latencyMs: LatencySummary;
}

export interface LoadReport {
  rps: number;
  durationS: number;
  model: 'closed' | 'open';
  connections: number;
  /** Open model: the rate asked for, and the rate requests were sent at (held back when the target cannot keep up). */
  rate?: number;
  achievedRate?: number;
  /** Open model: the answered rate fell short of the one asked for (below 95 %). */
  shortfall?: boolean;
  /** Open model: requests the schedule intended that were neither answered nor timed out when the run ended (interrupted). */
  unfinished?: number;
  /** Per-request timeout; 0 = none. */
  timeoutMs: number;
  /** Time to establish the connections before measuring began. */
  connectMs: number;
  targets: string[];
  requests: Counters;
  latencyMs: LatencySummary;
  perUrl: UrlReport[];
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  bytesRead: number;
  /** The run was stopped early (SIGINT). */
  interrupted: boolean;
}

export type LoadPhase = 'starting' | 'connecting' | 'warmup' | 'measuring' | 'draining' | 'done';

export interface LiveStats extends Counters {
  phase: LoadPhase;
  connected: number;
  connections: number;
  elapsedMs: number;
  goalMs?: number;
  goalRequests?: number;
  rps: number;
  p50: number;
  p99: number;
  /** Open model: requests due but not yet sent (waiting for a free connection). */
  backlog: number;
}

/** Counts and latencies of one URL. */
export class UrlStats {
  readonly hist: Histogram = newHistogram();
  readonly counts = zeroCounters();
  constructor(readonly url: string) {}

  report(): UrlReport {
    return { url: this.url, requests: { ...this.counts }, latencyMs: summarize(this.hist) };
  }

  reset(): void {
    this.hist.reset();
    Object.assign(this.counts, zeroCounters());
  }
}
