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
