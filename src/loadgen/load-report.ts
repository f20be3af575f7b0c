// `load report RUN`: reads the seconds one or more agents recorded for a run (record.ts), adds
// their histograms and counts, and gives exact figures for the whole run, each agent and each
// URL, over any window of whole seconds.
import type { InfluxHttp } from '../connection/http.js';
import { executeQuery } from '../query/execute.js';
import { decodeHistogram } from './hdr-histogram.js';
import { encodeHistogram, MergedHistogram, type Histogram, type LatencySummary } from './histogram.js';
import { zeroCounters, type Counters } from './load-stats.js';
import { RECORD_MEASUREMENT } from './record.js';
import { TrafficError } from './errors.js';

export interface WindowFigures {
  requests: Counters;
  /** Answered requests (2xx and others) per second over the span of the seconds read. */
  rps: number;
  durationS: number;
  latencyMs: LatencySummary;
  /** The merged histogram (µs), encoded as `load --json` encodes its own. */
  histogram: string;
}

export interface RunReport extends WindowFigures {
  run: string;
  /** The span the recorded seconds cover (RFC3339). */
  start: string;
  end: string;
  /** Recorded points read (one per agent, URL and second). */
  points: number;
  agents: (WindowFigures & { agent: string })[];
  perUrl: (WindowFigures & { url: string })[];
}

export interface ReportQuery {
  database: string;
  retentionPolicy?: string;
  run: string;
  /** Epoch ms: only seconds that end within [startMs, endMs]. */
  startMs?: number;
  endMs?: number;
}

/** Counts, histogram and time span of a set of recorded seconds. */
class Tally {
  private readonly merged = new MergedHistogram();
  private readonly counts = zeroCounters();
  first = Infinity;
  last = -Infinity;
  /** Each agent's measured time: the lengths of its seconds (one URL's, so that each is counted once). */
  private readonly measured = new Map<string, { url: string; seconds: number }>();

  add(row: Row): void {
    for (const k of Object.keys(this.counts) as (keyof Counters)[]) this.counts[k] += row.counts[k];
    this.merged.add(row.hist, row.minUs, row.maxUs);
    this.first = Math.min(this.first, row.time - row.seconds * 1000);
    this.last = Math.max(this.last, row.time);
    let m = this.measured.get(row.agent);
    if (!m) this.measured.set(row.agent, (m = { url: row.url, seconds: 0 }));
    if (m.url === row.url) m.seconds += row.seconds;
  }

  figures(): WindowFigures {
    // One agent's time is what its own clock measured, second by second, as its live report's is;
    // several agents' is the span from the first one's start to the last one's end, by the wall clock.
    const durationS = this.measured.size === 1 ? [...this.measured.values()][0]!.seconds : this.last > this.first ? (this.last - this.first) / 1000 : 0;
    const answered = this.counts.ok + this.counts.non2xx;
    return {
      requests: { ...this.counts },
      rps: durationS ? Math.round((answered / durationS) * 10) / 10 : 0,
      durationS: Math.round(durationS * 1000) / 1000,
      latencyMs: this.merged.summary(),
      histogram: encodeHistogram(this.merged.hist),
    };
  }
}

interface Row {
  agent: string;
  url: string;
  time: number;
  seconds: number;
  counts: Counters;
  hist: Histogram;
  minUs: number;
  maxUs: number;
}

const COLUMNS = ['seconds', 'requests', 'ok', 'non2xx', 'errors', 'timeouts', 'min', 'max', 'hist'];

const quoteString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const quoteIdent = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function reportQuery(q: ReportQuery): string {
  const where = [`"run" = ${quoteString(q.run)}`];
  if (q.startMs !== undefined) where.push(`time >= ${Math.floor(q.startMs)}ms`);
  if (q.endMs !== undefined) where.push(`time <= ${Math.ceil(q.endMs)}ms`);
  const from = q.retentionPolicy ? `${quoteIdent(q.database)}.${quoteIdent(q.retentionPolicy)}.${RECORD_MEASUREMENT}` : RECORD_MEASUREMENT;
  return `SELECT ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM ${from} WHERE ${where.join(' AND ')} GROUP BY "agent", "url"`;
}

/** Reads and merges a run; throws a TrafficError when it has no recorded histograms. */
export async function loadRunReport(conn: InfluxHttp, q: ReportQuery): Promise<RunReport> {
  const total = new Tally();
  const agents = new Map<string, Tally>();
  const urls = new Map<string, Tally>();
  let points = 0;
  let withoutHist = 0;
  let tags: Record<string, string> = {};
  let cols: string[] = [];
  const opts = { database: q.database, retentionPolicy: q.retentionPolicy, precision: 'ms', chunkSize: 1000 };
  for await (const e of executeQuery(conn, reportQuery(q), opts)) {
    if (e.type === 'error') throw new TrafficError(`cannot read run ${q.run}: ${e.message}`);
    if (e.type === 'series') {
      tags = e.tags ?? {};
      cols = e.columns;
    } else if (e.type === 'rows') {
      for (const cells of e.rows) {
        const v = (name: string): unknown => cells[cols.indexOf(name)];
        const num = (name: string): number => Number(v(name) ?? 0);
        if (typeof v('hist') !== 'string') {
          withoutHist++;
          continue;
        }
        let hist: Histogram;
        try {
          hist = decodeHistogram(v('hist') as string);
        } catch {
          throw new TrafficError(`run ${q.run}: a recorded histogram (agent ${tags.agent ?? '?'}, url ${tags.url ?? '?'}) cannot be decoded`);
        }
        const row: Row = {
          agent: tags.agent ?? '',
          url: tags.url ?? '',
          time: num('time'),
          seconds: num('seconds'),
          counts: { total: num('requests'), ok: num('ok'), non2xx: num('non2xx'), errors: num('errors'), timeouts: num('timeouts') },
          hist,
          minUs: Math.round(num('min') * 1000),
          maxUs: Math.round(num('max') * 1000),
        };
        total.add(row);
        points++;
        const { agent, url } = row;
        if (!agents.has(agent)) agents.set(agent, new Tally());
        if (!urls.has(url)) urls.set(url, new Tally());
        agents.get(agent)!.add(row);
        urls.get(url)!.add(row);
      }
    }
  }
  if (!points) {
    const why = withoutHist
      ? `its ${withoutHist} recorded points have no histograms (recorded by an older influxsh)`
      : `no recorded seconds${q.startMs !== undefined || q.endMs !== undefined ? ' in that window' : ''}`;
    throw new TrafficError(`run ${q.run} in database ${q.database}: ${why}${withoutHist ? '' : await knownRuns(conn, q)}`);
  }
  return {
    run: q.run,
    start: new Date(total.first).toISOString(),
    end: new Date(total.last).toISOString(),
    points,
    ...total.figures(),
    agents: [...agents].sort((a, b) => a[0].localeCompare(b[0])).map(([agent, t]) => ({ agent, ...t.figures() })),
    perUrl: [...urls].sort((a, b) => a[0].localeCompare(b[0])).map(([url, t]) => ({ url, ...t.figures() })),
  };
}

/** A hint listing the runs the database does have, newest names last. */
async function knownRuns(conn: InfluxHttp, q: ReportQuery): Promise<string> {
  const runs: string[] = [];
  try {
    for await (const e of executeQuery(conn, `SHOW TAG VALUES FROM ${RECORD_MEASUREMENT} WITH KEY = "run"`, { database: q.database })) {
      if (e.type === 'rows') for (const r of e.rows) runs.push(String(r[1]));
    }
  } catch {
    return '';
  }
  if (!runs.length) return ` (the database has no recorded runs)`;
  const shown = runs.slice(-5);
  return ` (recorded runs: ${shown.join(', ')}${runs.length > shown.length ? `, and ${runs.length - shown.length} more` : ''})`;
}
