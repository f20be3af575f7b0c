// `influxsh load`: option checks, progress (Ink on a TTY, a line every few seconds otherwise),
// the final report, and --record into InfluxDB.
import { readFileSync } from 'node:fs';
import { EXIT_THRESHOLD, UserError } from './errors.js';
import { checkThresholds, parseThreshold, thresholdFigures } from '../loadgen/thresholds.js';
import { parseDuration } from '../connection/settings.js';
import type { CliOptions } from './connect.js';
import { buildTargets } from '../loadgen/targets.js';
import { targetsFromFile } from '../loadgen/targets-file.js';
import { recordingNames, startRecording } from './load-record.js';
import { LoadRun, type LoadReport, type SecondResult } from '../loadgen/load.js';
import { ThreadedLoadRun, defaultWorkers } from '../loadgen/load-workers.js';
import { formatSpectrum, percentileSpectrum } from '../loadgen/histogram.js';
import { correctLatencies } from '../loadgen/latency-correction.js';
import { parseStages, stagesLength } from '../loadgen/load-schedule.js';
import { runFindMax } from './load-find-max.js';
import { formatLoadReport, progressLine, reportJson, thresholdLines } from '../loadgen/report.js';
import { forTerminal, note } from '../format/wrap.js';

export interface LoadCommandOptions extends CliOptions {
  connections?: string;
  duration?: string;
  requests?: string;
  rate?: string;
  timeout?: string;
  warmup?: string;
  method?: string;
  header?: string[];
  body?: string;
  json?: boolean;
  record?: boolean;
  runTag?: string;
  run?: string;
  agent?: string;
  targets?: string;
  insecure?: boolean;
  caCert?: string;
  allowShortfall?: boolean;
  workers?: string;
  threshold?: string[];
  latencyDist?: boolean;
  latencyCorrection?: boolean;
  stages?: string;
  findMax?: string;
}

export function durationOption(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const ms = parseDuration(String(v));
  if (ms === undefined) throw new UserError(`invalid ${name} "${v}": use a duration such as 10s, 500ms or 2m`, 2);
  return ms;
}

export function positiveNumber(v: string | undefined, name: string, opts: { integer?: boolean; allowZero?: boolean } = {}): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  const ok = Number.isFinite(x) && (opts.allowZero ? x >= 0 : x > 0) && (!opts.integer || Number.isSafeInteger(x));
  if (!ok || String(v).trim() === '') throw new UserError(`invalid ${name} "${v}": expected a ${opts.integer ? 'whole ' : ''}number${opts.allowZero ? '' : ' above 0'}`, 2);
  return x;
}

export async function runLoadCommand(urls: string[], o: LoadCommandOptions): Promise<number> {
  if (o.targets !== undefined && urls.length) throw new UserError('give target URLs or --targets FILE, not both', 2);
  const targets = o.targets !== undefined ? targetsFromFile(o.targets, o.header) : buildTargets(urls, { method: o.method, headers: o.header, body: o.body });
  recordingNames(o);
  const stages = o.stages === undefined ? undefined : parseStages(o.stages, (d) => parseDuration(d));
  if (o.stages !== undefined && !stages) throw new UserError(`invalid --stages "${o.stages}": use duration:target,… such as 30s:100,1m:500,30s:0`, 2);
  const requests = positiveNumber(o.requests, '--requests', { integer: true });
  if (stages && requests !== undefined) throw new UserError('--stages and --requests do not go together: the stages set the run length', 2);
  // With stages, --rate is the rate they ramp from (0 allowed); without --rate the stages ramp connections.
  const rate = positiveNumber(o.rate, '--rate', { allowZero: stages !== undefined });
  const peak = stages && rate === undefined ? Math.ceil(Math.max(...stages.map((s) => s.target))) : 0;
  const connections = positiveNumber(o.connections, '--connections', { integer: true }) ?? Math.max(10, peak);
  if (connections < peak) throw new UserError(`--stages ramps to ${peak} connections but --connections is ${connections}`, 2);
  const durationMs = stages ? stagesLength(stages) : durationOption(o.duration, '--duration', 10_000);
  if (durationMs <= 0) throw new UserError('--duration must be above 0', 2);
  const timeoutMs = durationOption(o.timeout, '--timeout', 10_000); // 0 = no timeout
  const warmupMs = durationOption(o.warmup, '--warmup', 0);
  // Each connection keeps to one origin: fewer connections than origins would leave one unloaded.
  const origins = new Set(targets.map((t) => t.origin));
  if (connections < origins.size)
    throw new UserError(`--connections ${connections} is fewer than the ${origins.size} origins (host:port) of the URLs: each origin needs a connection of its own; use -c ${origins.size} or more`, 2);
  const ca = targets.some((t) => t.tls) && o.caCert ? readCa(o.caCert) : undefined;
  const thresholds = (o.threshold ?? []).map((t) => parseThreshold(t));
  const findMaxCondition = o.findMax === undefined ? undefined : parseThreshold(o.findMax, '--find-max');
  if (findMaxCondition && (stages || requests !== undefined)) throw new UserError('--find-max runs steps of -d each at rising rates: it does not go with --stages or --requests', 2);
  if (o.latencyCorrection && (rate !== undefined || stages || findMaxCondition))
    throw new UserError(
      `--latency-correction is for the closed model at a fixed number of connections: ${rate !== undefined || findMaxCondition ? "the open model's latencies already count from each request's intended send time" : '--stages changes the connections in use'}`,
      2,
    );
  const workers = positiveNumber(o.workers, '--workers', { integer: true }) ?? defaultWorkers(connections, origins.size, requests);
  if (workers * origins.size > connections)
    throw new UserError(`--workers ${workers} needs at least ${workers * origins.size} connections (each thread keeps one per origin); use -c ${workers * origins.size} or fewer workers`, 2);
  if (requests !== undefined && workers > requests) throw new UserError(`--workers ${workers} is more than the ${requests} requests to send`, 2);

  const recording = o.record ? await startRecording(o) : undefined;

  const ac = new AbortController();
  const onSignal = (): void => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const seconds: Omit<SecondResult, 'perUrl'>[] = [];
  const onSecond = (s: SecondResult): void => {
    const { perUrl: _perUrl, ...figures } = s; // the per-URL histograms are for --record
    seconds.push(figures);
    recording?.onSecond(s);
  };
  const options = { connections, durationMs, requests, rate, stages, timeoutMs, warmupMs, verifyTls: !o.insecure, ca, perUrlSeconds: !!recording };
  const makeRun = (r = rate, signal = ac.signal): ThreadedLoadRun | LoadRun =>
    workers > 1
      ? new ThreadedLoadRun({ job: { urls, targetsFile: o.targets, shape: { method: o.method, headers: o.header, body: o.body }, options: { ...options, rate: r } }, workers, signal, onSecond })
      : new LoadRun({ ...options, rate: r, targets, signal, onSecond });
  if (findMaxCondition) {
    let code = 1;
    try {
      code = await runFindMax(findMaxCondition, rate ?? 100, (r) => makeRun(r).run(), !!o.json);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // Points lost on the way into InfluxDB fail the run, as a failed request does.
      if ((await recording?.close()) && code === 0) code = 1;
    }
    return code;
  }
  const run = makeRun();

  let stopView: (() => void) | undefined;
  let ticker: NodeJS.Timeout | undefined;
  if (process.stderr.isTTY) {
    const { showLoadView } = await import('../ui/load-view.js');
    stopView = showLoadView(() => run.snapshot(), process.stderr, o.latencyCorrection ? "p50 and p99 as measured; the report adds wrk's correction" : undefined);
  } else {
    ticker = setInterval(() => process.stderr.write(progressLine(run.snapshot()) + '\n'), 5000);
    ticker.unref();
  }
  let report: LoadReport;
  try {
    report = await run.run();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (ticker) clearInterval(ticker);
    stopView?.();
  }
  let hist = run.latencyHistogram();
  if (o.latencyCorrection) {
    const corrected = correctLatencies(report);
    report = corrected.report;
    if (corrected.hist) hist = corrected.hist;
  }
  const verdicts = checkThresholds(thresholds, report);
  // Merged threads' histograms know the largest latency only to its bucket; the report has it exactly.
  const maxUs = Math.round(report.latencyMs.max * 1000);
  if (o.json) {
    const extra = { seconds, ...(o.latencyDist ? { latencyDistribution: percentileSpectrum(hist, maxUs) } : {}), ...(verdicts.length ? { thresholds: verdicts } : {}) };
    process.stdout.write(reportJson({ ...report, ...extra }));
  } else process.stdout.write(forTerminal(formatLoadReport(report) + thresholdLines(verdicts) + (o.latencyDist ? formatSpectrum(hist, maxUs) : ''), process.stdout));
  const lost = (await recording?.close()) ?? 0;
  const k = report.requests;
  if (k.total === 0) process.stderr.write('no request completed\n');
  const tlsErrors = Object.keys(report.errorKinds).filter((e) => /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS/.test(e));
  if (tlsErrors.length) note(`TLS certificate not trusted (${tlsErrors[0]}): pass --ca-cert FILE, or --insecure to skip verification (not secure)`);
  const broken = verdicts.filter((v) => !v.ok);
  for (const b of broken) note(`threshold broken: ${b.threshold} (${thresholdFigures(b)})`);
  if (broken.length) return EXIT_THRESHOLD;
  if (report.shortfall && !report.interrupted) {
    const pct = Math.round((report.achievedRate! / report.rate!) * 100);
    note(`target rate not achieved: ${report.achievedRate} of ${report.rate} req/s sent (${pct} %); latency includes the wait${o.allowShortfall ? '' : ' (--allow-shortfall exits 0 anyway)'}`);
    if (!o.allowShortfall) return 1;
  }
  return k.errors > 0 || k.timeouts > 0 || k.total === 0 || lost > 0 ? 1 : 0;
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UserError(`cannot read --ca-cert ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
}
