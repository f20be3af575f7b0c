// What a load run counts: totals, per-URL latency and counts, and the shapes of the report and
// the live snapshot.
import { encodeHistogram, newHistogram, NO_LATENCIES, summarize, type Histogram, type LatencySummary } from './histogram.js';

export interface Counters {
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/**
 * Distinct URLs that get figures of their own; requests to any further URL (a targets file of
 * thousands, say) are counted together under OTHER_URLS. Each URL's figures hold several
 * histograms per thread, and a report of thousands of URLs is read by no one.
 */
export const PER_URL_LIMIT = 50;
/** The name the URLs past PER_URL_LIMIT share in the report, `--json` and `--record` (its `url` tag). */
export const OTHER_URLS = '(other URLs)';

export const zeroCounters = (): Counters => ({ total: 0, ok: 0, non2xx: 0, errors: 0, timeouts: 0 });

export interface SecondResult extends Counters {
  /** Epoch ms at the end of this interval. */
  time: number;
  seconds: number;
  rps: number;
  /** All zeros from a worker thread: its leader summarizes the merged second. */
  latencyMs: LatencySummary;
  /** Each URL's share of this second (for --record; absent unless asked for). */
  perUrl?: UrlSecond[];
}

/**
 * One URL's share of one second: its counts and the latencies (µs) answered in it, encoded (so it
 * crosses threads), with their exact extremes (a decoded histogram only knows their buckets).
 */
export interface UrlSecond {
  url: string;
  counts: Counters;
  hist: string;
  minUs: number;
  maxUs: number;
}

export interface UrlReport {
  url: string;
  requests: Counters;
  latencyMs: LatencySummary;
  /** The latency histogram (µs), HdrHistogram compressed base64 (encodeHistogram). */
  histogram?: string;
}

export interface LoadReport {
  rps: number;
  durationS: number;
  model: 'closed' | 'open';
  connections: number;
  /** Threads that shared the connections and the schedule. */
  workers: number;
  /** Open model: the rate asked for, and the rate requests were sent at (held back when the target cannot keep up). */
  rate?: number;
  achievedRate?: number;
  /** Open model: the answered rate fell short of the one asked for (below 95 %). */
  shortfall?: boolean;
  /** Open model: requests the schedule intended that were neither answered nor timed out when the run ended (interrupted). */
  unfinished?: number;
  /** Per-request timeout; 0 = none. */
  timeoutMs: number;
  /** Time to establish the connections before measuring began (each connected or failed once). */
  connectMs: number;
  /** The connections up when measuring began; the others had failed and went on trying. */
  connectedAtStart: number;
  /** Every distinct target URL. */
  targets: string[];
  requests: Counters;
  latencyMs: LatencySummary;
  /** The whole run's latency histogram (µs), HdrHistogram compressed base64 (encodeHistogram). */
  histogram?: string;
  /** Each URL's figures, the first PER_URL_LIMIT on their own and the rest together as OTHER_URLS. */
  perUrl: UrlReport[];
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  bytesRead: number;
  /** The run was stopped early (SIGINT). */
  interrupted: boolean;
  /**
   * With --latency-correction (closed model): the latencies above include wrk's added samples,
   * one every `intervalMs` (a connection's time per request) that a slow answer held back.
   */
  latencyCorrection?: { intervalMs: number; added: number };
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

/** Counts and latencies of one URL: the whole run's and the current second's. */
export class UrlStats {
  readonly hist: Histogram = newHistogram();
  readonly counts = zeroCounters();
  readonly secHist: Histogram = newHistogram();
  readonly secCounts = zeroCounters();
  /**
   * Latencies not yet in the histograms above, nor in the run's: each response is recorded here
   * only, and the recorder adds this to the others (flush) before it reads any.
   */
  readonly pending: Histogram = newHistogram();
  constructor(readonly url: string) {}

  /** The URL's share of the report; without the summary and histogram when a leader thread works them out. */
  report(merged = false): UrlReport {
    if (merged) return { url: this.url, requests: { ...this.counts }, latencyMs: { ...NO_LATENCIES } };
    return { url: this.url, requests: { ...this.counts }, latencyMs: summarize(this.hist), histogram: encodeHistogram(this.hist) };
  }

  /** This second's share; the next second starts empty. */
  takeSecond(): UrlSecond {
    const h = this.secHist;
    const out = { url: this.url, counts: { ...this.secCounts }, hist: encodeHistogram(h), minUs: h.totalCount ? h.minNonZeroValue : 0, maxUs: h.maxValue };
    this.nextSecond();
    return out;
  }

  /** Starts the next second's counts (takeSecond does, for those who want this one). */
  nextSecond(): void {
    this.secHist.reset();
    Object.assign(this.secCounts, zeroCounters());
  }

  reset(): void {
    this.pending.reset();
    this.hist.reset();
    Object.assign(this.counts, zeroCounters());
    this.nextSecond();
  }
}
