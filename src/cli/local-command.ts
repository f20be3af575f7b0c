import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defaultDataDir, startLocalServer } from '../connection/local.js';

export async function runLocal(action: 'start' | 'stop' | 'status', dataDir = defaultDataDir()): Promise<number> {
  const statePath = join(dataDir, 'server.json');
  if (action === 'start') {
    const s = await startLocalServer({ dataDir, detached: true });
    process.stdout.write(`${s.url}\n`);
    return 0;
  }
  if (!existsSync(statePath)) {
    process.stderr.write(`no local server running for ${dataDir}\n`);
    return action === 'status' ? 1 : 0;
  }
  const { pid, port } = JSON.parse(readFileSync(statePath, 'utf8')) as { pid: number; port: number };
  let alive = true;
  try {
    process.kill(pid, 0);
  } catch {
    alive = false;
  }
  if (action === 'status') {
    process.stdout.write(alive ? `running: http://127.0.0.1:${port} (pid ${pid}, data ${dataDir})\n` : 'not running\n');
    return alive ? 0 : 1;
  }
  if (alive) process.kill(pid, 'SIGTERM');
  rmSync(statePath, { force: true });
  process.stderr.write(alive ? `stopped local server (pid ${pid})\n` : 'local server was not running\n');
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
  process.stderr.write(leavingLocalNote(url, localData ?? defaultDataDir()));
}
