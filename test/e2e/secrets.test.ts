// Secrets given as flags: gone from /proc/PID/cmdline (what ps shows every user) once influxsh runs.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { BIN } from '../helpers/influx.js';

// A server that accepts and never answers: the run stays alive while its command line is read.
const sockets: Socket[] = [];
const stall = createServer((s) => sockets.push(s));
afterAll(() => {
  for (const s of sockets) s.destroy();
  stall.close();
});

async function cmdlineWhileRunning(args: string[]): Promise<{ cmdline: string; comm: string; stderr: string }> {
  if (!stall.listening) await new Promise<void>((r) => stall.listen(0, '127.0.0.1', r));
  const port = (stall.address() as AddressInfo).port;
  const before = sockets.length;
  const child = spawn(process.execPath, [BIN, '-host', '127.0.0.1', '-port', String(port), ...args, '-execute', 'SHOW DATABASES'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const closed = new Promise((r) => child.once('close', r));
  try {
    // The request reaching the server means the launcher ran long before.
    const deadline = Date.now() + 15000;
    while (sockets.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sockets.length).toBeGreaterThan(before);
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'latin1');
    const comm = readFileSync(`/proc/${child.pid}/comm`, 'latin1').trim();
    return { cmdline, comm, stderr };
  } finally {
    child.kill();
    await closed;
  }
}

// What this Node calls its main thread when nothing renames it ('node'; Node 24: 'MainThread').
const nodeComm = () => spawnSync(process.execPath, ['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/comm', 'utf8').trim())"], { encoding: 'utf8' }).stdout;

describe.skipIf(process.platform !== 'linux')('secrets on the command line', () => {
  it.each([
    [['-password', 'PwFlagLEAK1'], '-password ***'],
    [['-password=PwFlagLEAK2'], '--password=***'],
    [['--token', 'TokenLEAK3', '-username', 'bob'], '--token *** -username bob'],
  ])('%j is masked in /proc/PID/cmdline and the process name stays what Node calls it', async (flags, masked) => {
    const { cmdline, comm, stderr } = await cmdlineWhileRunning(flags);
    expect(cmdline).not.toMatch(/LEAK/);
    expect(cmdline.replace(/\0/g, ' ')).toContain('-execute SHOW DATABASES');
    expect(cmdline).toContain(masked);
    expect(comm).toBe(nodeComm());
    expect(comm).toMatch(/^(node|MainThread)$/);
    expect(stderr).not.toMatch(/LEAK/);
  });
});
