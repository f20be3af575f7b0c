// `load report` as text: a run's merged figures, each agent's and each URL's, and with
// --compare the change of every percentile from one run to the other.
import { latencyLine, requestCounts } from './report.js';
import { hasLatencies, type LatencySummary } from './histogram.js';
import { counted } from '../format/words.js';
import { OTHER_URLS } from './load-stats.js';
import type { RunReport, WindowFigures } from './load-report.js';
import { fixed as f, grouped as n } from '../format/numbers.js';

function figureLines(w: WindowFigures, indent: string): string[] {
  return [`${indent}Requests:   ${requestCounts(w.requests)}`, `${indent}Throughput: ${f(w.rps)} req/s over ${f(w.durationS, 2)}s`, `${indent}Latency ms: ${latencyLine(w.latencyMs)}`];
}

/** The URLs a run recorded; those past load's per-URL limit were recorded as one, and how many is not known. */
function urlCount(r: RunReport): string {
  const own = r.perUrl.filter((u) => u.url !== OTHER_URLS).length;
  return own < r.perUrl.length ? `${n(own)} URLs and others` : counted(own, 'URL', undefined, n);
}

export function formatRunReport(r: RunReport): string {
  const lines = [`Run ${r.run}: ${counted(r.agents.length, 'agent', undefined, n)}, ${urlCount(r)}, ${r.start} to ${r.end}`, ...figureLines(r, '  ')];
  if (r.agents.length > 1) for (const a of r.agents) lines.push(`  agent ${a.agent}`, ...figureLines(a, '    '));
  if (r.perUrl.length > 1) for (const u of r.perUrl) lines.push(`  ${u.url === OTHER_URLS ? 'other URLs (recorded together)' : u.url}`, ...figureLines(u, '    '));
  return lines.join('\n') + '\n';
}

export const PERCENTILES: (keyof LatencySummary)[] = ['p50', 'p90', 'p99', 'p999', 'max', 'mean'];

/** Relative change from a to b, in percent (rounded to 0.1); undefined when a is 0. */
export function change(a: number, b: number): number | undefined {
  return a ? Math.round(((b - a) / a) * 1000) / 10 : undefined;
}

export function comparison(a: RunReport, b: RunReport): Record<string, number | null> {
  const out: Record<string, number | null> = { rps: change(a.rps, b.rps) ?? null };
  // A run where nothing answered has no latencies to change from or to.
  const both = hasLatencies(a.latencyMs) && hasLatencies(b.latencyMs);
  for (const p of PERCENTILES) out[p] = both ? (change(a.latencyMs[p], b.latencyMs[p]) ?? null) : null;
  return out;
}

/** A run's percentile for the comparison table; a dash where nothing answered. */
const ms = (l: LatencySummary, p: keyof LatencySummary): string => (hasLatencies(l) ? String(l[p]) : '–');

export function formatComparison(a: RunReport, b: RunReport): string {
  const pct = (x: number | null): string => (x === null ? '–' : `${x > 0 ? '+' : ''}${f(x)} %`);
  const c = comparison(a, b);
  const rows: [string, string, string, string][] = [
    ['', a.run, b.run, 'change'],
    ['requests', n(a.requests.total), n(b.requests.total), ''],
    ['errors+timeouts', n(a.requests.errors + a.requests.timeouts), n(b.requests.errors + b.requests.timeouts), ''],
    ['req/s', f(a.rps), f(b.rps), pct(c.rps!)],
    ...PERCENTILES.map((p): [string, string, string, string] => [`${p === 'p999' ? 'p99.9' : p} ms`, ms(a.latencyMs, p), ms(b.latencyMs, p), pct(c[p]!)]),
  ];
  const w = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => (i === 0 ? cell.padEnd(w[i]!) : cell.padStart(w[i]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
