// Nothing lost: influxd is restarted in the middle of an import, and every point is stored.
// A private influxd, so the shared test server is never disturbed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { BIN } from '../helpers/influx.js';

let server: LocalServer;
const dir = mkdtempSync(join(tmpdir(), 'influxsh-restart-'));

beforeAll(async () => {
  server = await startLocalServer({ dataDir: join(dir, 'data') });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function count(db: string): Promise<number> {
  try {
    const body = new URLSearchParams({ q: 'SELECT count(v) FROM m', db });
    const j = (await (await fetch(`${server.url}/query`, { method: 'POST', body })).json()) as any;
    return j.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
  } catch {
    return -1; // server down
  }
}

it('loses no point when influxd restarts during an import', async () => {
  const N = 40_000;
  const lines = ['# DDL', 'CREATE DATABASE restart', '# DML', '# CONTEXT-DATABASE: restart'];
  for (let i = 0; i < N; i++) lines.push(`m,s=s${i % 10} v=${i}i ${1_600_000_000_000_000_000n + BigInt(i)}`);
  const path = join(dir, 'import.txt');
  writeFileSync(path, lines.join('\n') + '\n');

  // Throttled so the restart surely lands in the middle.
  // The default host (localhost), as users run it, against an influxd on 127.0.0.1 only: every
  // retry must try 127.0.0.1 again rather than stay on ::1 (refused) after the first refusal.
  const child = spawn(process.execPath, [BIN, '-port', String(server.port), '-import', '-path', path, '-pps', '10000', '--batch-size', '500', '--retry-for', '20s'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));

  const deadline = Date.now() + 20_000;
  let before: number;
  while ((before = await count('restart')) < 5000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(before).toBeGreaterThanOrEqual(5000);
  expect(child.exitCode).toBeNull();
  // Down until the importer has seen failed writes, then up again on the same port and data.
  await server.stop();
  while (!/a write failed .*retrying/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(child.exitCode).toBeNull();
  await server.restart();
  expect(await count('restart')).toBeLessThan(N); // the import was still going

  const code = await exited;
  expect(stderr).toMatch(/a write failed .*retrying/);
  expect(stderr).toMatch(new RegExp(`${N} points read, ${N} written, 0 rejected`));
  expect(code).toBe(0);
  expect(await count('restart')).toBe(N);
}, 60_000);
