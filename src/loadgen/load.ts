// The HTTP load generator's run: connects, paces, counts and ends. Raw keep-alive sockets write
// pre-built requests (load-connection.ts), so one Node thread can outrun the servers it measures.
// Every connection is established before measuring starts, so set-up is not counted as latency.
// Closed model: N connections, each sends its next request when the last one answers; latency
// is each request's service time (send to response), as wrk reports it without its correction.
// Open model (--rate): request i is due at start + i/rate and its latency counts from that
// intended time (wrk2's rule), however long it waited for a free connection. Nothing is dropped:
// the requests due but not yet sent are a counter (load-schedule.ts); at the end of the run the
// schedule stops and the run waits for every request it intended (or its timeout).
import { performance } from 'node:perf_hooks';
import type { ParsedResponse } from '../connection/response-parser.js';
import type { LoadTarget } from './targets.js';
import { LoadConnection, type ConnectionOwner, type DialOptions } from './load-connection.js';
import { RateSchedule, stageValue, stagesLength, type Stage } from './load-schedule.js';
import { LoadRecorder } from './load-recorder.js';
import type { LiveStats, LoadPhase, LoadReport, SecondResult } from './load-stats.js';
import type { Histogram } from './histogram.js';
import { NO_TIME } from './clock.js';

export type { Counters, LiveStats, LoadReport, SecondResult } from './load-stats.js';

export interface LoadOptions extends DialOptions {
  targets: LoadTarget[];
  connections: number;
  /** Measured run length; ignored when `requests` is set. */
  durationMs?: number;
  requests?: number;
  /** Open model: requests per second (with `stages`, the rate they ramp from). */
  rate?: number;
  /** Ramps: of the rate in the open model, of the connections in use in the closed one (the run lasts as long as they do). */
  stages?: Stage[];
  /** Per-request timeout; 0 = none. Open model: counted from the intended send time. */
  timeoutMs: number;
  warmupMs?: number;
  signal?: AbortSignal;
  /** Each second's result, with that second's latencies (valid during the call only). */
  onSecond?: (s: SecondResult, h: Histogram) => void;
  /** Each second's per-URL counts and histograms (`SecondResult.perUrl`, for --record); default true. */
  perUrlSeconds?: boolean;
  /** A leader thread merges this run's seconds, live figures and histograms and works out their summaries: the run leaves them out. */
  merged?: boolean;
  /** Wait for go() once every connection has been tried (worker threads start together); onConnected says when. */
  holdStart?: boolean;
  onConnected?: () => void;
}

/** Below this share of the asked rate, an open-model run reports a shortfall. */
export const SHORTFALL_RATIO = 0.95;

export class LoadRun implements ConnectionOwner {
  private readonly conns: LoadConnection[] = [];
  private readonly rec: LoadRecorder;
  private phase: LoadPhase = 'starting';
  private measureStart = NO_TIME;
  private connectStart = NO_TIME;
  private connectMs = 0;
  private connectedAtStart = 0;
  private connectedOnce = 0;
  private issued = 0;
  private inFlight = 0;
  private lastSendAt = NO_TIME;
  private bytesAtStart = 0;
  private readonly idle: LoadConnection[] = [];
  private readonly schedule: RateSchedule | undefined;
  private scheduling = false;
  private tickTimer: NodeJS.Timeout | undefined;
  private timers: NodeJS.Timeout[] = [];
  private resolve!: (r: LoadReport) => void;
  private interrupted = false;
  readonly dial: DialOptions;

  constructor(private readonly o: LoadOptions) {
    this.rec = new LoadRecorder(o.targets, { perUrlSeconds: o.perUrlSeconds ?? true, merged: o.merged ?? false });
    this.schedule = o.rate !== undefined ? new RateSchedule(o.rate, o.stages) : undefined;
    this.dial = { verifyTls: o.verifyTls, ca: o.ca, timeoutMs: o.timeoutMs };
  }

  private get measuring(): boolean {
    return this.phase === 'measuring' || this.phase === 'draining';
  }

  get stopped(): boolean {
    return this.phase === 'done';
  }

  run(): Promise<LoadReport> {
    const done = new Promise<LoadReport>((r) => (this.resolve = r));
    const byOrigin = new Map<string, LoadTarget[]>();
    for (const t of this.o.targets) byOrigin.set(t.origin, [...(byOrigin.get(t.origin) ?? []), t]);
    const groups = [...byOrigin.values()];
    for (let i = 0; i < this.o.connections; i++) {
      const group = groups[i % groups.length]!;
      const c = new LoadConnection(
        this,
        group,
        group.map((t) => this.rec.statsFor(t)),
        Math.floor(i / groups.length),
      );
      c.slot = i;
      this.conns.push(c);
    }
    if (this.o.signal) {
      if (this.o.signal.aborted) queueMicrotask(() => this.abort());
      else this.o.signal.addEventListener('abort', () => this.abort(), { once: true });
    }
    if (this.o.timeoutMs > 0) this.every(Math.max(5, Math.min(100, this.o.timeoutMs / 4)), () => this.sweepTimeouts());
    // Connect every connection first; the run starts when each has connected or failed once.
    this.phase = 'connecting';
    this.connectStart = performance.now();
    for (const c of this.conns) c.open();
    // Connections still not up by the deadline are left to go on trying while the run goes on.
    this.after(this.o.timeoutMs > 0 ? this.o.timeoutMs : 10_000, () => this.start());
    return done;
  }

  firstAttempt(): void {
    if (++this.connectedOnce === this.conns.length) this.start();
  }

  private released = false;
  private announced = false;

  /** Starts a run held with `holdStart` (now, or as soon as its connections are tried). */
  go(): void {
    this.released = true;
    if (this.phase === 'connecting' && this.connectMs > 0) this.start();
  }

  private start(): void {
    if (this.phase !== 'connecting') return;
    if (!this.connectMs) {
      this.connectMs = Math.max(0.001, performance.now() - this.connectStart);
      this.connectedAtStart = this.conns.filter((c) => c.connected).length;
    }
    if (this.o.holdStart && !this.released) {
      if (!this.announced) this.o.onConnected?.();
      this.announced = true;
      return;
    }
    if (this.o.warmupMs && this.o.warmupMs > 0) {
      this.phase = 'warmup';
      this.after(this.o.warmupMs, () => this.beginMeasuring());
    } else this.beginMeasuring();
    if (this.schedule) this.startSchedule();
    for (const c of this.conns) this.pump(c);
  }

  /** Cumulative figures for progress displays. */
  snapshot(): LiveStats {
    const now = performance.now();
    return {
      ...this.rec.counts,
      phase: this.phase,
      connected: this.conns.filter((c) => c.connected).length,
      connections: this.o.connections,
      elapsedMs: this.measuring ? now - this.measureStart : 0,
      goalMs: this.o.requests ? undefined : this.o.durationMs,
      goalRequests: this.o.requests,
      rps: this.rec.lastRps,
      ...this.rec.livePercentiles(),
      backlog: this.schedule?.waiting ?? 0,
    };
  }

  private beginMeasuring(): void {
    const now = performance.now();
    this.phase = 'measuring';
    this.measureStart = now;
    this.rec.reset(now);
    this.issued = 0;
    this.inFlight = 0;
    this.bytesAtStart = this.bytesRead();
    if (this.schedule && this.scheduling) this.startSchedule(); // warm-up's backlog is not measured
    this.every(1000, () => this.closeSecond());
    if (this.o.stages && !this.schedule) {
      this.active = 0;
      this.every(50, () => this.ramp());
    }
    // The open model's window ends when its schedule does (tick), however late the timers run.
    if (!this.o.requests && !this.schedule) this.after(this.windowMs, () => this.finish());
    if (this.o.requests === 0) this.finish();
  }

  /** The measured window: the stages' length when there are stages. */
  private get windowMs(): number {
    return this.o.stages ? stagesLength(this.o.stages) : (this.o.durationMs ?? 10_000);
  }

  /** Closed model with stages: how many connections of the pool are in use now. */
  private active = Infinity;

  private ramp(): void {
    const before = this.active;
    this.active = Math.round(stageValue(this.o.stages!, 0, performance.now() - this.measureStart));
    for (let i = before; i < Math.min(this.active, this.conns.length); i++) this.pump(this.conns[i]!);
  }

  private every(ms: number, f: () => void): void {
    this.timers.push(setInterval(f, ms));
  }

  private after(ms: number, f: () => void): void {
    this.timers.push(setTimeout(f, ms));
  }

  ready(c: LoadConnection): void {
    this.pump(c);
  }

  lost(c: LoadConnection, kind: string): void {
    if (this.settle(c)) this.countError(c, kind);
  }

  private bytesRead(): number {
    let n = 0;
    for (const c of this.conns) n += c.parser.bytes;
    return n;
  }

  private send(c: LoadConnection, intended: number): void {
    const t = c.nextTarget();
    c.busy = true;
    c.measured = this.measuring;
    if (c.measured) this.inFlight++;
    c.sentAt = performance.now();
    if (c.measured) this.lastSendAt = c.sentAt;
    c.intended = intended || c.sentAt;
    c.parser.expectNoBody = t.method === 'HEAD';
    this.issued++;
    c.send(t.request);
  }

  /** Gives a free connection its next request (closed model) or the oldest one due (open model). */
  private pump(c: LoadConnection): void {
    if (c.busy || !c.socket || (this.phase !== 'warmup' && !this.measuring)) return;
    const s = this.schedule;
    if (s) {
      if (s.waiting > 0) this.send(c, s.take());
      else if (!this.idle.includes(c)) this.idle.push(c);
      return;
    }
    if (this.phase === 'draining' || c.slot >= this.active) return;
    if (this.o.requests !== undefined && this.measuring && this.issued >= this.o.requests) return;
    this.send(c, 0);
  }

  private startSchedule(): void {
    this.scheduling = true;
    this.schedule!.restart(performance.now());
    this.tick();
  }

  private tick(): void {
    const s = this.schedule!;
    if (!this.scheduling) return;
    let due = s.dueBy(performance.now());
    // Measuring, the schedule holds the requests due within the window: then it stops, and the run waits for them.
    const goal = !this.measuring ? Infinity : (this.o.requests ?? s.requestsIn(this.windowMs));
    due = Math.min(due, goal);
    while (s.due < due) {
      s.due++;
      const c = this.takeIdle();
      if (!c) break;
      this.send(c, s.take());
    }
    s.due = Math.max(s.due, due);
    if (s.due >= goal) {
      this.scheduling = false;
      this.phase = 'draining';
      this.checkDone();
      return;
    }
    const wait = Math.max(0, s.at(s.due) - performance.now());
    clearTimeout(this.tickTimer);
    this.tickTimer = setTimeout(() => this.tick(), wait);
  }

  private takeIdle(): LoadConnection | undefined {
    while (this.idle.length) {
      const c = this.idle.pop()!;
      if (c.socket && !c.busy) return c;
    }
    return undefined;
  }

  /** Ends a request's life: frees the connection; true when it was measured and the run is not over (count it). */
  private settle(c: LoadConnection): boolean {
    c.busy = false;
    if (!c.measured) return false;
    c.measured = false;
    this.inFlight--;
    return this.phase !== 'done';
  }

  response(c: LoadConnection, r: ParsedResponse): void {
    if (!c.busy) return;
    const now = performance.now();
    if (this.settle(c)) this.rec.response(c.current!, Math.max(1, Math.round((now - c.intended) * 1000)), r.status);
    if (r.close) {
      c.closeAfter = true; // a new connection is opened once this read is parsed
      this.checkDone();
      return;
    }
    if (this.phase === 'done') return;
    if (!this.checkDone()) this.pump(c);
  }

  private countError(c: LoadConnection, kind: string): void {
    this.rec.error(c.current!, kind);
    this.checkDone();
  }

  private sweepTimeouts(): void {
    const now = performance.now();
    const limit = this.o.timeoutMs;
    const s = this.schedule;
    for (const c of this.conns) {
      // The open model counts a request's time from when it was due, its timeout too.
      if (!c.busy || now - (s ? c.intended : c.sentAt) < limit) continue;
      if (this.settle(c)) this.rec.timeout(c.current);
      c.socket?.destroy();
    }
    // Due requests still waiting for a connection after the timeout are timeouts; they are not sent.
    if (s && this.measuring) {
      while (s.waiting > 0 && now - s.at(s.sent) >= limit) {
        s.sent++;
        this.rec.timeout(this.rec.statsFor(this.o.targets[s.sent % this.o.targets.length]!));
      }
    }
    this.checkDone();
  }

  private checkDone(): boolean {
    if (!this.measuring) return false;
    if (this.schedule) {
      if (this.phase !== 'draining' || this.schedule.waiting > 0 || this.inFlight > 0) return false;
    } else {
      const goal = this.o.requests;
      if (goal === undefined || this.rec.counts.total < goal) return false;
    }
    this.finish();
    return true;
  }

  private closeSecond(): void {
    this.rec.closeSecond(performance.now(), (s, h) => this.o.onSecond?.(s, h));
  }

  /** The whole run's latency histogram and each URL's (for merging runs of several threads). */
  histograms(): ReturnType<LoadRecorder['histograms']> {
    return this.rec.histograms();
  }

  /** Every measured request's latency (µs). */
  latencyHistogram(): Histogram {
    return this.rec.hist;
  }

  /** Ends the run now; the report covers what was measured so far. */
  stop(): void {
    this.abort();
  }

  private abort(): void {
    this.interrupted = true;
    if (!this.measuring) this.beginMeasuring();
    this.finish();
  }

  private finish(): void {
    if (this.phase === 'done') return;
    const end = performance.now();
    // The last partial interval is reported too, so per-second results add up to the totals.
    if (this.rec.secondOpen) this.closeSecond();
    const unfinished = this.schedule ? this.schedule.waiting + this.inFlight : undefined;
    this.phase = 'done';
    this.scheduling = false;
    clearTimeout(this.tickTimer);
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.conns) c.destroy();
    const durationS = Math.max(0.001, (end - this.measureStart) / 1000);
    const k = this.rec.counts;
    const rps = Math.round(((k.ok + k.non2xx) / durationS) * 10) / 10;
    // With stages, the rate asked for is their mean.
    const rate = this.schedule ? (this.o.stages ? Math.round((this.schedule.requestsIn(this.windowMs) / this.windowMs) * 10_000) / 10 : this.o.rate) : undefined;
    // The rate achieved is the rate requests went out at: on schedule, the last one leaves one
    // interval before the window ends; a target that cannot keep up holds them back.
    const achievedRate = rate && this.issued ? Math.round((this.issued / ((this.lastSendAt - this.measureStart) / 1000 + 1 / rate)) * 10) / 10 : rate ? 0 : undefined;
    this.resolve({
      rps,
      durationS: Math.round(durationS * 1000) / 1000,
      model: this.schedule ? 'open' : 'closed',
      connections: this.o.connections,
      workers: 1,
      rate,
      achievedRate,
      // A hiccup near the end of a short run is no shortfall: the schedule must also have ended 200 ms behind.
      shortfall: rate
        ? achievedRate! < rate * SHORTFALL_RATIO && this.lastSendAt + 1000 / rate - (this.measureStart + (this.o.requests !== undefined ? (this.o.requests * 1000) / rate : this.windowMs)) > 200
        : undefined,
      unfinished,
      timeoutMs: this.o.timeoutMs,
      connectMs: Math.round(this.connectMs * 10) / 10,
      connectedAtStart: this.connectedAtStart,
      ...this.rec.figures(),
      bytesRead: this.bytesRead() - this.bytesAtStart,
      interrupted: this.interrupted,
    });
  }
}

export function runLoad(o: LoadOptions): Promise<LoadReport> {
  return new LoadRun(o).run();
}
