// Human-readable reports and progress lines for load and simulate.
import type { LatencySummary } from './histogram.js';
import type { LiveStats, LoadReport } from './load.js';

const n = (x: number): string => x.toLocaleString('en-US');
const f = (x: number, d = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

export function latencyLine(l: LatencySummary): string {
  return `p50 ${l.p50}  p90 ${l.p90}  p99 ${l.p99}  p99.9 ${l.p999}  max ${l.max}  mean ${l.mean}`;
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

export function formatLoadReport(r: LoadReport): string {
  const k = r.requests;
  const model = r.model === 'open' ? `open model at ${n(r.rate!)} req/s (latency from intended start)` : 'closed model';
  const lines = [
    `Load test of ${r.targets.join(', ')}`,
    `  ${r.connections} connections, ${model}${r.interrupted ? ', interrupted' : ''}`,
    `  Requests:   ${n(k.total)} total, ${n(k.ok)} 2xx, ${n(k.non2xx)} non-2xx, ${n(k.errors)} errors, ${n(k.timeouts)} timeouts${r.model === 'open' ? `, ${n(k.dropped)} dropped` : ''}`,
    `  Throughput: ${f(r.rps)} req/s over ${f(r.durationS, 2)}s, ${formatBytes(r.bytesRead)} read`,
    `  Latency ms: ${latencyLine(r.latencyMs)}`,
  ];
  const codes = Object.entries(r.statusCodes);
  if (codes.length) lines.push(`  Status:     ${codes.map(([c, m]) => `${c} × ${n(m)}`).join(', ')}`);
  const errs = Object.entries(r.errorKinds);
  if (errs.length) lines.push(`  Errors:     ${errs.map(([c, m]) => `${c} × ${n(m)}`).join(', ')}`);
  return lines.join('\n') + '\n';
}

export function progressLine(s: LiveStats): string {
  if (s.warmingUp) return 'warming up…';
  const t = (s.elapsedMs / 1000).toFixed(0);
  const goal = s.goalRequests !== undefined ? ` ${n(s.total)}/${n(s.goalRequests)} requests` : s.goalMs ? ` ${t}/${(s.goalMs / 1000).toFixed(0)}s` : ` ${t}s`;
  return `[load]${goal}  ${f(s.rps)} req/s  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  errors ${n(s.errors)}  timeouts ${n(s.timeouts)}${s.dropped ? `  dropped ${n(s.dropped)}` : ''}`;
}
