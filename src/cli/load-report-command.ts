// `influxsh load report RUN`: exact figures of a recorded run (every agent's seconds merged),
// optionally over a window and compared with another run.
import { UserError } from './errors.js';
import { connectionFromOptions, type CliOptions } from './connect.js';
import { parseDuration } from '../connection/settings.js';
import { loadRunReport, type ReportQuery } from '../loadgen/load-report.js';
import { reportJson } from '../loadgen/report.js';
import { comparison, formatComparison, formatRunReport } from '../loadgen/load-report-text.js';
import { forTerminal } from '../format/wrap.js';

export interface LoadReportCommandOptions extends CliOptions {
  compare?: string;
  json?: boolean;
  start?: string;
  end?: string;
}

/** RFC3339, `now`, or a duration ago (10m). */
export function parseInstant(v: string, name: string, now = Date.now()): number {
  const s = v.trim();
  if (s === 'now') return now;
  const ago = /^\d+(\.\d+)?(ms|s|m|h)?$/.test(s) ? parseDuration(s) : undefined;
  const t = ago !== undefined ? now - ago : /^\d{4}-\d\d-\d\d/.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(t)) throw new UserError(`invalid ${name} "${v}": use RFC3339 (2026-12-04T20:00:00Z), now, or a duration ago (10m)`, 2);
  return t;
}

export async function runLoadReportCommand(run: string, o: LoadReportCommandOptions): Promise<number> {
  if (!run.trim()) throw new UserError('load report needs a run name (load --record prints it at start)', 2);
  const startMs = o.start !== undefined ? parseInstant(o.start, '--start') : undefined;
  const endMs = o.end !== undefined ? parseInstant(o.end, '--end') : undefined;
  if (startMs !== undefined && endMs !== undefined && startMs > endMs) throw new UserError(`--start is after --end`, 2);
  const conn = await connectionFromOptions(o);
  try {
    const q: ReportQuery = { database: o.database ?? 'loadtest', retentionPolicy: o.retentionPolicy, run, startMs, endMs };
    const report = await loadRunReport(conn, q);
    if (o.compare === undefined) {
      process.stdout.write(o.json ? reportJson(report) : forTerminal(formatRunReport(report), process.stdout));
      return 0;
    }
    const other = await loadRunReport(conn, { ...q, run: o.compare });
    if (o.json) process.stdout.write(reportJson({ run: report, compare: other, changePercent: comparison(report, other) }));
    else process.stdout.write(forTerminal(formatRunReport(report) + formatRunReport(other) + formatComparison(report, other), process.stdout));
    return 0;
  } finally {
    conn.close();
  }
}
