// --local: a private influxd started on first use, reused after, stopped by `local stop`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../helpers/influx.js';

const dir = mkdtempSync(join(tmpdir(), 'influxsh-local-'));

afterAll(async () => {
  await run(['local', 'stop', '--local-data', dir], { bare: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('--local', () => {
  it('starts a private server on a free port, reuses it, and stops it', async () => {
    const first = await run(['--local', '--local-data', dir, '-execute', 'CREATE DATABASE localdb; SHOW DATABASES'], { bare: true });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('localdb');
    const state = JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8')) as { pid: number; port: number };
    expect(state.port).not.toBe(8086);
    const second = await run(['--local', '--local-data', dir, '-execute', 'SHOW DATABASES'], { bare: true });
    expect(second.stdout).toContain('localdb');
    expect(JSON.parse(readFileSync(join(dir, 'server.json'), 'utf8')).pid).toBe(state.pid);
    const status = await run(['local', 'status', '--local-data', dir], { bare: true });
    expect(status.stdout).toContain(`http://127.0.0.1:${state.port}`);
    const stop = await run(['local', 'stop', '--local-data', dir], { bare: true });
    expect(stop.code).toBe(0);
    const after = await run(['local', 'status', '--local-data', dir], { bare: true });
    expect(after.code).toBe(1);
  });

  it('names the package to install when influxd is missing', async () => {
    const r = await run(['--local', '--local-data', join(dir, 'none'), '-execute', 'SHOW DATABASES'], { bare: true, env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("influxd not found on PATH: install Debian's influxdb package (apt-get install influxdb)");
  });
});
