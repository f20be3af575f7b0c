// Human-readable reports and progress lines for load and simulate.
import { hasLatencies, type LatencySummary } from './histogram.js';
import { columnsTable } from '../format/fixed-table.js';
import { displayWidth } from '../format/width.js';
import { counted } from '../format/words.js';
import { OTHER_URLS, type Counters, type LiveStats, type LoadReport } from './load-stats.js';
import { thresholdFigures, type ThresholdResult } from './thresholds.js';
import { fixed as f, grouped as n } from '../format/numbers.js';

/** A summary's percentiles; a summary of nothing says so rather than show zeros. */
export function latencyLine(l: LatencySummary): string {
  if (!hasLatencies(l)) return 'none (nothing answered)';
  return `p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  p99.9 ${l.p999}  max ${l.max}  mean ${l.mean}`;
}

/** A live figure in ms; a dash until there is one (live percentiles are 0 until a second's latencies are in). */
export function liveMs(ms: number): string {
  return ms > 0 ? ms.toFixed(2) : '–';
}

/** The live rate; a dash until a whole second has been measured. */
export function liveRps(s: LiveStats): string {
  return s.elapsedMs >= 1000 ? f(s.rps) : '–';
}

/** The JSON keys that hold a latency summary (in load, simulate, find-max, load report and --influxql reports). */
const SUMMARY_KEYS = new Set(['latencyMs', 'firstChunkMs']);

/**
 * A traffic tool's report as one line of JSON. A latency summary of nothing has null figures: no
 * answer took 0 ms, and a script that averages or compares them must not count one.
 */
export function reportJson(value: unknown): string {
  const replacer = (key: string, v: unknown): unknown => (SUMMARY_KEYS.has(key) && !hasLatencies(v as LatencySummary) ? Object.fromEntries(Object.keys(v as object).map((k) => [k, null])) : v);
  return JSON.stringify(value, replacer) + '\n';
}

export function formatBytes(b: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) {
    b /= 1024;
    i++;
  }
  return `${f(b, i ? 1 : 0)} ${units[i]}`;
}

/** What the latency of each model is: said in the report header. */
export function modelLine(r: Pick<LoadReport, 'model' | 'rate' | 'latencyCorrection'>): string {
  if (r.model === 'open') return `open model at ${n(r.rate!)} req/s: latency from each request's intended send time (wrk2's rule), waiting for a connection included`;
  const c = r.latencyCorrection;
  if (c)
    return `closed model with wrk's correction: each request's service time, send to response, and ${counted(c.added, 'sample', undefined, n)} added for the requests slow answers held back (one per ${f(c.intervalMs, 3)} ms waited, a connection's time per request)`;
  return "closed model: latency is each request's service time, send to response (wrk's figures before its correction, which --latency-correction adds)";
}

/** The targets for the report's first line: all of a few, the first three of many. */
function targetList(urls: string[]): string {
  return urls.length <= 5 ? urls.join(', ') : `${n(urls.length)} URLs: ${urls.slice(0, 3).join(', ')} and ${n(urls.length - 3)} more`;
}

/** How the connections came up before measuring: all of them, or how many had failed (they go on trying). */
function connectedText(r: Pick<LoadReport, 'connections' | 'connectedAtStart' | 'connectMs'>): string {
  if (r.connectedAtStart >= r.connections) return `connected in ${f(r.connectMs)} ms before measuring`;
  const up = r.connectedAtStart === 0 ? 'none' : `only ${n(r.connectedAtStart)}`;
  return `${up} connected before measuring (tried for ${f(r.connectMs)} ms)`;
}

export function formatLoadReport(r: LoadReport): string {
  const k = r.requests;
  const head = [
    `Load test of ${targetList(r.targets)}`,
    `  ${modelLine(r)}${r.interrupted ? ', interrupted' : ''}`,
    `  ${counted(r.connections, 'connection', undefined, n)}${r.workers > 1 ? ` on ${r.workers} threads` : ''}, ${connectedText(r)}; ${r.timeoutMs > 0 ? `timeout ${f(r.timeoutMs / 1000, 1)} s` : 'no timeout'}`,
  ];
  const figures: [string, string][] = [
    ['Requests:', `${requestCounts(k)}${r.unfinished ? `, ${n(r.unfinished)} unanswered when stopped` : ''}`],
    ['Throughput:', `${f(r.rps)} req/s over ${f(r.durationS, 2)}s, ${formatBytes(r.bytesRead)} read`],
  ];
  if (r.model === 'open') figures.push(['Rate:', `${n(r.rate!)} req/s asked, ${f(r.achievedRate!)} sent (${Math.round((r.achievedRate! / r.rate!) * 100)} %)${r.shortfall ? ': not achieved' : ''}`]);
  figures.push(['Latency ms:', latencyLine(r.latencyMs)]);
  const perUrl: string[] = [];
  // The URLs past the per-URL limit share one entry: how many it covers is what the others leave.
  const others = r.targets.length - (r.perUrl.length - 1);
  const label = (url: string): string => (url === OTHER_URLS ? counted(others, 'other URL', undefined, n) : url);
  if (r.perUrl.length > 1) for (const u of r.perUrl) perUrl.push(`  ${label(u.url)}`, `    ${requestCounts(u.requests)}`, `    latency ms: ${latencyLine(u.latencyMs)}`);
  const outcomes: [string, string][] = [];
  const codes = Object.entries(r.statusCodes);
  if (codes.length) outcomes.push(['Status:', codes.map(([c, m]) => `${c} × ${n(m)}`).join(', ')]);
  const errs = Object.entries(r.errorKinds);
  if (errs.length) outcomes.push(['Errors:', errs.map(([c, m]) => `${c} × ${n(m)}`).join(', ')]);
  // The per-URL lines sit between the figures and the outcomes; both parts share the label column.
  const [figureText, outcomeText] = labelledParts([figures, outcomes]);
  return [...head, figureText, ...perUrl, ...(outcomes.length ? [outcomeText] : [])].join('\n') + '\n';
}

/** `  Label:  value` lines, the labels in one column across every part (drawn by cli-table3). */
export function labelledParts(parts: [string, string][][]): string[] {
  const all = parts.flat();
  const widths = [Math.max(...all.map(([l]) => l.length)), Math.max(...all.map(([, v]) => displayWidth(v)))];
  return parts.map((rows) => (rows.length ? columnsTable(rows, { indent: 2, gap: 1, widths }).trimEnd() : ''));
}

/** A set of counts as the reports print them: total, 2xx, non-2xx, errors, timeouts. */
export function requestCounts(k: Counters): string {
  return `${n(k.total)} total, ${n(k.ok)} 2xx, ${n(k.non2xx)} non-2xx, ${counted(k.errors, 'error', undefined, n)}, ${counted(k.timeouts, 'timeout', undefined, n)}`;
}

export function progressLine(s: LiveStats): string {
  if (s.phase === 'starting' || s.phase === 'connecting') return `connecting… ${n(s.connected)}/${n(s.connections)}`;
  if (s.phase === 'warmup') return 'warming up…';
  const t = (s.elapsedMs / 1000).toFixed(0);
  const goal = s.goalRequests !== undefined ? ` ${n(s.total)}/${n(s.goalRequests)} requests` : s.goalMs ? ` ${t}/${(s.goalMs / 1000).toFixed(0)}s` : ` ${t}s`;
  return `[load]${goal}  ${liveRps(s)} req/s  p50 ${liveMs(s.p50)} ms  p99 ${liveMs(s.p99)} ms  errors ${n(s.errors)}  timeouts ${n(s.timeouts)}${s.backlog ? `  waiting ${n(s.backlog)}` : ''}`;
}

/** One line per --threshold: held or broken, with the figures it compared. */
export function thresholdLines(results: ThresholdResult[]): string {
  return results.map((t) => `  Threshold:  ${t.threshold}  ${t.ok ? 'ok' : 'BROKEN'} (${thresholdFigures(t)})\n`).join('');
}
