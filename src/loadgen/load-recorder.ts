// What a load run records while measuring: the latency histograms (whole run, current second,
// per URL), the counters, status codes and error kinds, and the per-second results.
import { encodeHistogram, newHistogram, NO_LATENCIES, summarize, type Histogram } from './histogram.js';
import type { LoadTarget } from './targets.js';
import { NO_TIME } from './clock.js';
import { OTHER_URLS, PER_URL_LIMIT, UrlStats, zeroCounters, type LoadReport, type SecondResult } from './load-stats.js';

export class LoadRecorder {
  /** Every distinct target URL, in the order of the targets. */
  private readonly urls = new Set<string>();
  private readonly total = newHistogram();
  private readonly secHist: Histogram = newHistogram();
  counts = zeroCounters();
  private lastSecond = zeroCounters();
  private secondStart = NO_TIME;
  private readonly statusCodes = new Map<number, number>();
  private readonly errorKinds = new Map<string, number>();
  private readonly urlStats = new Map<string, UrlStats>();
  private readonly statsOf = new Map<LoadTarget, UrlStats>();
  /** Answered requests per second in the last full second; NaN before the first (a fraction from the start: see NO_TIME). */
  private secondRps = Number.NaN;

  constructor(
    targets: LoadTarget[],
    /**
     * perUrlSeconds: each second's per-URL share (what --record stores); merged: a leader thread
     * adds this run's seconds and histograms to other threads' and works out every summary and
     * encoding itself, so this run leaves them out.
     */
    private readonly wants = { perUrlSeconds: true, merged: false },
  ) {
    for (const t of targets) {
      this.urls.add(t.url);
      const key = this.urlStats.has(t.url) || this.urlStats.size < PER_URL_LIMIT ? t.url : OTHER_URLS;
      let s = this.urlStats.get(key);
      if (!s) this.urlStats.set(key, (s = new UrlStats(key)));
      this.statsOf.set(t, s);
    }
  }

  /** Answered requests per second in the last full second (0 before the first). */
  get lastRps(): number {
    return Number.isNaN(this.secondRps) ? 0 : this.secondRps;
  }

  /** Every measured request's latency (µs) so far. */
  get hist(): Histogram {
    this.flush();
    return this.total;
  }

  /** Moves the latencies tallied since the last flush into the histograms. */
  private flush(): void {
    for (const u of this.urlStats.values()) {
      const p = u.pending;
      if (!p.totalCount) continue;
      this.total.add(p);
      this.secHist.add(p);
      u.hist.add(p);
      if (this.wants.perUrlSeconds) u.secHist.add(p);
      p.reset();
    }
  }

  /** The run's p50 and p99 so far (ms) for the live view; zeros when a leader works them out. */
  livePercentiles(): { p50: number; p99: number } {
    const h = this.wants.merged ? undefined : this.hist;
    return h?.totalCount ? { p50: h.getValueAtPercentile(50) / 1000, p99: h.getValueAtPercentile(99) / 1000 } : { p50: 0, p99: 0 };
  }

  statsFor(t: LoadTarget): UrlStats {
    return this.statsOf.get(t)!;
  }

  /** Forgets everything: measuring starts at `now`. */
  reset(now: number): void {
    this.secondStart = now;
    this.counts = zeroCounters();
    this.lastSecond = zeroCounters();
    this.total.reset();
    this.secHist.reset();
    for (const s of this.urlStats.values()) s.reset();
    this.statusCodes.clear();
    this.lastStatus = this.lastStatusCount = 0;
    this.errorKinds.clear();
  }

  /** A response (every one of a run passes here: no arrays, closures or map look-ups); `us` ≥ 1. */
  response(u: UrlStats, us: number, status: number): void {
    u.pending.recordValue(us);
    const k = this.counts;
    k.total++;
    u.counts.total++;
    u.secCounts.total++;
    if (status >= 200 && status < 300) {
      k.ok++;
      u.counts.ok++;
      u.secCounts.ok++;
    } else {
      k.non2xx++;
      u.counts.non2xx++;
      u.secCounts.non2xx++;
    }
    if (status === this.lastStatus) this.lastStatusCount++;
    else this.countStatus(status);
  }

  /** Status codes are counted in a run of equal ones, and added to the map when the code changes. */
  private lastStatus = 0;
  private lastStatusCount = 0;

  private countStatus(status: number): void {
    if (this.lastStatusCount) this.statusCodes.set(this.lastStatus, (this.statusCodes.get(this.lastStatus) ?? 0) + this.lastStatusCount);
    this.lastStatus = status;
    this.lastStatusCount = status ? 1 : 0;
  }

  /** Every status code counted so far. */
  private codes(): Map<number, number> {
    this.countStatus(0);
    return this.statusCodes;
  }

  error(u: UrlStats, kind: string): void {
    for (const k of [this.counts, u.counts, u.secCounts]) {
      k.total++;
      k.errors++;
    }
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
  }

  timeout(u: UrlStats | undefined): void {
    for (const k of u ? [this.counts, u.counts, u.secCounts] : [this.counts]) {
      k.total++;
      k.timeouts++;
    }
  }

  /** Some requests ended since the last closed second. */
  get secondOpen(): boolean {
    return this.counts.total !== this.lastSecond.total;
  }

  /** Closes the current interval at `now`: its result (with its histogram, valid during `emit`), unless it has no length. */
  closeSecond(now: number, emit: (s: SecondResult, h: Histogram) => void): void {
    const k = this.counts;
    const p = this.lastSecond;
    const seconds = (now - this.secondStart) / 1000;
    if (seconds <= 0) return;
    this.flush();
    const s: SecondResult = {
      time: Date.now(),
      seconds,
      total: k.total - p.total,
      ok: k.ok - p.ok,
      non2xx: k.non2xx - p.non2xx,
      errors: k.errors - p.errors,
      timeouts: k.timeouts - p.timeouts,
      rps: 0,
      latencyMs: this.wants.merged ? { ...NO_LATENCIES } : summarize(this.secHist),
      perUrl: this.wants.perUrlSeconds ? [...this.urlStats.values()].map((u) => u.takeSecond()) : undefined,
    };
    if (!this.wants.perUrlSeconds) for (const u of this.urlStats.values()) u.nextSecond();
    s.rps = Math.round(((s.ok + s.non2xx) / seconds) * 10) / 10;
    this.secondRps = s.rps;
    Object.assign(this.lastSecond, k); // in place: the recorder keeps its shape (see NO_TIME)
    this.secondStart = now;
    emit(s, this.secHist);
    this.secHist.reset();
  }

  /** The whole run's histogram and each URL's. */
  histograms(): { total: Histogram; perUrl: { url: string; hist: Histogram }[] } {
    this.flush();
    return { total: this.total, perUrl: [...this.urlStats.values()].map((u) => ({ url: u.url, hist: u.hist })) };
  }

  /** The report's share that comes from what was recorded. */
  figures(): Pick<LoadReport, 'targets' | 'requests' | 'latencyMs' | 'histogram' | 'perUrl' | 'statusCodes' | 'errorKinds'> {
    this.flush();
    return {
      targets: [...this.urls],
      requests: { ...this.counts },
      latencyMs: this.wants.merged ? { ...NO_LATENCIES } : summarize(this.total),
      histogram: this.wants.merged ? undefined : encodeHistogram(this.total),
      perUrl: [...this.urlStats.values()].map((s) => s.report(this.wants.merged)),
      statusCodes: Object.fromEntries([...this.codes()].sort((a, b) => a[0] - b[0]).map(([s, n]) => [String(s), n])),
      errorKinds: Object.fromEntries(this.errorKinds),
    };
  }
}
