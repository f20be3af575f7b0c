// The HTTP load generator: raw keep-alive sockets writing pre-built requests and a minimal
// response parser, so one Node thread can outrun the servers it measures. Every connection is
// established before measuring starts, so connection set-up is not counted as latency.
// Closed model: N connections, each sends its next request when the last one answers; latency
// is each request's service time (send to response), as wrk reports it without its correction.
// Open model (--rate): request i is due at start + i/rate and its latency counts from that
// intended time (wrk2's rule), however long it waited for a free connection. Nothing is dropped:
// the requests due but not yet sent are a counter, so the backlog costs no memory; at the end of
// the run the schedule stops and the run waits for every request it intended (or its timeout).
import net from 'node:net';
import tls from 'node:tls';
import { newHistogram, summarize, type Histogram } from './histogram.js';
import { ResponseParser, type ParsedResponse } from '../connection/response-parser.js';
import type { LoadTarget } from './targets.js';
import { UrlStats, zeroCounters, type LiveStats, type LoadPhase, type LoadReport, type SecondResult } from './load-stats.js';

export type { Counters, LiveStats, LoadReport, SecondResult } from './load-stats.js';

export interface LoadOptions {
  targets: LoadTarget[];
  connections: number;
  /** Measured run length; ignored when `requests` is set. */
  durationMs?: number;
  requests?: number;
  /** Open model: requests per second. */
  rate?: number;
  /** Per-request timeout; 0 = none. Open model: counted from the intended send time. */
  timeoutMs: number;
  warmupMs?: number;
  /** TLS: verify the target's certificate (default true), against these CAs when given. */
  verifyTls?: boolean;
  ca?: Buffer;
  signal?: AbortSignal;
  onSecond?: (s: SecondResult) => void;
}

/** Below this share of the asked rate, an open-model run reports a shortfall. */
export const SHORTFALL_RATIO = 0.95;

interface Conn {
  socket: net.Socket | undefined;
  targets: LoadTarget[];
  next: number;
  current: UrlStats | undefined;
  parser: ResponseParser;
  busy: boolean;
  /** This request counts (it was sent while measuring). */
  measured: boolean;
  sentAt: number;
  intended: number;
  connected: boolean;
  /** The server said it will close: open a fresh connection once this read is parsed. */
  closeAfter: boolean;
  lastError: string | undefined;
  /** Its first connection attempt has succeeded or failed. */
  triedOnce: boolean;
  timer: NodeJS.Timeout | undefined;
  readBuf?: Buffer;
}

export class LoadRun {
  private readonly conns: Conn[] = [];
  private readonly hist = newHistogram();
  private secHist: Histogram = newHistogram();
  private counts = zeroCounters();
  private lastSecond = zeroCounters();
  private secondStart = 0;
  private statusCodes = new Map<number, number>();
  private errorKinds = new Map<string, number>();
  private readonly urlStats = new Map<string, UrlStats>();
  private readonly statsOf = new Map<LoadTarget, UrlStats>();
  private phase: LoadPhase = 'starting';
  private measureStart = 0;
  private connectStart = 0;
  private connectMs = 0;
  private connectedOnce = 0;
  private issued = 0;
  private inFlight = 0;
  private lastSendAt = 0;
  private bytesAtStart = 0;
  private lastRps = 0;
  private readonly idle: Conn[] = [];
  // Open model: requests [sent, due) are due and waiting for a connection; request i is due at rateStart + i * interval.
  private due = 0;
  private sent = 0;
  private rateStart = 0;
  private interval = 0;
  private scheduling = false;
  private tickTimer: NodeJS.Timeout | undefined;
  private timers: NodeJS.Timeout[] = [];
  private resolve!: (r: LoadReport) => void;
  private interrupted = false;

  constructor(private readonly o: LoadOptions) {
    for (const t of o.targets) {
      let s = this.urlStats.get(t.url);
      if (!s) this.urlStats.set(t.url, (s = new UrlStats(t.url)));
      this.statsOf.set(t, s);
    }
  }

  private get measuring(): boolean {
    return this.phase === 'measuring' || this.phase === 'draining';
  }

  run(): Promise<LoadReport> {
    const done = new Promise<LoadReport>((r) => (this.resolve = r));
    const byOrigin = new Map<string, LoadTarget[]>();
    for (const t of this.o.targets) byOrigin.set(t.origin, [...(byOrigin.get(t.origin) ?? []), t]);
    const groups = [...byOrigin.values()];
    for (let i = 0; i < this.o.connections; i++) {
      const c: Conn = {
        socket: undefined,
        targets: groups[i % groups.length]!,
        next: Math.floor(i / groups.length),
        current: undefined,
        parser: undefined as unknown as ResponseParser,
        busy: false,
        measured: false,
        sentAt: 0,
        intended: 0,
        connected: false,
        closeAfter: false,
        lastError: undefined,
        triedOnce: false,
        timer: undefined,
      };
      c.parser = new ResponseParser((r) => this.onResponse(c, r));
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
    for (const c of this.conns) this.open(c);
    // Connections still not up by the deadline are left to go on trying while the run goes on.
    this.after(this.o.timeoutMs > 0 ? this.o.timeoutMs : 10_000, () => this.start());
    return done;
  }

  private connectSettled(): void {
    if (++this.connectedOnce === this.conns.length) this.start();
  }

  private start(): void {
    if (this.phase !== 'connecting') return;
    this.connectMs = performance.now() - this.connectStart;
    if (this.o.warmupMs && this.o.warmupMs > 0) {
      this.phase = 'warmup';
      this.after(this.o.warmupMs, () => this.beginMeasuring());
    } else this.beginMeasuring();
    if (this.o.rate) this.startSchedule();
    for (const c of this.conns) this.pump(c);
  }

  /** Cumulative figures for progress displays. */
  snapshot(): LiveStats {
    const now = performance.now();
    return {
      ...this.counts,
      phase: this.phase,
      connected: this.conns.filter((c) => c.connected).length,
      connections: this.o.connections,
      elapsedMs: this.measuring ? now - this.measureStart : 0,
      goalMs: this.o.requests ? undefined : this.o.durationMs,
      goalRequests: this.o.requests,
      rps: this.lastRps,
      p50: this.hist.totalCount ? this.hist.getValueAtPercentile(50) / 1000 : 0,
      p99: this.hist.totalCount ? this.hist.getValueAtPercentile(99) / 1000 : 0,
      backlog: this.due - this.sent,
    };
  }

  private beginMeasuring(): void {
    const now = performance.now();
    this.phase = 'measuring';
    this.measureStart = now;
    this.secondStart = now;
    this.counts = zeroCounters();
    this.lastSecond = zeroCounters();
    this.hist.reset();
    this.secHist.reset();
    for (const s of this.urlStats.values()) s.reset();
    this.statusCodes.clear();
    this.errorKinds.clear();
    this.issued = 0;
    this.inFlight = 0;
    this.bytesAtStart = this.bytesRead();
    if (this.o.rate && this.scheduling) this.startSchedule(); // warm-up's backlog is not measured
    this.every(1000, () => this.closeSecond());
    // The open model's window ends when its schedule does (tick), however late the timers run.
    if (!this.o.requests && !this.o.rate) this.after(this.o.durationMs ?? 10_000, () => this.finish());
    if (this.o.requests === 0) this.finish();
  }

  private every(ms: number, f: () => void): void {
    this.timers.push(setInterval(f, ms));
  }

  private after(ms: number, f: () => void): void {
    this.timers.push(setTimeout(f, ms));
  }

  private open(c: Conn): void {
    const t = c.targets[c.next % c.targets.length]!;
    const onData = (d: Buffer): void => {
      if (c.socket !== sock) return;
      try {
        c.parser.feed(d);
      } catch (e) {
        c.lastError = 'bad response: ' + (e as Error).message;
        sock.destroy();
        return;
      }
      if (c.closeAfter) this.reconnect(c);
    };
    // Plain sockets read into one reused buffer (no allocation or stream machinery per read).
    const readBuf = (c.readBuf ??= Buffer.allocUnsafe(64 * 1024));
    const sock: net.Socket = t.tls
      ? tls.connect({ host: t.host, port: t.port, servername: net.isIP(t.host) ? undefined : t.host, rejectUnauthorized: this.o.verifyTls !== false, ca: this.o.ca })
      : net.connect({ host: t.host, port: t.port, noDelay: true, onread: { buffer: readBuf, callback: (n: number, b: Uint8Array) => (onData(Buffer.from(b.buffer, b.byteOffset, n)), true) } });
    if (t.tls) sock.on('data', onData);
    c.socket = sock;
    c.connected = false;
    c.closeAfter = false;
    c.lastError = undefined;
    c.parser.reset();
    const tried = (): void => {
      if (c.triedOnce) return;
      c.triedOnce = true;
      this.connectSettled();
    };
    sock.once(t.tls ? 'secureConnect' : 'connect', () => {
      if (c.socket === sock) c.connected = true;
      tried();
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (c.socket === sock) c.lastError = e.code ?? e.message;
    });
    sock.on('close', () => {
      tried();
      if (c.socket !== sock) return;
      c.parser.end();
      const wasConnected = c.connected;
      c.socket = undefined;
      c.connected = false;
      if (c.busy) this.settle(c, () => this.countError(c, c.lastError ?? (wasConnected ? 'connection closed' : 'connect failed')));
      if (this.phase === 'done') return;
      // Reconnect at once after the server closed a used connection; back off a little when connecting fails.
      if (wasConnected) {
        this.open(c);
        this.pump(c);
        return;
      }
      c.timer = setTimeout(() => {
        c.timer = undefined;
        if (this.phase === 'done') return;
        this.open(c);
        this.pump(c);
      }, 10);
    });
  }

  /** The server announced it closes this connection: drop it and send the next request on a new one at once. */
  private reconnect(c: Conn): void {
    const old = c.socket;
    c.socket = undefined;
    old?.destroy();
    if (this.phase === 'done') return;
    this.open(c);
    this.pump(c);
  }

  private bytesRead(): number {
    let n = 0;
    for (const c of this.conns) n += c.parser.bytes;
    return n;
  }

  private send(c: Conn, intended: number): void {
    const t = c.targets[c.next++ % c.targets.length]!;
    if (c.next >= c.targets.length * 1_000_000) c.next = 0;
    c.current = this.statsOf.get(t);
    c.busy = true;
    c.measured = this.measuring;
    if (c.measured) this.inFlight++;
    c.sentAt = performance.now();
    if (c.measured) this.lastSendAt = c.sentAt;
    c.intended = intended || c.sentAt;
    c.parser.expectNoBody = t.method === 'HEAD';
    this.issued++;
    c.socket!.write(t.request);
  }

  /** Gives a free connection its next request (closed model) or the oldest one due (open model). */
  private pump(c: Conn): void {
    if (c.busy || !c.socket || (this.phase !== 'warmup' && !this.measuring)) return;
    if (this.o.rate) {
      if (this.sent < this.due) this.send(c, this.rateStart + this.sent++ * this.interval);
      else if (!this.idle.includes(c)) this.idle.push(c);
      return;
    }
    if (this.phase === 'draining') return;
    if (this.o.requests !== undefined && this.measuring && this.issued >= this.o.requests) return;
    this.send(c, 0);
  }

  private startSchedule(): void {
    this.scheduling = true;
    this.interval = 1000 / this.o.rate!;
    this.rateStart = performance.now();
    this.due = 0;
    this.sent = 0;
    this.tick();
  }

  private tick(): void {
    if (!this.scheduling) return;
    const now = performance.now();
    let due = Math.floor((now - this.rateStart) / this.interval) + 1;
    // Measuring, the schedule holds the requests due within the window: then it stops, and the run waits for them.
    const goal = !this.measuring ? Infinity : this.o.requests ?? Math.ceil(((this.o.durationMs ?? 10_000) * this.o.rate!) / 1000 - 1e-9);
    due = Math.min(due, goal);
    while (this.due < due) {
      this.due++;
      const c = this.takeIdle();
      if (!c) break;
      this.send(c, this.rateStart + this.sent++ * this.interval);
    }
    this.due = Math.max(this.due, due);
    if (this.due >= goal) {
      this.scheduling = false;
      this.phase = 'draining';
      this.checkDone();
      return;
    }
    const wait = Math.max(0, this.rateStart + this.due * this.interval - performance.now());
    clearTimeout(this.tickTimer);
    this.tickTimer = setTimeout(() => this.tick(), wait);
  }

  private takeIdle(): Conn | undefined {
    while (this.idle.length) {
      const c = this.idle.pop()!;
      if (c.socket && !c.busy) return c;
    }
    return undefined;
  }

  /** Ends a request's life: frees the connection, runs `count` if it was measured. */
  private settle(c: Conn, count: () => void): void {
    c.busy = false;
    if (!c.measured) return;
    c.measured = false;
    this.inFlight--;
    if (this.phase !== 'done') count();
  }

  private onResponse(c: Conn, r: ParsedResponse): void {
    if (!c.busy) return;
    const now = performance.now();
    this.settle(c, () => {
      const us = Math.max(1, Math.round((now - c.intended) * 1000));
      this.hist.recordValue(us);
      this.secHist.recordValue(us);
      const u = c.current!;
      u.hist.recordValue(us);
      const ok = r.status >= 200 && r.status < 300;
      for (const k of [this.counts, u.counts]) {
        k.total++;
        if (ok) k.ok++;
        else k.non2xx++;
      }
      this.statusCodes.set(r.status, (this.statusCodes.get(r.status) ?? 0) + 1);
    });
    if (r.close) {
      c.closeAfter = true; // a new connection is opened once this read is parsed
      this.checkDone();
      return;
    }
    if (this.phase === 'done') return;
    if (!this.checkDone()) this.pump(c);
  }

  private countError(c: Conn, kind: string): void {
    for (const k of [this.counts, c.current!.counts]) {
      k.total++;
      k.errors++;
    }
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
    this.checkDone();
  }

  private countTimeout(u: UrlStats | undefined): void {
    for (const k of u ? [this.counts, u.counts] : [this.counts]) {
      k.total++;
      k.timeouts++;
    }
  }

  private sweepTimeouts(): void {
    const now = performance.now();
    const limit = this.o.timeoutMs;
    for (const c of this.conns) {
      // The open model counts a request's time from when it was due, its timeout too.
      if (!c.busy || now - (this.o.rate ? c.intended : c.sentAt) < limit) continue;
      this.settle(c, () => this.countTimeout(c.current));
      c.socket?.destroy();
    }
    // Due requests still waiting for a connection after the timeout are timeouts; they are not sent.
    if (this.o.rate && this.measuring) {
      while (this.sent < this.due && now - (this.rateStart + this.sent * this.interval) >= limit) {
        this.sent++;
        this.countTimeout(this.statsOf.get(this.o.targets[this.sent % this.o.targets.length]!));
      }
    }
    this.checkDone();
  }

  private checkDone(): boolean {
    if (!this.measuring) return false;
    if (this.o.rate) {
      if (this.phase !== 'draining' || this.sent < this.due || this.inFlight > 0) return false;
    } else {
      const goal = this.o.requests;
      if (goal === undefined || this.counts.total < goal) return false;
    }
    this.finish();
    return true;
  }

  private closeSecond(): void {
    const now = performance.now();
    const k = this.counts;
    const p = this.lastSecond;
    const seconds = (now - this.secondStart) / 1000;
    if (seconds <= 0) return;
    const s: SecondResult = {
      time: Date.now(),
      seconds,
      total: k.total - p.total,
      ok: k.ok - p.ok,
      non2xx: k.non2xx - p.non2xx,
      errors: k.errors - p.errors,
      timeouts: k.timeouts - p.timeouts,
      rps: 0,
      latencyMs: summarize(this.secHist),
    };
    s.rps = Math.round(((s.ok + s.non2xx) / seconds) * 10) / 10;
    this.lastRps = s.rps;
    this.lastSecond = { ...k };
    this.secondStart = now;
    this.secHist.reset();
    this.o.onSecond?.(s);
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
    if (this.counts.total !== this.lastSecond.total) this.closeSecond();
    const unfinished = this.o.rate ? this.due - this.sent + this.inFlight : undefined;
    this.phase = 'done';
    this.scheduling = false;
    clearTimeout(this.tickTimer);
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.conns) {
      if (c.timer) clearTimeout(c.timer);
      c.socket?.destroy();
    }
    const durationS = Math.max(0.001, (end - this.measureStart) / 1000);
    const k = this.counts;
    const rps = Math.round(((k.ok + k.non2xx) / durationS) * 10) / 10;
    const rate = this.o.rate;
    // The rate achieved is the rate requests went out at: on schedule, the last one leaves one
    // interval before the window ends; a target that cannot keep up holds them back.
    const achievedRate = rate && this.issued ? Math.round((this.issued / ((this.lastSendAt - this.measureStart) / 1000 + 1 / rate)) * 10) / 10 : rate ? 0 : undefined;
    this.resolve({
      rps,
      durationS: Math.round(durationS * 1000) / 1000,
      model: rate ? 'open' : 'closed',
      connections: this.o.connections,
      rate,
      achievedRate,
      // A hiccup near the end of a short run is no shortfall: the schedule must also have ended 200 ms behind.
      shortfall: rate ? achievedRate! < rate * SHORTFALL_RATIO && this.lastSendAt + 1000 / rate - (this.measureStart + (this.o.requests !== undefined ? (this.o.requests * 1000) / rate : this.o.durationMs ?? 10_000)) > 200 : undefined,
      unfinished,
      timeoutMs: this.o.timeoutMs,
      connectMs: Math.round(this.connectMs * 10) / 10,
      targets: [...this.urlStats.keys()],
      requests: { ...k },
      latencyMs: summarize(this.hist),
      perUrl: [...this.urlStats.values()].map((s) => s.report()),
      statusCodes: Object.fromEntries([...this.statusCodes].sort((a, b) => a[0] - b[0]).map(([s, n]) => [String(s), n])),
      errorKinds: Object.fromEntries(this.errorKinds),
      bytesRead: this.bytesRead() - this.bytesAtStart,
      interrupted: this.interrupted,
    });
  }
}

export function runLoad(o: LoadOptions): Promise<LoadReport> {
  return new LoadRun(o).run();
}
