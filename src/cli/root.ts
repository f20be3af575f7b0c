// The default mode: -version, -import, -execute / --file / piped stdin (scripts), or the shell.
import { readFileSync } from 'node:fs';
import { decodeKeepingBytes } from '../write/raw-text.js';
import type { InfluxHttp } from '../connection/http.js';
import type { Session } from '../core/session.js';
import { connectionFromOptions, validateQueryOptions, type CliOptions } from './connect.js';
import { UserError } from './errors.js';
import { VERSION } from '../core/version.js';

export interface RootOptions extends CliOptions {
  version?: boolean;
  execute?: string;
  file?: string;
  import?: boolean;
  path?: string;
  compressed?: boolean;
  pps?: string;
  continueOnError?: boolean;
  debug?: boolean;
  watch?: string | boolean;
  watchCount?: string;
  alert?: string;
  webhook?: string;
  slack?: boolean;
  sparklines?: boolean;
}

export async function runRoot(o: RootOptions): Promise<number> {
  if (o.version) {
    process.stdout.write(`influxsh version ${VERSION}\n`);
    return 0;
  }
  if (o.import) {
    const { runImportCommand } = await import('./import-command.js');
    return runImportCommand(o);
  }
  const script = o.execute !== undefined ? executeText(o.execute) : o.file !== undefined ? readScriptFile(o.file) : undefined;
  const interactive = script === undefined && !!process.stdin.isTTY;
  const query = validateQueryOptions(o, { format: 'column', interactive });
  const watching = o.watch !== undefined || o.watchCount !== undefined || o.alert !== undefined || o.webhook !== undefined || !!o.slack;
  const watch = watching ? await import('../watch/run-watch.js') : null;
  const plan = watch?.watchPlan(o);
  if (plan && interactive) throw new UserError('--watch needs statements: give them with -execute, --file or on stdin (or use watch in the shell)', 2);
  const conn = await connectionFromOptions(o, { shell: interactive && !plan });
  try {
    // Scripts skip /ping: the first request reports a dead or wrong endpoint just as clearly, and
    // one round trip less matters for a one-shot run. The shell pings to print its banner.
    const serverVersion = interactive ? (await pingWithHint(conn, !!o.local)).version : '';
    const session: Session = { conn, serverVersion, interactive, ...query, sparklines: !!o.sparklines };
    if (interactive) {
      const { runShell } = await import('../shell/start.js');
      // The shell's first prompt waits for none of the runner, the formats or the commands: they
      // load once it is on the screen.
      const code = await runShell(session, { ...o, loadCommands: async () => (await import('./registry.js')).commands, loadEditor: () => import('./shell-editor.js') });
      if (o.local) (await import('./local-command.js')).sayLocalKeepsRunning(conn.settings.url, o.localData);
      return code;
    }
    const [{ Runner, stdioIO }, { splitScript }, { commands }] = await Promise.all([import('../core/runner.js'), import('../influxql/split.js'), import('./registry.js')]);
    if (watch && plan) {
      const units = splitScript(script ?? (await readStdin()), commands.isCommandLine).map((u) => u.text);
      return await watch.runWatch(session, units, plan, (u, io, opts) => new Runner(session, io, commands).runUnits(u, opts));
    }
    const text = script ?? (await readStdin());
    // Nothing to run (empty stdin or file): still find out whether the server answers, so the
    // exit code says so, as 1.x's does (it connects before it reads).
    const units = splitScript(text, commands.isCommandLine);
    if (!units.length) await conn.ping();
    const runner = new Runner(session, stdioIO(true), commands);
    const ok = await runner.runUnits(units, { continueOnError: o.continueOnError });
    return ok ? 0 : 1;
  } finally {
    conn.close();
  }
}

function readScriptFile(path: string): string {
  if (path === '-') return decodeKeepingBytes(readFileSync(0));
  try {
    return decodeKeepingBytes(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return decodeKeepingBytes(Buffer.concat(chunks));
}

/**
 * The -execute text with any bytes that are not UTF-8 kept: Node decodes argv with U+FFFD in
 * their place, so on Linux the argument is read again, as bytes, from /proc/self/cmdline.
 */
function executeText(text: string): string {
  if (!text.includes('\ufffd')) return text;
  let raw: Buffer;
  try {
    raw = readFileSync('/proc/self/cmdline');
  } catch {
    return text;
  }
  for (let start = 0; start < raw.length;) {
    let end = raw.indexOf(0, start);
    if (end < 0) end = raw.length;
    const arg = raw.subarray(start, end);
    start = end + 1;
    if (arg.toString('utf8') === text) return decodeKeepingBytes(arg);
    // -execute=TEXT
    const eq = arg.indexOf(61);
    if (arg[0] === 45 && eq > 0 && arg.subarray(eq + 1).toString('utf8') === text) return decodeKeepingBytes(arg.subarray(eq + 1));
  }
  return text;
}

/** The shell's first ping; with nothing at the default address, says how to get a server at once. */
async function pingWithHint(conn: InfluxHttp, local: boolean): ReturnType<InfluxHttp['ping']> {
  try {
    return await conn.ping();
  } catch (e) {
    const atDefault = new URL(conn.settings.url).host === 'localhost:8086' && !conn.settings.socketPath;
    if (!local && atDefault && /connection refused/.test((e as Error).message)) (e as Error).message += '\nno InfluxDB at localhost:8086 — try influxsh --local';
    throw e;
  }
}
