// load --record: one point per URL per second, with the second's counts and its encoded latency
// histogram, tagged run, agent and url. Several machines recording the same run can then be added
// up exactly (load-report.ts): histograms add, percentiles do not.
import { randomBytes } from 'node:crypto';
import { escape } from '@influxdata/influxdb-client';
import { summarize, type Histogram } from './histogram.js';
import { encodeHistogram } from './histogram-codec.js';
import type { Counters } from './load-stats.js';

export const RECORD_MEASUREMENT = 'loadtest';

/** One URL's share of one second of a run. */
export interface UrlSecond {
  url: string;
  counts: Counters;
  /** Latencies (µs) of the requests answered in this second; its min and max are exact. */
  hist: Histogram;
}

export interface RecordedSecond {
  /** Epoch ms at the end of the second. */
  time: number;
  /** Its length in seconds (the last one of a run is shorter). */
  seconds: number;
  perUrl: UrlSecond[];
}

export interface RecordTags {
  run: string;
  agent: string;
  host: string;
}

/** A run name that sorts by start time and differs between machines started together. */
export function generateRunName(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(2).toString('hex')}`;
}

/** The line-protocol lines for one second: one per URL (precision ms). */
export function recordLines(tags: RecordTags, s: RecordedSecond): string[] {
  const base = `${RECORD_MEASUREMENT},agent=${escape.tag(tags.agent)},host=${escape.tag(tags.host)},run=${escape.tag(tags.run)}`;
  return s.perUrl.map(({ url, counts: k, hist }) => {
    const l = summarize(hist);
    const rps = Math.round(((k.ok + k.non2xx) / s.seconds) * 10) / 10;
    return (
      `${base},url=${escape.tag(url)} seconds=${s.seconds},rps=${rps},requests=${k.total}i,ok=${k.ok}i,non2xx=${k.non2xx}i,errors=${k.errors}i,timeouts=${k.timeouts}i,` +
      `p50=${l.p50},p90=${l.p90},p99=${l.p99},p999=${l.p999},max=${l.max},min=${l.min},mean=${l.mean},hist=${escape.quoted(encodeHistogram(hist))} ${s.time}`
    );
  });
}
