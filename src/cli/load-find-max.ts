// `load --find-max COND`: the search's progress on stderr (one line a step) and its result on
// stdout. Exit 0 when some rate held, 1 when none did.
import { findMax, type FindMaxStep } from '../loadgen/find-max.js';
import type { Threshold } from '../loadgen/thresholds.js';
import type { LoadReport } from '../loadgen/load-stats.js';
import { EXIT_FAILURE, EXIT_OK } from './errors.js';
import { reportJson } from '../loadgen/report.js';
import { grouped as n } from '../format/numbers.js';

const stepLine = (s: FindMaxStep, i: number): string => `  step ${i + 1}: ${n(s.rate)} req/s ${s.held ? 'held  ' : 'broke '} (${s.note}; ${n(s.report.requests.total)} requests)`;

export async function runFindMax(condition: Threshold, startRate: number, runStep: (rate: number) => Promise<LoadReport>, json: boolean): Promise<number> {
  process.stderr.write(`finding the highest rate that holds ${condition.text}, from ${n(startRate)} req/s\n`);
  let i = 0;
  const result = await findMax({ condition, startRate, runStep, onStep: (s) => process.stderr.write(stepLine(s, i++) + '\n') });
  if (json) {
    const steps = result.steps.map((s) => ({ rate: s.rate, held: s.held, note: s.note, achievedRate: s.report.achievedRate, requests: s.report.requests, latencyMs: s.report.latencyMs }));
    process.stdout.write(reportJson({ findMax: { condition: result.condition, highestRate: result.highestRate ?? null, steps } }));
  } else {
    const lines = [`Find max: the highest rate that held ${result.condition}`, ...result.steps.map(stepLine)];
    lines.push(result.highestRate === undefined ? '  No rate held.' : `  Highest rate that held: ${n(result.highestRate)} req/s`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return result.highestRate === undefined ? EXIT_FAILURE : EXIT_OK;
}
