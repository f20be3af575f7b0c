// Commander definitions for the traffic subcommands (service, load, simulate, collect). Only
// the definitions load eagerly; each action imports its module when it runs.
import type { Command } from 'commander';

type WithConnection = (cmd: Command) => Command;
const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerTrafficCommands(program: Command, withConnectionOptions: WithConnection): void {
  // Root options (--database, --timeout, --pps, …) are parsed by the root even after the
  // subcommand name, so actions read optsWithGlobals(); defaults are applied in code.
  const service = withConnectionOptions(program.command('service'))
    .description('run the sample service (Service A) and record a point per request in InfluxDB')
    .option('--listen <host:port>', 'address to serve on (default 127.0.0.1:8080)')
    .option('--database <db>', 'database for the metrics (default service; created when missing)')
    .option('--retention-policy <rp>', 'retention policy for the metrics')
    .option('--measurement <name>', 'measurement for the metrics (default serviceA)')
    .option('--no-metrics', 'serve without writing metrics')
    .option('--batch-size <n>', 'points per write (default 20000)')
    .option('--flush-interval <duration>', 'write what is pending at least this often (default 1s)')
    .option('--buffer <n>', 'most points held while InfluxDB is unavailable (default 100000)')
    .option('--shutdown-timeout <duration>', 'on SIGINT/SIGTERM, keep trying to flush for this long (default 10s)');
  service.action(async function (this: Command) {
    const { runServiceCommand } = await import('./service-command.js');
    process.exitCode = await runServiceCommand(this.optsWithGlobals());
  });

  const load = withConnectionOptions(program.command('load'))
    .description('HTTP load generator (default targets: the sample service on 127.0.0.1:8080)')
    .argument('[url...]', 'target URLs, requested in turn')
    .option('-c, --connections <n>', 'concurrent connections (default 10)')
    .option('-d, --duration <duration>', 'measured run length (default 10s)')
    .option('-n, --requests <n>', 'stop after this many requests instead of a duration')
    .option('-R, --rate <r>', "open model: this many requests per second, latency from each one's intended send time")
    .option('--stages <spec>', 'ramps such as 30s:100,1m:500,30s:0: of the rate with --rate (the rate to start from), else of the connections in use')
    .option('--find-max <condition>', "step the rate up (from --rate, default 100; each step -d long) until the condition such as 'p99<50ms' breaks; report the highest rate that held")
    .option('--warmup <duration>', 'load for this long before measuring (connections are always set up first)')
    .option('--workers <n>', `threads, each with its share of the connections and rate (default: the cores, at most 8)`)
    .option('--allow-shortfall', 'with --rate, exit 0 even when requests could go out at under 95% of the rate')
    .option('--insecure', 'https targets: do not verify the certificate (not secure; --ca-cert FILE trusts a CA instead)')
    .option('-m, --method <method>', 'HTTP method (default GET)')
    .option('-H, --header <header>', 'extra request header "Name: value" (repeatable)', collect)
    .option('--body <text>', 'request body, or @file')
    .option('--targets <file>', "requests to send in turn, one block each: METHOD URL, header lines, @body-file (vegeta's format)")
    .option('--influxql <file>', 'load InfluxDB itself: replay these InfluxQL statements against /query (per statement: time to first chunk and total; KILL QUERY on --timeout)')
    .option('--json', 'print the report as JSON (with each second\'s figures in "seconds" and the encoded latency histograms)')
    .option('--latency-dist', 'also print the HDR percentile spectrum (as wrk2 -L does)')
    .option('--latency-correction', "closed model: add wrk's samples for the requests a slow answer held back, for figures that compare with wrk's")
    .option('--threshold <condition>', "pass/fail condition such as 'p99<50ms', 'errors<1%', 'rps>1000' (repeatable); a broken one exits 99", collect)
    .option('--record', "write each second's counts and latency histogram per URL to InfluxDB (measurement loadtest)")
    .option('--run <name>', 'with --record: the run to record into; agents on several machines share one by name (default: a new name, printed)')
    .option('--agent <name>', "with --record: this agent's name in the run (default: the host name)")
    .option('--database <db>', 'database for --record (default loadtest)')
    .option('--retention-policy <rp>', 'retention policy for --record');
  const timeout = load.options.find((x) => x.long === '--timeout');
  if (timeout) timeout.description = 'per-request timeout for the targets (default 10s, 0 = none; with --rate from the intended send time)';
  load.action(async function (this: Command, urls: string[]) {
    const o = this.optsWithGlobals();
    if (o.influxql !== undefined) {
      const { runInfluxqlLoadCommand } = await import('./influxql-load-command.js');
      process.exitCode = await runInfluxqlLoadCommand(urls, o);
      return;
    }
    const { runLoadCommand } = await import('./load-command.js');
    process.exitCode = await runLoadCommand(urls, o);
  });
  withConnectionOptions(load.command('report'))
    .description("exact figures of a run recorded with load --record: every agent's histograms added up")
    .argument('<run>', 'the run name load --record printed')
    .option('--compare <run>', 'also read this run and show the change of each figure')
    .option('--start <time>', 'only seconds ending at or after this time (RFC3339, now, or a duration ago such as 10m)')
    .option('--end <time>', 'only seconds ending at or before this time')
    .option('--json', 'print the report as JSON')
    .option('--database <db>', 'database the run was recorded in (default loadtest)')
    .option('--retention-policy <rp>', 'its retention policy')
    .action(async function (this: Command, run: string) {
      const { runLoadReportCommand } = await import('./load-report-command.js');
      process.exitCode = await runLoadReportCommand(run, this.optsWithGlobals());
    });

  const simulate = withConnectionOptions(program.command('simulate'))
    .description('write synthetic points straight to InfluxDB (by default serviceA points)')
    .option('--database <db>', 'target database (default service; created when missing)')
    .option('--retention-policy <rp>', 'retention policy')
    .option('--measurement <name>', 'measurement (default serviceA)')
    .option('--tags <spec>', 'tag keys and cardinalities, e.g. host=10,url=2 (the default)')
    .option('--fields <spec>', 'fields as name[:float|int|string|bool], e.g. latency,num_requests (the default)')
    .option('-n, --points <n>', 'points to write (default 100000 unless --duration)')
    .option('-d, --duration <duration>', 'write for this long instead of a point count')
    .option('--pps <r>', 'at most this many points per second (default unlimited)')
    .option('--batch-size <n>', 'points per write (default 5000)')
    .option('--concurrency <n>', 'writes in flight (default 4)')
    .option('--start <time>', 'backfill: spread timestamps from this time (RFC3339 or a duration ago, e.g. 24h) to now')
    .option('--gzip', 'gzip each batch')
    .option('--json', 'print the report as JSON');
  simulate.action(async function (this: Command) {
    const { runSimulateCommand } = await import('./simulate-command.js');
    process.exitCode = await runSimulateCommand(this.optsWithGlobals());
  });

  const collectCmd = withConnectionOptions(program.command('collect'))
    .description("sample this host's cpu, disk, diskio, kernel, mem, processes, swap and system and write them in Telegraf's schema")
    .option('--interval <duration>', 'sampling interval (default 10s)')
    .option('-d, --duration <duration>', 'stop after this long (default: run until stopped)')
    .option('--database <db>', 'target database (default telegraf; created when missing)')
    .option('--retention-policy <rp>', 'retention policy')
    .option('--buffer <n>', 'most points held while InfluxDB is unavailable (default 100000)')
    .option('--tag <key=value>', 'global tag added to every point (repeatable)', collect);
  collectCmd.action(async function (this: Command) {
    const { runCollectCommand } = await import('./collect-command.js');
    process.exitCode = await runCollectCommand(this.optsWithGlobals());
  });
}
