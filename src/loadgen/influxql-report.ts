// `load --influxql` as text: totals, then each statement's time to first chunk and to the end.
import { latencyLine } from './report.js';
import type { Counters } from './load-stats.js';
import type { InfluxqlReport } from './influxql-load.js';
import { fixed as f, grouped as n } from '../format/numbers.js';

function counts(k: Counters): string {
  return `${n(k.total)} total, ${n(k.ok)} ok, ${n(k.non2xx)} HTTP errors, ${n(k.errors)} failed (query or connection), ${n(k.timeouts)} timeouts`;
}

export function formatInfluxqlReport(r: InfluxqlReport, server: string): string {
  const model =
    r.model === 'open' ? `open model at ${n(r.rate!)} queries/s (latency from each query's intended start), at most ${r.concurrency} at once` : `closed model, ${r.concurrency} concurrent queries`;
  const lines = [
    `InfluxQL load on ${server}: ${r.statements.length} statement${r.statements.length === 1 ? '' : 's'}, ${model}${r.interrupted ? ', interrupted' : ''}`,
    `  Queries:    ${counts(r.requests)}`,
    `  Throughput: ${f(r.rps)} queries/s over ${f(r.durationS, 2)}s`,
    `  Total ms:       ${latencyLine(r.latencyMs)}`,
    `  First chunk ms: ${latencyLine(r.firstChunkMs)}`,
  ];
  if (r.requests.timeouts) lines.push(`  Timed out:  ${n(r.kills.killed)} killed with KILL QUERY, ${n(r.kills.notFound)} no longer running, ${n(r.kills.failed)} kills failed`);
  for (const s of r.statements) {
    lines.push(
      `  ${s.statement}${s.database ? `   (database ${s.database})` : ''}`,
      `    ${counts(s.requests)}`,
      `    total ms:       ${latencyLine(s.latencyMs)}`,
      `    first chunk ms: ${latencyLine(s.firstChunkMs)}`,
    );
  }
  const errs = Object.entries(r.errorKinds);
  if (errs.length) lines.push(`  Errors:     ${errs.map(([c, m]) => `${c} × ${n(m)}`).join(', ')}`);
  return lines.join('\n') + '\n';
}
