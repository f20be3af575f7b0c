// `influxsh local start|stop|status`: only a process that is this data directory's influxd is
// ever called running or signalled; a record pointing elsewhere is stale and removed.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CorruptRecordError, defaultDataDir, findOurInfluxd, isOurInfluxd, readServerRecord, startLocalServer, stopInfluxd, type StateFile } from '../connection/local.js';
import { forTerminal } from '../format/wrap.js';

export async function runLocal(action: 'start' | 'stop' | 'status', dataDir = defaultDataDir()): Promise<number> {
  const statePath = join(dataDir, 'server.json');
  if (action === 'start') {
    const s = await startLocalServer({ dataDir, detached: true });
    process.stdout.write(`${s.url}\n`);
    return 0;
  }
  let record: StateFile | undefined;
  let problem: string | undefined;
  try {
    record = readServerRecord(dataDir);
  } catch (e) {
    if (!(e instanceof CorruptRecordError)) throw e;
    problem = e.message;
  }
  const ours = record && isOurInfluxd(record.pid, dataDir);
  if (record && !ours) problem = `${statePath} is stale: pid ${record.pid} is not the influxd for ${dataDir}`;
  if (action === 'status') {
    if (ours) {
      process.stdout.write(`running: http://127.0.0.1:${record!.port} (pid ${record!.pid}, data ${dataDir})\n`);
      return 0;
    }
    if (problem) {
      rmSync(statePath, { force: true });
      process.stderr.write(`${problem}; removed it\n`);
    }
    process.stdout.write('not running\n');
    return 1;
  }
  // stop: the recorded influxd, or (record lost or stale) the one still running on this directory.
  const pid = ours ? record!.pid : findOurInfluxd(dataDir);
  if (problem) process.stderr.write(`${problem}; removed it\n`);
  if (pid !== undefined) await stopInfluxd(pid);
  rmSync(statePath, { force: true });
  if (pid !== undefined) process.stderr.write(`stopped local server (pid ${pid})\n`);
  else if (!record && !problem) process.stderr.write(`no local server running for ${dataDir}\n`);
  else process.stderr.write('local server was not running\n');
  return 0;
}

/**
 * Said when the shell on a private influxd closes: it keeps running, where its data is, how to
 * come back and how to stop it (with --local-data when the directory is not the default).
 */
export function leavingLocalNote(url: string, dataDir: string): string {
  const flag = dataDir === defaultDataDir() ? '' : ` --local-data ${/^[\w@%+=:,./-]+$/.test(dataDir) ? dataDir : `'${dataDir.replace(/'/g, `'\\''`)}'`}`;
  return `The private influxd keeps running at ${url} (data: ${dataDir}).\nCome back with: influxsh --local${flag}   Stop it with: influxsh local stop${flag}\n`;
}

/** After a shell on the private influxd: it is still running, and how to come back or stop it. */
export function sayLocalKeepsRunning(url: string, localData: string | undefined): void {
  process.stderr.write(forTerminal(leavingLocalNote(url, localData ?? defaultDataDir()), process.stderr));
}
