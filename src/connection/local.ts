// A private influxd: the `--local` default and the test harness share this module, so tests
// always run against a real InfluxDB started the same way users get one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, existsSync, closeSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { basename, join, delimiter } from 'node:path';
import { openAppend, replaceFile } from '../files/safe-write.js';
import { HttpClient, endpointFor } from './client.js';
import { LocalServerError } from './errors.js';

export interface LocalServerOptions {
  dataDir: string;
  /** Fixed HTTP port; a free one is picked when absent. */
  port?: number;
  authEnabled?: boolean;
  /** Extra `[http]` settings, e.g. for a unix socket. */
  httpExtra?: Record<string, string | number | boolean>;
  /** Serve HTTPS with this certificate and key (PEM files); the url is then https://. */
  https?: { certificate: string; privateKey: string };
  /** Keep running after this process exits (the --local default). */
  detached?: boolean;
  startTimeoutMs?: number;
}

export interface LocalServer {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  child?: ChildProcess;
  stop(): Promise<void>;
  /** Stops and starts the same server on the same port and data (for restart tests). */
  restart(): Promise<void>;
}

export interface StateFile {
  pid: number;
  port: number;
}

/** Thrown for a server.json that is not a record we wrote. */
export class CorruptRecordError extends LocalServerError {}

/** The data directory's server.json: undefined when there is none. */
export function readServerRecord(dataDir: string): StateFile | undefined {
  const path = join(dataDir, 'server.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LocalServerError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let st: Partial<StateFile> | undefined;
  try {
    st = JSON.parse(text) as Partial<StateFile>;
  } catch {
    /* reported below */
  }
  if (!st || !Number.isSafeInteger(st.pid) || st.pid! <= 1 || !Number.isSafeInteger(st.port)) {
    throw new CorruptRecordError(`${path} is not a server record influxsh wrote (corrupt or edited)`);
  }
  return st as StateFile;
}

/** A process's arguments: /proc on Linux, ps elsewhere; undefined when it does not exist. */
function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self')) return undefined;
  }
  const r = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim().split(/\s+/) : undefined;
}

/** Whether `pid` is an influxd started with this data directory's configuration (never a reused pid). */
export function isOurInfluxd(pid: number, dataDir: string): boolean {
  const args = commandLine(pid);
  return !!args && /^influxd/.test(basename(args[0] ?? '')) && args.includes(join(dataDir, 'influxd.conf'));
}

/** The pid of this data directory's influxd found among all processes (Linux), for a lost record. */
export function findOurInfluxd(dataDir: string): number | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  for (const p of pids) if (Number(p) !== process.pid && isOurInfluxd(Number(p), dataDir)) return Number(p);
  return undefined;
}

/** Stops an influxd by pid: SIGTERM, then SIGKILL after 10 s. */
export async function stopInfluxd(pid: number): Promise<void> {
  await killAndWait(pid, undefined);
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'influxsh', 'local');
}

export function findInfluxd(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'influxd');
    if (dir && existsSync(p)) return p;
  }
  throw new LocalServerError("influxd not found on PATH: install Debian's influxdb package (apt-get install influxdb)");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

function renderConfig(dataDir: string, port: number, rpcPort: number, o: LocalServerOptions): string {
  const http: Record<string, string | number | boolean> = {
    'bind-address': `127.0.0.1:${port}`,
    'auth-enabled': !!o.authEnabled,
    'log-enabled': false,
    'pprof-enabled': false,
    ...(o.https && { 'https-enabled': true, 'https-certificate': o.https.certificate, 'https-private-key': o.https.privateKey }),
    ...o.httpExtra,
  };
  const lines = [
    'reporting-disabled = true',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]',
    `  dir = ${JSON.stringify(join(dataDir, 'meta'))}`,
    '  logging-enabled = false',
    '[data]',
    `  dir = ${JSON.stringify(join(dataDir, 'data'))}`,
    `  wal-dir = ${JSON.stringify(join(dataDir, 'wal'))}`,
    '  query-log-enabled = false',
    '[monitor]',
    '  store-enabled = false',
    '[subscriber]',
    '  enabled = false',
    '[http]',
    ...Object.entries(http).map(([k, v]) => `  ${k} = ${typeof v === 'string' ? JSON.stringify(v) : v}`),
    '[logging]',
    '  level = "warn"',
    '  suppress-logo = true',
  ];
  return lines.join('\n') + '\n';
}

/**
 * Whether the influxd answering at `url` is the one started with `configPath`: between choosing
 * a free port and binding it, another influxd (another test, another --local) may take the port,
 * and its /ping answers just as well. /debug/vars shows the command line.
 */
async function answersFor(url: string, configPath: string): Promise<boolean> {
  const vars = await get(url, '/debug/vars');
  if (vars === undefined) return false;
  try {
    return (JSON.parse(vars) as { cmdline?: string[] }).cmdline?.includes(configPath) ?? false;
  } catch {
    return false;
  }
}

/** https when the server is configured for TLS (tests of TLS against a real influxd). */
function scheme(o: LocalServerOptions): string {
  return o.https || o.httpExtra?.['https-enabled'] === true ? 'https' : 'http';
}

/** GET path: the body on 2xx, undefined on anything else or no answer within a second. */
async function get(url: string, path: string): Promise<string | undefined> {
  try {
    // Our own server on loopback: its certificate (a test's) is not checked.
    const res = await new HttpClient(endpointFor(new URL(url), { unsafeSsl: true })).request({ method: 'GET', path, timeoutMs: 1000, keepAlive: false });
    const body = await res.text();
    return res.status >= 200 && res.status < 300 ? body : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a private influxd, or reuses the one already running on this data directory. */
export async function startLocalServer(o: LocalServerOptions): Promise<LocalServer> {
  const influxd = findInfluxd();
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  const statePath = join(o.dataDir, 'server.json');
  if (o.detached && existsSync(statePath)) {
    try {
      const st = readServerRecord(o.dataDir);
      const url = `${scheme(o)}://127.0.0.1:${st?.port}`;
      if (st && isOurInfluxd(st.pid, o.dataDir) && (await answersFor(url, join(o.dataDir, 'influxd.conf')))) return handle(url, st.port, st.pid, o, undefined, influxd);
    } catch {
      /* stale or unreadable state: start afresh */
    }
  }
  const configPath = join(o.dataDir, 'influxd.conf');
  // A port found free can be taken before influxd binds it: then try fresh ones.
  for (let attempt = 1; ; attempt++) {
    const port = o.port ?? (await freePort());
    const rpcPort = await freePort();
    replaceFile(configPath, renderConfig(o.dataDir, port, rpcPort, o), 0o600);
    const url = `${scheme(o)}://127.0.0.1:${port}`;
    let child: ChildProcess;
    try {
      child = await launch(influxd, configPath, o, url);
    } catch (e) {
      if (o.port !== undefined || attempt >= 3 || !/address already in use/.test((e as Error).message)) throw e;
      continue;
    }
    replaceFile(statePath, JSON.stringify({ pid: child.pid!, port } satisfies StateFile), 0o600);
    return handle(url, port, child.pid!, o, o.detached ? undefined : child, influxd);
  }
}

async function launch(influxd: string, configPath: string, o: LocalServerOptions, url: string): Promise<ChildProcess> {
  const logPath = join(o.dataDir, 'influxd.log');
  const logFd = openAppend(logPath, 0o600);
  const child = spawn(influxd, ['run', '-config', configPath], {
    stdio: ['ignore', logFd, logFd],
    detached: !!o.detached,
  });
  closeSync(logFd);
  if (o.detached) child.unref();
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + (o.startTimeoutMs ?? 30000);
  while (Date.now() < deadline) {
    if (exited !== null) {
      const tail = readFileSync(logPath, 'utf8').trim().split('\n').slice(-3).join(' | ');
      // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- set by the exit listener, which narrowing cannot see
      throw new LocalServerError(`influxd exited with code ${exited} while starting (log ${logPath}): ${tail}`);
    }
    if (await answersFor(url, configPath)) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new LocalServerError(`influxd did not answer /ping at ${url} within ${(o.startTimeoutMs ?? 30000) / 1000}s (log ${logPath})`);
}

function handle(url: string, port: number, pid: number, o: LocalServerOptions, child: ChildProcess | undefined, influxd: string): LocalServer {
  const server: LocalServer = {
    url,
    port,
    dataDir: o.dataDir,
    pid,
    child,
    async stop() {
      await killAndWait(server.pid, server.child);
      rmSync(join(o.dataDir, 'server.json'), { force: true });
    },
    async restart() {
      await killAndWait(server.pid, server.child);
      const configPath = join(o.dataDir, 'influxd.conf');
      const c = await launch(influxd, configPath, o, url);
      server.pid = c.pid!;
      server.child = o.detached ? undefined : c;
      replaceFile(join(o.dataDir, 'server.json'), JSON.stringify({ pid: c.pid!, port } satisfies StateFile), 0o600);
    },
  };
  return server;
}

async function killAndWait(pid: number, child: ChildProcess | undefined): Promise<void> {
  if (!alive(pid)) return;
  const done = child && child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 10000;
  if (done) await Promise.race([done, new Promise((r) => setTimeout(r, 10000))]);
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** influxd's version string, e.g. "1.6.7~rc0", or undefined when it is not installed. */
export function influxdVersion(): string | undefined {
  try {
    const r = spawnSync(findInfluxd(), ['version'], { encoding: 'utf8' });
    return /v?(\d+\.\d+\.\d+\S*)/.exec(r.stdout)?.[1];
  } catch {
    return undefined;
  }
}
