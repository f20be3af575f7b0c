// `load --influxql FILE`: load on InfluxDB itself. The file's statements are sent in turn to
// POST /query (chunked), by N concurrent clients (closed model) or at a rate (open model: latency
// from each query's intended start, as `load --rate`). For each statement: time to the first
// chunk of the answer and to its end, in HDR histograms. A query past --timeout is found in
// SHOW QUERIES and killed (KILL QUERY) before its connection is dropped, so the server stops too.
import type { InfluxHttp } from '../connection/http.js';
import { encodeHistogram, newHistogram, summarize, type LatencySummary } from './histogram.js';
import { zeroCounters, type Counters } from './load-stats.js';
import { killStatement, type InfluxqlStatement } from './influxql-statements.js';
import type { RecordedSecond } from './record.js';

export interface InfluxqlLoadOptions {
  conn: InfluxHttp;
  statements: InfluxqlStatement[];
  /** Queries in flight at most (closed model: always). */
  concurrency: number;
  rate?: number;
  durationMs?: number;
  requests?: number;
  /** Per query, from its intended start; 0 = none. */
  timeoutMs: number;
  signal?: AbortSignal;
  onSecond?: (s: RecordedSecond) => void;
}

export interface StatementReport {
  statement: string;
  database?: string;
  requests: Counters;
  latencyMs: LatencySummary;
  firstChunkMs: LatencySummary;
  histogram: string;
}

export interface InfluxqlReport {
  mode: 'influxql';
  model: 'closed' | 'open';
  concurrency: number;
  rate?: number;
  rps: number;
  durationS: number;
  timeoutMs: number;
  requests: Counters;
  latencyMs: LatencySummary;
  firstChunkMs: LatencySummary;
  histogram: string;
  /** Timed-out queries killed on the server, not found there (already finished), or whose kill failed. */
  kills: { killed: number; notFound: number; failed: number };
  statements: StatementReport[];
  errorKinds: Record<string, number>;
  interrupted: boolean;
}

class StatementStats {
  readonly hist = newHistogram();
  readonly first = newHistogram();
  readonly counts = zeroCounters();
  /** This second's share, for --record. */
  sec = newHistogram();
  secCounts = zeroCounters();
  constructor(readonly s: InfluxqlStatement) {}

  count(f: (k: Counters) => void): void {
    f(this.counts);
    f(this.secCounts);
  }

  report(): StatementReport {
    return {
      statement: this.s.label,
      database: this.s.database,
      requests: { ...this.counts },
      latencyMs: summarize(this.hist),
      firstChunkMs: summarize(this.first),
      histogram: encodeHistogram(this.hist),
    };
  }
}

const ERROR_FIELD = Buffer.from('"error":');

export async function runInfluxqlLoad(o: InfluxqlLoadOptions): Promise<InfluxqlReport> {
  const stats = o.statements.map((s) => new StatementStats(s));
  const errorKinds = new Map<string, number>();
  const kills = { killed: 0, notFound: 0, failed: 0 };
  const killedIds = new Set<number>();
  const inFlight = new Set<AbortController>();
  const start = performance.now();
  const deadline = o.requests === undefined ? start + (o.durationMs ?? 10_000) : Infinity;
  let issued = 0;
  let interrupted = false;
  let secondStart = start;

  const kind = (k: string): void => void errorKinds.set(k, (errorKinds.get(k) ?? 0) + 1);
  const more = (): boolean => !interrupted && (o.requests !== undefined ? issued < o.requests : performance.now() < deadline);

  /** Runs one query whose clock started at `intended`. */
  async function one(st: StatementStats, intended: number): Promise<void> {
    // Waited past its timeout for a free client: a timeout, never sent.
    if (o.timeoutMs > 0 && performance.now() - intended >= o.timeoutMs) return st.count((k) => (k.total++, k.timeouts++));
    const ac = new AbortController();
    let timedOut = false;
    let killing: Promise<void> | undefined;
    let timer: NodeJS.Timeout | undefined;
    if (o.timeoutMs > 0) {
      timer = setTimeout(
        () => {
          timedOut = true;
          // Killed while its connection is open (so SHOW QUERIES still lists it), then dropped.
          killing = killStatement(o.conn, st.s, killedIds)
            .then((id) => void (id === undefined ? kills.notFound++ : kills.killed++))
            .catch((e: Error) => {
              kills.failed++;
              kind(`kill: ${e.message}`.slice(0, 200));
            })
            .finally(() => ac.abort());
        },
        Math.max(0, intended + o.timeoutMs - performance.now()),
      );
    }
    inFlight.add(ac);
    const body = new URLSearchParams({ q: st.s.text, db: st.s.database ?? '', chunked: 'true', epoch: 'ns' });
    if (st.s.retentionPolicy) body.set('rp', st.s.retentionPolicy);
    let first = 0;
    let error: string | undefined;
    let status = 0;
    try {
      const res = await o.conn.streamLines('/query', { method: 'POST', body: body.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, signal: ac.signal, timeoutMs: 0 });
      status = res.status;
      for await (const line of res.lines()) {
        first ||= performance.now();
        // Only a line naming an error is parsed: the rest are counted, not read.
        if (error === undefined && line.includes(ERROR_FIELD)) error = errorText(line) ?? error;
      }
    } catch (e) {
      if (!timedOut && !interrupted) error = `connection: ${(e as Error).message}`;
    } finally {
      clearTimeout(timer);
      // A query that answered while it was being killed still waits for the kill's outcome.
      await killing;
      inFlight.delete(ac);
    }
    if (interrupted && !timedOut) return;
    const end = performance.now();
    if (timedOut) return st.count((k) => (k.total++, k.timeouts++));
    if (status !== 200 && status !== 0) {
      kind(`HTTP ${status}${error ? `: ${error}` : ''}`);
      return st.count((k) => (k.total++, k.non2xx++));
    }
    if (error !== undefined) {
      kind(error.slice(0, 200));
      return st.count((k) => (k.total++, k.errors++));
    }
    const us = (t: number): number => Math.max(1, Math.round((t - intended) * 1000));
    st.hist.recordValue(us(end));
    st.sec.recordValue(us(end));
    st.first.recordValue(us(first || end));
    st.count((k) => (k.total++, k.ok++));
  }

  const closeSecond = (): void => {
    const now = performance.now();
    const seconds = (now - secondStart) / 1000;
    if (seconds <= 0) return;
    secondStart = now;
    const perUrl = stats.map(({ s, sec, secCounts }) => ({ url: s.label, counts: secCounts, hist: encodeHistogram(sec), minUs: sec.totalCount ? sec.minNonZeroValue : 0, maxUs: sec.maxValue }));
    for (const st of stats) {
      st.sec = newHistogram();
      st.secCounts = zeroCounters();
    }
    o.onSecond?.({ time: Date.now(), seconds, perUrl });
  };
  const ticker = setInterval(closeSecond, 1000);
  const onAbort = (): void => {
    interrupted = true;
    for (const ac of inFlight) ac.abort();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    if (o.rate) {
      const goal = o.requests ?? Math.ceil(((o.durationMs ?? 10_000) * o.rate) / 1000 - 1e-9);
      await openModel(
        o,
        goal,
        () => interrupted,
        (intended) => one(stats[issued++ % stats.length]!, intended),
      );
    } else {
      const client = async (): Promise<void> => {
        while (more()) {
          const st = stats[issued++ % stats.length]!;
          await one(st, performance.now());
        }
      };
      await Promise.all(Array.from({ length: o.concurrency }, client));
    }
  } finally {
    clearInterval(ticker);
    o.signal?.removeEventListener('abort', onAbort);
  }
  closeSecond();
  const durationS = Math.max(0.001, (performance.now() - start) / 1000);
  const total = zeroCounters();
  const hist = newHistogram();
  const first = newHistogram();
  for (const st of stats) {
    for (const k of Object.keys(total) as (keyof Counters)[]) total[k] += st.counts[k];
    hist.add(st.hist);
    first.add(st.first);
  }
  return {
    mode: 'influxql',
    model: o.rate ? 'open' : 'closed',
    concurrency: o.concurrency,
    rate: o.rate,
    rps: Math.round(((total.ok + total.non2xx + total.errors) / durationS) * 10) / 10,
    durationS: Math.round(durationS * 1000) / 1000,
    timeoutMs: o.timeoutMs,
    requests: total,
    latencyMs: summarize(hist),
    firstChunkMs: summarize(first),
    histogram: encodeHistogram(hist),
    kills,
    statements: stats.map((s) => s.report()),
    errorKinds: Object.fromEntries(errorKinds),
    interrupted,
  };
}

/**
 * Open model: query i is due at start + i/rate, for the `goal` queries the window holds; at most
 * `concurrency` run at once and the rest wait, their wait counted in their latency.
 */
async function openModel(o: InfluxqlLoadOptions, goal: number, stop: () => boolean, launch: (intended: number) => Promise<void>): Promise<void> {
  const interval = 1000 / o.rate!;
  const start = performance.now();
  let sent = 0;
  let running = 0;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((done) => {
    const pump = (): void => {
      const due = Math.min(goal, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due && running < o.concurrency && !stop()) {
        running++;
        void launch(start + sent++ * interval).finally(() => (running--, pump()));
      }
      clearTimeout(timer);
      if ((sent >= goal || stop()) && running === 0) return done();
      if (sent < goal && !stop()) timer = setTimeout(pump, Math.max(0, start + sent * interval - performance.now()));
    };
    pump();
  });
}

function errorText(line: Buffer): string | undefined {
  try {
    const doc = JSON.parse(line.toString('utf8')) as { error?: string; results?: { error?: string }[] };
    return doc.error ?? doc.results?.find((r) => r.error)?.error;
  } catch {
    return undefined;
  }
}
