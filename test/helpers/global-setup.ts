// One private influxd for the whole run, started through the module that backs --local. First,
// what the suite needs but cannot start itself: a fresh build and the programs it drives. A
// missing one fails the run with what to do; nothing is skipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';

let server: LocalServer | undefined;
let dir: string | undefined;

/** Programs the tests drive, with the Debian package that has each. */
const PROGRAMS = [
  { bin: 'influxd', pkg: 'influxdb', for: 'the test server' },
  { bin: 'influx', pkg: 'influxdb-client', for: 'the parity suite (the reference 1.x CLI)' },
  { bin: 'tmux', pkg: 'tmux', for: 'the interactive shell tests' },
];

export function checkRequirements(): void {
  const stamp = spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/build-stamp.mjs', import.meta.url)), '--check'], { encoding: 'utf8' });
  if (stamp.status !== 0) throw new Error(`the e2e tests run bin/influxsh → dist/, and ${stamp.stderr.trim()}`);
  const missing = PROGRAMS.filter((p) => spawnSync('sh', ['-c', `command -v ${p.bin}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length) {
    const list = missing.map((p) => `${p.bin} (for ${p.for})`).join(', ');
    throw new Error(`missing ${list}: run 'npm test' as root to install, or 'sudo apt-get install ${missing.map((p) => p.pkg).join(' ')}'`);
  }
}

export async function setup(project: TestProject): Promise<void> {
  checkRequirements();
  dir = mkdtempSync(join(tmpdir(), 'influxsh-test-'));
  server = await startLocalServer({ dataDir: dir });
  project.provide('influxUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    influxUrl: string;
  }
}
