// The HTTP load generator: raw keep-alive sockets writing pre-built requests and a minimal
// response parser, so one Node thread can outrun the servers it measures.
// Closed model: N connections, each sends its next request when the last one answers.
// Open model (--rate): requests are due at fixed intervals; latency counts from the intended
// start (coordinated omission corrected, as wrk2 does); a request that finds every connection
// busy waits in a queue (as deep as the connection count or 100 ms of arrivals, whichever is
// more), beyond which it is dropped and counted.
import net from 'node:net';
import tls from 'node:tls';
import { newHistogram, summarize, type Histogram, type LatencySummary } from './histogram.js';
import { ResponseParser, type ParsedResponse } from '../connection/response-parser.js';
import type { LoadTarget } from './targets.js';

export interface LoadOptions {
  targets: LoadTarget[];
  connections: number;
  /** Measured run length; ignored when `requests` is set. */
  durationMs?: number;
  requests?: number;
  /** Open model: requests per second. */
  rate?: number;
  timeoutMs: number;
  warmupMs?: number;
  signal?: AbortSignal;
  onSecond?: (s: SecondResult) => void;
}

export interface Counters {
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  dropped: number;
}

export interface SecondResult extends Counters {
  /** Epoch ms at the end of this interval. */
  time: number;
  seconds: number;
  rps: number;
  latencyMs: LatencySummary;
}

export interface LoadReport {
  rps: number;
  durationS: number;
  model: 'closed' | 'open';
  connections: number;
  rate?: number;
  targets: string[];
  requests: Counters;
  latencyMs: LatencySummary;
  statusCodes: Record<string, number>;
  errorKinds: Record<string, number>;
  bytesRead: number;
  /** The run was stopped early (SIGINT). */
  interrupted: boolean;
}

export interface LiveStats extends Counters {
  elapsedMs: number;
  goalMs?: number;
  goalRequests?: number;
  warmingUp: boolean;
  rps: number;
  p50: number;
  p99: number;
}

interface Conn {
  id: number;
  socket: net.Socket | undefined;
  targets: LoadTarget[];
  next: number;
  current: LoadTarget | undefined;
  parser: ResponseParser;
  busy: boolean;
  sentAt: number;
  intended: number;
  connected: boolean;
  lastError: string | undefined;
  timer: NodeJS.Timeout | undefined;
  readBuf?: Buffer;
}

const zero = (): Counters => ({ total: 0, ok: 0, non2xx: 0, errors: 0, timeouts: 0, dropped: 0 });

export class LoadRun {
  private readonly conns: Conn[] = [];
  private readonly hist = newHistogram();
  private secHist: Histogram = newHistogram();
  private counts = zero();
  private lastSecond = zero();
  private secondStart = 0;
  private statusCodes = new Map<number, number>();
  private errorKinds = new Map<string, number>();
  private measuring = false;
  private stopping = false;
  private measureStart = 0;
  private issued = 0;
  private bytesAtStart = 0;
  private lastRps = 0;
  private readonly idle: Conn[] = [];
  private readonly queue: number[] = [];
  private scheduled = 0;
  private rateStart = 0;
  private timers: NodeJS.Timeout[] = [];
  private resolve!: (r: LoadReport) => void;
  private interrupted = false;

  constructor(private readonly o: LoadOptions) {}

  run(): Promise<LoadReport> {
    const done = new Promise<LoadReport>((r) => (this.resolve = r));
    const byOrigin = new Map<string, LoadTarget[]>();
    for (const t of this.o.targets) byOrigin.set(t.origin, [...(byOrigin.get(t.origin) ?? []), t]);
    const groups = [...byOrigin.values()];
    for (let i = 0; i < this.o.connections; i++) {
      const c: Conn = {
        id: i,
        socket: undefined,
        targets: groups[i % groups.length]!,
        next: Math.floor(i / groups.length),
        current: undefined,
        parser: undefined as unknown as ResponseParser,
        busy: false,
        sentAt: 0,
        intended: 0,
        connected: false,
        lastError: undefined,
        timer: undefined,
      };
      c.parser = new ResponseParser((r) => this.onResponse(c, r));
      this.conns.push(c);
    }
    if (this.o.signal) {
      if (this.o.signal.aborted) queueMicrotask(() => this.abort());
      else this.o.signal.addEventListener('abort', () => this.abort(), { once: true });
    }
    const sweep = Math.max(5, Math.min(100, this.o.timeoutMs / 4));
    this.every(sweep, () => this.sweepTimeouts());
    if (this.o.warmupMs && this.o.warmupMs > 0) this.after(this.o.warmupMs, () => this.beginMeasuring());
    else this.beginMeasuring();
    for (const c of this.conns) {
      this.open(c);
      this.pump(c);
    }
    if (this.o.rate) {
      this.rateStart = performance.now();
      this.tick();
    }
    return done;
  }

  /** Cumulative figures for progress displays. */
  snapshot(): LiveStats {
    const now = performance.now();
    return {
      ...this.counts,
      elapsedMs: this.measuring ? now - this.measureStart : 0,
      goalMs: this.o.requests ? undefined : this.o.durationMs,
      goalRequests: this.o.requests,
      warmingUp: !this.measuring,
      rps: this.lastRps,
      p50: this.hist.totalCount ? this.hist.getValueAtPercentile(50) / 1000 : 0,
      p99: this.hist.totalCount ? this.hist.getValueAtPercentile(99) / 1000 : 0,
    };
  }

  private beginMeasuring(): void {
    const now = performance.now();
    this.measuring = true;
    this.measureStart = now;
    this.secondStart = now;
    this.counts = zero();
    this.lastSecond = zero();
    this.hist.reset();
    this.secHist.reset();
    this.statusCodes.clear();
    this.errorKinds.clear();
    this.issued = 0;
    this.bytesAtStart = this.bytesRead();
    if (this.o.rate) {
      this.rateStart = now;
      this.scheduled = 0;
      this.queue.length = 0;
    }
    this.every(1000, () => this.closeSecond());
    if (!this.o.requests) this.after(this.o.durationMs ?? 10_000, () => this.finish());
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
      }
    };
    // Plain sockets read into one reused buffer (no allocation or stream machinery per read).
    const readBuf = (c.readBuf ??= Buffer.allocUnsafe(64 * 1024));
    const sock: net.Socket = t.tls
      ? tls.connect({ host: t.host, port: t.port, servername: net.isIP(t.host) ? undefined : t.host, rejectUnauthorized: false })
      : net.connect({ host: t.host, port: t.port, noDelay: true, onread: { buffer: readBuf, callback: (n: number, b: Uint8Array) => (onData(Buffer.from(b.buffer, b.byteOffset, n)), true) } });
    if (t.tls) sock.on('data', onData);
    c.socket = sock;
    c.connected = false;
    c.lastError = undefined;
    c.parser.reset();
    sock.on(t.tls ? 'secureConnect' : 'connect', () => {
      if (c.socket === sock) c.connected = true;
    });
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (c.socket === sock) c.lastError = e.code ?? e.message;
    });
    sock.on('close', () => {
      if (c.socket !== sock) return;
      c.parser.end();
      const wasConnected = c.connected;
      c.socket = undefined;
      if (c.busy) {
        c.busy = false;
        this.countError(c.lastError ?? (wasConnected ? 'connection closed' : 'connect failed'), c.sentAt);
      }
      if (this.stopping) return;
      // Reconnect at once after a keep-alive close; back off a little when connecting fails.
      c.timer = setTimeout(() => {
        c.timer = undefined;
        if (this.stopping) return;
        this.open(c);
        this.pump(c);
      }, wasConnected ? 0 : 10);
    });
  }

  private bytesRead(): number {
    let n = 0;
    for (const c of this.conns) n += c.parser.bytes;
    return n;
  }

  private send(c: Conn, intended: number): void {
    const t = c.targets[c.next++ % c.targets.length]!;
    if (c.next >= c.targets.length * 1_000_000) c.next = 0;
    c.current = t;
    c.busy = true;
    c.sentAt = performance.now();
    c.intended = intended || c.sentAt;
    c.parser.expectNoBody = t.method === 'HEAD';
    this.issued++;
    c.socket!.write(t.request);
  }

  /** Gives a free connection its next request (closed model) or takes one from the queue (open model). */
  private pump(c: Conn): void {
    if (this.stopping || c.busy || !c.socket) return;
    if (this.o.rate) {
      const intended = this.queue.shift();
      if (intended !== undefined) this.send(c, intended);
      else if (!this.idle.includes(c)) this.idle.push(c);
      return;
    }
    if (this.o.requests !== undefined && this.measuring && this.issued >= this.o.requests) return;
    this.send(c, 0);
  }

  private tick(): void {
    if (this.stopping) return;
    const interval = 1000 / this.o.rate!;
    const now = performance.now();
    let due = Math.floor((now - this.rateStart) / interval) + 1;
    if (this.o.requests !== undefined && this.measuring) due = Math.min(due, this.o.requests);
    while (this.scheduled < due) {
      const intended = this.rateStart + this.scheduled * interval;
      this.scheduled++;
      this.dispatch(intended);
    }
    if (this.o.requests !== undefined && this.measuring && this.scheduled >= this.o.requests) {
      this.checkDone();
      return;
    }
    const wait = Math.max(0, this.rateStart + this.scheduled * interval - performance.now());
    setTimeout(() => this.tick(), wait);
  }

  private dispatch(intended: number): void {
    while (this.idle.length) {
      const c = this.idle.pop()!;
      if (c.socket && !c.busy) return this.send(c, intended);
    }
    // The queue absorbs timer lateness (up to 100 ms of arrivals) but not a server that cannot keep up.
    if (this.queue.length < Math.max(this.o.connections, Math.ceil(this.o.rate! / 10))) this.queue.push(intended);
    else if (this.measuring) {
      this.counts.dropped++;
      this.checkDone();
    }
  }

  private onResponse(c: Conn, r: ParsedResponse): void {
    if (!c.busy) return;
    c.busy = false;
    const now = performance.now();
    if (this.measuring && c.sentAt >= this.measureStart) {
      const us = Math.max(1, Math.round((now - c.intended) * 1000));
      this.hist.recordValue(us);
      this.secHist.recordValue(us);
      const k = this.counts;
      k.total++;
      if (r.status >= 200 && r.status < 300) k.ok++;
      else k.non2xx++;
      this.statusCodes.set(r.status, (this.statusCodes.get(r.status) ?? 0) + 1);
    }
    if (r.close) {
      // The server will close: reconnect (on 'close') rather than reuse this socket.
      c.socket?.destroy();
      this.checkDone();
      return;
    }
    if (this.stopping) return;
    if (!this.checkDone()) this.pump(c);
  }

  private countError(kind: string, sentAt: number): void {
    if (!this.measuring || sentAt < this.measureStart) return;
    this.counts.total++;
    this.counts.errors++;
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
    this.checkDone();
  }

  private sweepTimeouts(): void {
    const now = performance.now();
    for (const c of this.conns) {
      if (!c.busy || now - c.sentAt < this.o.timeoutMs) continue;
      c.busy = false;
      if (this.measuring && c.sentAt >= this.measureStart) {
        this.counts.total++;
        this.counts.timeouts++;
      }
      c.socket?.destroy();
      this.checkDone();
    }
  }

  private checkDone(): boolean {
    const goal = this.o.requests;
    if (goal === undefined || !this.measuring || this.stopping) return false;
    const k = this.counts;
    const settled = k.total + k.dropped;
    if (settled >= goal) {
      this.finish();
      return true;
    }
    return false;
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
      dropped: k.dropped - p.dropped,
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
    if (this.stopping) return;
    const end = performance.now();
    // The last partial interval is reported too, so per-second results add up to the totals.
    const k0 = this.counts;
    if (k0.total !== this.lastSecond.total || k0.dropped !== this.lastSecond.dropped) this.closeSecond();
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.conns) {
      if (c.timer) clearTimeout(c.timer);
      c.socket?.destroy();
    }
    const durationS = Math.max(0.001, (end - this.measureStart) / 1000);
    const k = this.counts;
    this.resolve({
      rps: Math.round(((k.ok + k.non2xx) / durationS) * 10) / 10,
      durationS: Math.round(durationS * 1000) / 1000,
      model: this.o.rate ? 'open' : 'closed',
      connections: this.o.connections,
      rate: this.o.rate,
      targets: [...new Set(this.o.targets.map((t) => t.url))],
      requests: { ...k },
      latencyMs: summarize(this.hist),
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
