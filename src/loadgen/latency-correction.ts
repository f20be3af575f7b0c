// --latency-correction: wrk's correction of the closed model's latencies, for figures that compare
// with wrk's own. In the closed model a slow answer holds back its connection's next requests, and
// their wait counts nowhere. wrk adds a sample for each request held back (wrk.c, stats_correct),
// spaced by how long a connection took per request on average over the run.
import { decodeHistogram } from './hdr-histogram.js';
import { encodeHistogram, summarize, type Histogram, type LatencySummary } from './histogram.js';
import type { LoadReport } from './load-stats.js';

/** The run's latencies (and each URL's) with wrk's correction, and the run's corrected histogram (µs). */
export function correctLatencies(r: LoadReport): { report: LoadReport; hist?: Histogram } {
  const answered = r.requests.ok + r.requests.non2xx;
  // As wrk: the run's length over the requests each connection had answered.
  const intervalUs = answered ? Math.round((r.durationS * 1e6) / (answered / r.connections)) : 0;
  const correct = (encoded: string | undefined, l: LatencySummary): { hist?: Histogram; latencyMs: LatencySummary; histogram?: string } => {
    if (!encoded || !intervalUs) return { latencyMs: l, histogram: encoded };
    const measured = decodeHistogram(encoded);
    const hist = measured.withOmittedRequests(intervalUs);
    // The measured extremes are exact where the decoded buckets are not; an added sample may lie below the smallest.
    const minUs = Math.min(Math.round(l.min * 1000), hist.minNonZeroValue);
    return { hist, latencyMs: summarize(hist, { minUs, maxUs: Math.round(l.max * 1000) }), histogram: encodeHistogram(hist) };
  };
  const run = correct(r.histogram, r.latencyMs);
  const added = run.hist ? run.hist.totalCount - answered : 0;
  return {
    hist: run.hist,
    report: {
      ...r,
      latencyMs: run.latencyMs,
      histogram: run.histogram,
      perUrl: r.perUrl.map((u) => {
        const { latencyMs, histogram } = correct(u.histogram, u.latencyMs);
        return { ...u, latencyMs, histogram };
      }),
      latencyCorrection: { intervalMs: intervalUs / 1000, added },
    },
  };
}
