// load --record: one point per URL per second, with the second's counts and its encoded latency
// histogram, tagged run, agent and url. Several machines recording the same run can then be added
// up exactly (load-report.ts): histograms add, percentiles do not.
import { randomBytes } from 'node:crypto';
import { escape } from '@influxdata/influxdb-client';
import { decodeHistogram } from './hdr-histogram.js';
import { encodeHistogram, hasLatencies, MergedHistogram } from './histogram.js';
import { zeroCounters, type Counters, type UrlSecond } from './load-stats.js';

export const RECORD_MEASUREMENT = 'loadtest';

export interface RecordedSecond {
  /** Epoch ms at the end of the second. */
  time: number;
  /** Its length in seconds (the last one of a run is shorter). */
  seconds: number;
  perUrl?: UrlSecond[];
}

export interface RecordTags {
  run: string;
  agent: string;
  host: string;
}

/** A run name that sorts by start time and differs between machines started together. */
export function generateRunName(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/**
 * Stamps one agent's seconds with strictly increasing times. InfluxDB keeps one point per series
 * and timestamp, so a second stamped with its predecessor's millisecond (a short last second, or
 * threads' seconds merged to the same end) would silently replace it.
 */
export function increasingTimes(): (time: number) => number {
  let last = -Infinity;
  return (time) => (last = Math.max(Math.round(time), last + 1));
}

/** The line-protocol lines for one second: one per URL (precision ms). */
export function recordLines(tags: RecordTags, s: RecordedSecond): string[] {
  const base = `${RECORD_MEASUREMENT},agent=${escape.tag(tags.agent)},host=${escape.tag(tags.host)},run=${escape.tag(tags.run)}`;
  return (s.perUrl ?? []).map(({ url, counts: k, hist, minUs, maxUs }) => {
    const m = new MergedHistogram();
    m.add(decodeHistogram(hist), minUs, maxUs);
    const l = m.summary();
    const rps = Math.round(((k.ok + k.non2xx) / s.seconds) * 10) / 10;
    // A second in which nothing answered has no latency fields: a stored 0 would pull down every mean of p99 over the run.
    const latencies = hasLatencies(l) ? `p50=${l.p50},p90=${l.p90},p99=${l.p99},p999=${l.p999},max=${l.max},min=${l.min},mean=${l.mean},` : '';
    return (
      `${base},url=${escape.tag(url)} seconds=${s.seconds},rps=${rps},requests=${k.total}i,ok=${k.ok}i,non2xx=${k.non2xx}i,errors=${k.errors}i,timeouts=${k.timeouts}i,` +
      `${latencies}hist=${escape.quoted(hist)} ${s.time}`
    );
  });
}

/** Several threads' shares of the same second, added up per URL. */
export function mergeUrlSeconds(lists: UrlSecond[][]): UrlSecond[] {
  const byUrl = new Map<string, { counts: Counters; merged: MergedHistogram }>();
  for (const list of lists) {
    for (const u of list) {
      let m = byUrl.get(u.url);
      if (!m) byUrl.set(u.url, (m = { counts: zeroCounters(), merged: new MergedHistogram() }));
      for (const k of Object.keys(m.counts) as (keyof Counters)[]) m.counts[k] += u.counts[k];
      m.merged.add(decodeHistogram(u.hist), u.minUs, u.maxUs);
    }
  }
  return [...byUrl].map(([url, { counts, merged }]) => ({ url, counts, hist: encodeHistogram(merged.hist), ...merged.bounds() }));
}
