// --local: a private influxd started on first use, reused after, stopped by `local stop`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
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

  it('never signals or calls running a process that is not its influxd, and removes the stale record', async () => {
    const data = join(dir, 'stale');
    mkdirSync(data);
    const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    const gone = new Promise((r) => sleeper.once('exit', r));
    try {
      const record = JSON.stringify({ pid: sleeper.pid, port: 9 });
      writeFileSync(join(data, 'server.json'), record);
      const status = await run(['local', 'status', '--local-data', data], { bare: true });
      expect(status.stdout).toBe('not running\n');
      expect(status.stderr).toBe(`${join(data, 'server.json')} is stale: pid ${sleeper.pid} is not the influxd for ${data}; removed it\n`);
      expect(status.code).toBe(1);
      expect(existsSync(join(data, 'server.json'))).toBe(false);
      writeFileSync(join(data, 'server.json'), record);
      const stop = await run(['local', 'stop', '--local-data', data], { bare: true });
      expect(stop.stderr).toContain(`is stale: pid ${sleeper.pid} is not the influxd for ${data}; removed it`);
      expect(stop.code).toBe(0);
      expect(existsSync(join(data, 'server.json'))).toBe(false);
      expect(sleeper.exitCode).toBeNull();
      expect(sleeper.signalCode).toBeNull();
      expect(() => process.kill(sleeper.pid!, 0)).not.toThrow();
    } finally {
      sleeper.kill();
      await gone;
    }
  });

  it('says a corrupt record is corrupt in one line, and stop still finds and stops its influxd', async () => {
    const data = join(dir, 'corrupt');
    const start = await run(['local', 'start', '--local-data', data], { bare: true });
    expect(start.code).toBe(0);
    const { pid } = JSON.parse(readFileSync(join(data, 'server.json'), 'utf8')) as { pid: number };
    writeFileSync(join(data, 'server.json'), '{"pid": 12');
    const status = await run(['local', 'status', '--local-data', data], { bare: true });
    expect(status.stderr).toBe(`${join(data, 'server.json')} is not a server record influxsh wrote (corrupt or edited); removed it\n`);
    expect(status.code).toBe(1);
    writeFileSync(join(data, 'server.json'), 'garbage');
    const stop = await run(['local', 'stop', '--local-data', data], { bare: true });
    expect(stop.stderr).toBe(`${join(data, 'server.json')} is not a server record influxsh wrote (corrupt or edited); removed it\nstopped local server (pid ${pid})\n`);
    expect(stop.code).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('names the package to install when influxd is missing', async () => {
    const r = await run(['--local', '--local-data', join(dir, 'none'), '-execute', 'SHOW DATABASES'], { bare: true, env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("influxd not found on PATH: install Debian's influxdb package (apt-get install influxdb)");
  });
});
