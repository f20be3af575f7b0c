// `influxsh demo` (npm run demo): a private server with sample data, a few sample queries, then
// the shell on a TTY.
import { Runner, stdioIO } from '../core/runner.js';
import { commands } from './registry.js';
import type { Session } from '../core/session.js';
import { writeLineProtocol } from '../write/write.js';
import { connectionFromOptions, validateQueryOptions, type CliOptions } from './connect.js';
import { UserError } from './errors.js';
import { sayLocalKeepsRunning } from './local-command.js';
import { forTerminal, wrapWords } from '../format/wrap.js';

export const DEMO_DATABASE = 'service';

/**
 * Synthetic Service A points for the last `minutes` minutes (0.06-0.35 ms), on the scale the live
 * service records: measured 2026-12 on the 2-core dev machine, a median of ~0.02 ms at 1
 * connection, ~0.2 ms at 10, and 0.25-0.4 ms at the demo's own 200 req/s on a busy machine.
 */
export function sampleServicePoints(now: number, minutes = 15): string {
  const lines: string[] = [];
  const urls = ['/api/hello', '/api/world'];
  const hosts = ['web-1', 'web-2'];
  for (let t = now - minutes * 60_000; t < now; t += 2_000) {
    for (const host of hosts) {
      for (const url of urls) {
        const wave = 1 + 0.5 * Math.sin(t / 60_000);
        const latency = (url === '/api/hello' ? 0.12 : 0.15) * wave + ((t / 2_000) % 7) * 0.02;
        lines.push(`serviceA,host=${host},url=${url} latency=${latency.toFixed(3)},num_requests=1 ${t}`);
      }
    }
  }
  return lines.join('\n');
}

export const DEMO_QUERIES = [
  'SHOW DATABASES',
  `use ${DEMO_DATABASE}`,
  'SHOW MEASUREMENTS',
  'SHOW TAG VALUES FROM serviceA WITH KEY = "url"',
  'SELECT count(num_requests) AS requests, mean(latency) AS mean_ms, max(latency) AS max_ms FROM serviceA WHERE time > now() - 15m GROUP BY url',
  'SELECT mean(latency) FROM serviceA WHERE time > now() - 5m GROUP BY time(1m), url',
  'SELECT sum(num_requests) AS live_requests FROM serviceA WHERE time > now() - 1m GROUP BY host, url',
  'SELECT last(used_percent) AS mem_used_percent FROM telegraf..mem',
];

/** What the demo suggests in the shell, each short enough for an 80-column terminal with its indent. */
export const TRY = [
  'SELECT mean(latency) FROM serviceA WHERE time > now() - 5m GROUP BY time(10s)',
  'format chart    (then ↑ and Enter: the same query as a chart)',
  'watch 5s SELECT count(latency) FROM serviceA WHERE time > now() - 1m',
];

/** A paragraph broken between words to the terminal's width (unchanged when not writing to one), with a newline. */
function fitTerminal(text: string, out: NodeJS.WriteStream): string {
  return forTerminal(text, out, (t, width) => wrapWords(t, width).join('\n')) + '\n';
}

export async function runDemo(o: CliOptions): Promise<number> {
  const local = !!(o.url || o.host || o.port ? o.local : true);
  const conn = await connectionFromOptions({ ...o, local });
  try {
    const ping = await conn.ping();
    process.stderr.write(`Connected to ${conn.displayUrl} (InfluxDB ${ping.version || 'unknown version'})\n`);
    const query = validateQueryOptions({ ...o, precision: o.precision ?? 'rfc3339' }, { format: 'column', interactive: true });
    const session: Session = { conn, serverVersion: ping.version, interactive: false, ...query };
    const runner = new Runner(session, stdioIO(), commands);
    if (!(await runner.runUnit(`CREATE DATABASE ${DEMO_DATABASE}`)).ok) throw new UserError('could not create the demo database');
    const w = await writeLineProtocol(conn, { database: DEMO_DATABASE, precision: 'ms' }, sampleServicePoints(Date.now()));
    if (!w.ok) throw new UserError(`could not load the sample data: ${w.error}`);
    process.stderr.write(`Loaded sample Service A data into database "${DEMO_DATABASE}".\n`);
    // Live traffic: the sample service and host metrics in-process, fed by a gentle load run.
    const tty = !!(process.stdin.isTTY && process.stdout.isTTY);
    const { startDemoTraffic } = await import('../loadgen/demo.js');
    // On a terminal the traffic flows until the shell closes (`traffic off` pauses it).
    const traffic = await startDemoTraffic(conn, { loadDurationMs: tty ? 60_000 : 3000, continuous: tty, collectIntervalMs: 1000 });
    process.stderr.write(fitTerminal(`Service A is serving at ${traffic.url} (GET /api/hello, /api/world) and recording each request; host metrics go to database "telegraf".`, process.stderr));
    if (tty) await new Promise((r) => setTimeout(r, 2500));
    else {
      await traffic.load;
      await traffic();
    }
    for (const stmt of DEMO_QUERIES) {
      process.stdout.write(`\n> ${stmt}\n`);
      await runner.runUnit(stmt);
    }
    await runner.finish();
    if (tty) {
      process.stdout.write(
        '\n' +
          fitTerminal('Opening the shell. Sample traffic and host metrics keep flowing until you leave: traffic off pauses them, traffic on resumes, Ctrl-D exits. Try:', process.stdout) +
          TRY.map((l) => `  ${l}\n`).join(''),
      );
      const { runShell } = await import('../shell/start.js');
      try {
        return await runShell(
          { ...session, interactive: true, format: o.format ? session.format : 'table' },
          { ...o, traffic, loadCommands: async () => commands, loadEditor: () => import('./shell-editor.js') },
        );
      } finally {
        await traffic();
        if (local) sayLocalKeepsRunning(conn.settings.url, o.localData);
      }
    }
    return 0;
  } finally {
    conn.close();
  }
}
