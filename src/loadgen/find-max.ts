// `load --find-max 'p99<50ms'`: runs steps at rising rates until the condition breaks, then
// narrows in between the last rate that held and the first that broke. A step holds when the
// condition holds and the rate was achieved (a rate that could not be sent did not hold).
import { checkThresholds, thresholdFigures, type Threshold } from './thresholds.js';
import type { LoadReport } from './load-stats.js';

export interface FindMaxStep {
  rate: number;
  held: boolean;
  /** Why it broke, or the figures it held with. */
  note: string;
  report: LoadReport;
}

export interface FindMaxResult {
  condition: string;
  /** The highest rate that held; undefined when even the first did not. */
  highestRate?: number;
  steps: FindMaxStep[];
}

export interface FindMaxOptions {
  condition: Threshold;
  startRate: number;
  /** Runs one step at `rate`; the search stops early when it resolves with an interrupted report. */
  runStep: (rate: number) => Promise<LoadReport>;
  onStep?: (s: FindMaxStep) => void;
  /** Stop narrowing once the gap is under this share of the rate that held (default 5 %). */
  precision?: number;
  maxSteps?: number;
}

export async function findMax(o: FindMaxOptions): Promise<FindMaxResult> {
  const steps: FindMaxStep[] = [];
  const precision = o.precision ?? 0.05;
  const maxSteps = o.maxSteps ?? 16;
  let good: number | undefined;
  let bad: number | undefined;
  let rate = o.startRate;
  while (steps.length < maxSteps) {
    const report = await o.runStep(rate);
    const verdict = checkThresholds([o.condition], report)[0]!;
    const held = verdict.ok && !report.shortfall;
    const note = report.shortfall ? `rate not achieved: ${report.achievedRate} of ${rate} req/s sent` : thresholdFigures(verdict);
    const step = { rate, held, note, report };
    steps.push(step);
    o.onStep?.(step);
    if (report.interrupted) break;
    if (held) good = rate;
    else bad = rate;
    // Double until something breaks, then halve the gap.
    const next = bad === undefined ? rate * 2 : good === undefined ? rate / 2 : (good + bad) / 2;
    if (good === undefined && next < 1) break;
    if (good !== undefined && bad !== undefined && (bad - good) / good < precision) break;
    rate = Math.round(next);
  }
  return { condition: o.condition.text, highestRate: good, steps };
}
