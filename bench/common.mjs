// Shared bench helpers: a private influxd, timing and peak RSS of child processes, bulk loading.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'influxsh');

export async function privateServer() {
  const { startLocalServer } = await import('../dist/local.js');
  const dir = mkdtempSync(join(tmpdir(), 'influxsh-bench-'));
  const server = await startLocalServer({ dataDir: dir });
  return {
    url: server.url,
    port: String(server.port),
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** CPU seconds (user + system) a live process has used so far, from /proc; NaN once it is gone. */
export function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

export function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a command with stdout to /dev/null; resolves wall ms, peak RSS MB and CPU ms (user + sys, GNU time), exit code. */
export function measure(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const useTime = has('/usr/bin/time');
    const argv = useTime ? ['-f', '%U %S %M', cmd, ...args] : args;
    const t0 = process.hrtime.bigint();
    const child = spawn(useTime ? '/usr/bin/time' : cmd, argv, { stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...opts.env } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const lines = err.trim().split('\n');
      const [user, sys, kb] = useTime ? lines[lines.length - 1].split(' ').map(Number) : [NaN, NaN, NaN];
      resolve({ ms, rssMB: kb / 1024, cpuMs: (user + sys) * 1000, code, stderr: err });
    });
  });
}

export async function query(url, q, db = '') {
  const res = await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q, db }) });
  return res.json();
}

/** Writes `n` points of measurement `m` (one tag of 10 values, 3 fields) in 10k-line batches. */
export async function loadPoints(url, db, m, n, t0 = 1600000000000000000n) {
  await query(url, `CREATE DATABASE "${db}"`);
  const batch = 10000;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const start = next;
      next += batch;
      const lines = [];
      for (let i = start; i < Math.min(n, start + batch); i++) {
        lines.push(`${m},host=h${i % 10} value=${(i % 1000) / 7},count=${i}i,ok=${i % 2 === 0} ${t0 + BigInt(i) * 1000000n}`);
      }
      const res = await fetch(`${url}/write?db=${db}`, { method: 'POST', body: lines.join('\n') });
      if (res.status !== 204) throw new Error(`load failed: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function fmt(n, d = 0) {
  return Number.isFinite(n) ? n.toFixed(d) : 'n/a';
}
