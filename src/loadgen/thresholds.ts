// Pass/fail conditions on a load run's report for CI (`--threshold 'p99<50ms'`), written in the
// condition language of watch's --alert, with units: `ms`/`s` on latencies, `%` on counts
// (`errors<1%` compares errors as a share of all requests).
import { ConditionError, conditionColumns, evaluate, parseCondition, type Condition } from '../watch/alert.js';
import { TrafficError } from './errors.js';
import type { LoadReport } from './load-stats.js';
import { hasLatencies, NO_LATENCIES } from './histogram.js';

export interface Threshold {
  text: string;
  condition: Condition;
}

export interface ThresholdResult {
  threshold: string;
  ok: boolean;
  /** The figures it compared, by metric name; null for a latency where nothing answered. */
  values: Record<string, number | null>;
}

const LATENCIES = ['p50', 'p90', 'p99', 'p999', 'max', 'mean', 'min'] as const;
const isLatency = (name: string): boolean => (LATENCIES as readonly string[]).includes(name);
const COUNTS = ['requests', 'ok', 'non2xx', 'errors', 'timeouts', 'failed'] as const;
export const THRESHOLD_METRICS = [...LATENCIES.map((m) => `${m} (ms)`), 'rps', ...COUNTS, ...COUNTS.map((c) => `${c}%`)];

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const OP = String.raw`(<=|>=|==|!=|<|>|=)`;

/** `p99<50ms` → `p99 < 50`; `p99 < 1.5s` → `p99 < 1500`; `errors<1%` → `errors_percent < 1`; `p99.9` → `p999`. */
function normalize(text: string): string {
  return text
    .replace(new RegExp(String.raw`\b([A-Za-z_][\w.]*)\s*${OP}\s*${NUMBER}\s*%`, 'g'), '$1_percent $2 $3')
    .replace(new RegExp(String.raw`${NUMBER}\s*ms\b`, 'g'), '$1')
    .replace(new RegExp(String.raw`${NUMBER}\s*s\b`, 'g'), (_m, n: string) => String(Number(n) * 1000))
    .replace(/\bp99\.9\b/g, 'p999');
}

export function parseThreshold(text: string, flag = '--threshold'): Threshold {
  let condition: Condition;
  try {
    condition = parseCondition(normalize(text));
  } catch (e) {
    if (e instanceof ConditionError)
      throw new TrafficError(
        `invalid ${flag} "${text}": ${e.message.replace(/^alert condition "[^"]*": /, '').replace(/'mean > 0\.5' or 'value >= 10 and max < 3'/, "'p99<50ms', 'errors<1%' or 'rps>1000'")}`,
        true,
      );
    throw e;
  }
  const unknown = conditionColumns(condition).filter((c) => !(c in thresholdValues(EMPTY)));
  if (unknown.length) throw new TrafficError(`invalid ${flag} "${text}": unknown figure "${unknown[0]!.replace(/_percent$/, '%')}"; use ${THRESHOLD_METRICS.join(', ')}`, true);
  return { text, condition };
}

const EMPTY = { rps: 0, requests: { total: 0, ok: 0, non2xx: 0, errors: 0, timeouts: 0 }, latencyMs: NO_LATENCIES } as LoadReport;

/** The figures thresholds can name, from a report. */
export function thresholdValues(r: Pick<LoadReport, 'rps' | 'requests' | 'latencyMs'>): Record<string, { value: number }> {
  const k = r.requests;
  const counts = { requests: k.total, ok: k.ok, non2xx: k.non2xx, errors: k.errors, timeouts: k.timeouts, failed: k.non2xx + k.errors + k.timeouts };
  const v: Record<string, { value: number }> = { rps: { value: r.rps } };
  for (const m of LATENCIES) v[m] = { value: r.latencyMs[m] };
  for (const [name, n] of Object.entries(counts)) {
    v[name] = { value: n };
    v[`${name}_percent`] = { value: k.total ? (100 * n) / k.total : 0 };
  }
  return v;
}

export function checkThresholds(ts: Threshold[], r: LoadReport): ThresholdResult[] {
  const values = thresholdValues(r);
  const latencies = hasLatencies(r.latencyMs);
  return ts.map((t) => {
    const columns = conditionColumns(t.condition);
    // With no answers, a latency compared is none at all (not 0 ms), and the threshold cannot hold.
    const missing = (c: string): boolean => !latencies && isLatency(c);
    return {
      threshold: t.text,
      // A run with no requests breaks every threshold: nothing was shown to hold.
      ok: r.requests.total > 0 && !columns.some(missing) && evaluate(t.condition, values) === true,
      values: Object.fromEntries(columns.map((c) => [c.replace(/_percent$/, '%'), missing(c) ? null : Math.round(values[c]!.value * 1000) / 1000])),
    };
  });
}

/** `p99 = 73.2 ms, errors% = 0.5` for a result line. */
export function thresholdFigures(t: ThresholdResult): string {
  return Object.entries(t.values)
    .map(([k, v]) => (v === null ? `${k}: none, nothing answered` : `${k} = ${v}${isLatency(k) ? ' ms' : ''}`))
    .join(', ');
}
