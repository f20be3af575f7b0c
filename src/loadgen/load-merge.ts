// Adds up what several load threads measured: counts are summed and histograms added bucket by
// bucket, so merged percentiles are exactly those of one run that saw every request.
import { encodeHistogram, newHistogram, summarize, type Histogram, type HistogramSnapshot } from './histogram.js';
import { mergeUrlSeconds } from './record.js';
import { SHORTFALL_RATIO } from './load.js';
import { zeroCounters, type Counters, type LiveStats, type LoadPhase, type LoadReport, type SecondResult } from './load-stats.js';

export interface WorkerResult {
  report: LoadReport;
  hist: HistogramSnapshot;
  perUrl: { url: string; hist: HistogramSnapshot }[];
}

const PHASES: LoadPhase[] = ['starting', 'connecting', 'warmup', 'measuring', 'draining', 'done'];

function addCounters(into: Counters, k: Counters): void {
  into.total += k.total;
  into.ok += k.ok;
  into.non2xx += k.non2xx;
  into.errors += k.errors;
  into.timeouts += k.timeouts;
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/** One report for the whole run from each thread's report and histograms. */
export function mergeReports(parts: WorkerResult[]): LoadReport {
  const first = parts[0]!.report;
  const hist = newHistogram();
  const urlHists = new Map<string, Histogram>();
  const urlCounts = new Map<string, Counters>();
  const requests = zeroCounters();
  const statusCodes: Record<string, number> = {};
  const errorKinds: Record<string, number> = {};
  let durationS = 0;
  let connectMs = 0;
  let bytesRead = 0;
  let achieved = 0;
  let unfinished = 0;
  let shortfall = false;
  let interrupted = false;
  let connections = 0;
  let connectedAtStart = 0;
  for (const p of parts) {
    const r = p.report;
    hist.addSnapshot(p.hist);
    for (const u of p.perUrl) {
      if (!urlHists.has(u.url)) urlHists.set(u.url, newHistogram());
      urlHists.get(u.url)!.addSnapshot(u.hist);
    }
    for (const u of r.perUrl) {
      if (!urlCounts.has(u.url)) urlCounts.set(u.url, zeroCounters());
      addCounters(urlCounts.get(u.url)!, u.requests);
    }
    addCounters(requests, r.requests);
    addCounts(statusCodes, r.statusCodes);
    addCounts(errorKinds, r.errorKinds);
    durationS = Math.max(durationS, r.durationS);
    connectMs = Math.max(connectMs, r.connectMs);
    bytesRead += r.bytesRead;
    achieved += r.achievedRate ?? 0;
    unfinished += r.unfinished ?? 0;
    shortfall ||= r.shortfall === true;
    interrupted ||= r.interrupted;
    connections += r.connections;
    connectedAtStart += r.connectedAtStart;
  }
  // The rate asked of the whole run is the sum of the threads' shares (their stages' mean with stages).
  const rate = first.model === 'open' ? Math.round(parts.reduce((a, p) => a + (p.report.rate ?? 0), 0) * 10) / 10 : undefined;
  const achievedRate = rate !== undefined ? Math.round(achieved * 10) / 10 : undefined;
  return {
    ...first,
    rps: Math.round(((requests.ok + requests.non2xx) / durationS) * 10) / 10,
    durationS,
    connections,
    workers: parts.length,
    rate,
    achievedRate,
    shortfall: rate ? shortfall && achievedRate! < rate * SHORTFALL_RATIO : undefined,
    unfinished: rate ? unfinished : undefined,
    connectMs,
    connectedAtStart,
    requests,
    latencyMs: summarize(hist),
    histogram: encodeHistogram(hist),
    perUrl: first.perUrl.map(({ url }) => {
      const h = urlHists.get(url) ?? newHistogram();
      return { url, requests: urlCounts.get(url) ?? zeroCounters(), latencyMs: summarize(h), histogram: encodeHistogram(h) };
    }),
    statusCodes: Object.fromEntries(Object.entries(statusCodes).sort((a, b) => Number(a[0]) - Number(b[0]))),
    errorKinds,
    bytesRead,
    interrupted,
  };
}

/** Each thread's n-th second, added up; `h` holds all their latencies of that second. */
export function mergeSeconds(seconds: SecondResult[], h: Histogram): SecondResult {
  const k = zeroCounters();
  for (const s of seconds) addCounters(k, s);
  // The threads ran this second side by side, each timing it by its own timer: its length is their
  // mean. (Their longest would count a late timer twice: one thread's long second is followed by
  // its short one, and the run's seconds would add up to more than it lasted.)
  const span = seconds.reduce((a, s) => a + s.seconds, 0) / seconds.length;
  const perUrl = mergeUrlSeconds(seconds.map((s) => s.perUrl ?? []));
  return { ...k, time: Math.max(...seconds.map((s) => s.time)), seconds: span, rps: Math.round(((k.ok + k.non2xx) / span) * 10) / 10, latencyMs: summarize(h), perUrl };
}

/** The live view's figures for the whole run; percentiles come from `hist` (the merged seconds so far). */
export function mergeLive(lives: LiveStats[], hist: Histogram): LiveStats {
  const k = zeroCounters();
  for (const l of lives) addCounters(k, l);
  const sum = (f: (l: LiveStats) => number): number => lives.reduce((a, l) => a + f(l), 0);
  const phase = PHASES[Math.min(...lives.map((l) => PHASES.indexOf(l.phase)))]!;
  return {
    ...k,
    phase,
    connected: sum((l) => l.connected),
    connections: sum((l) => l.connections),
    elapsedMs: Math.max(...lives.map((l) => l.elapsedMs)),
    goalMs: lives[0]!.goalMs,
    goalRequests: lives.some((l) => l.goalRequests !== undefined) ? sum((l) => l.goalRequests ?? 0) : undefined,
    rps: Math.round(sum((l) => l.rps) * 10) / 10,
    p50: hist.totalCount ? hist.getValueAtPercentile(50) / 1000 : 0,
    p99: hist.totalCount ? hist.getValueAtPercentile(99) / 1000 : 0,
    backlog: sum((l) => l.backlog),
  };
}
