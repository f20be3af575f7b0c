// Against a private influxd with auth enabled: credentials from flags and env, wrong ones rejected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { execFileSync } from 'node:child_process';
import { BIN, run } from '../helpers/influx.js';
import { startBin } from '../helpers/loadgen.js';
import { freePort } from '../../src/connection/local.js';

let server: LocalServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'influxsh-auth-'));
  server = await startLocalServer({ dataDir: dir, authEnabled: true });
  const res = await fetch(`${server.url}/query`, { method: 'POST', body: new URLSearchParams({ q: "CREATE USER admin WITH PASSWORD 'right-pw' WITH ALL PRIVILEGES" }) });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('auth-enabled server', () => {
  it('accepts the right password from a flag or INFLUX_PASSWORD', async () => {
    const flag = await run(['--url', server.url, '-username', 'admin', '-password', 'right-pw', '-execute', 'SHOW USERS'], { bare: true });
    expect(flag.code).toBe(0);
    expect(flag.stdout).toContain('admin');
    const env = await run(['--url', server.url, '-execute', 'SHOW USERS'], { bare: true, env: { INFLUX_USERNAME: 'admin', INFLUX_PASSWORD: 'right-pw' } });
    expect(env.code).toBe(0);
    expect(env.stdout).toContain('admin');
  });

  it('rejects a wrong password with a clear one-line error and exit 1, without echoing it', async () => {
    const r = await run(['--url', server.url, '-username', 'admin', '-password', 'wrong-pw-123', '-execute', 'SHOW DATABASES'], { bare: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ERR: authentication failed: authorization failed/);
    expect(r.stderr + r.stdout).not.toContain('wrong-pw-123');
  });

  it('takes user:password@ in --url as the credentials and never prints them', async () => {
    const url = server.url.replace('://', '://admin:right-pw@');
    const ok = await run(['--url', url, '-execute', 'SHOW USERS'], { bare: true });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('admin');
    const wrong = await run(['--url', server.url.replace('://', '://admin:UrlPwLEAK@'), '-execute', 'SHOW USERS'], { bare: true });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^ERR: authentication failed/);
    for (const text of [ok.stdout, wrong.stdout, wrong.stderr]) expect(text).not.toContain('PwLEAK');
  });

  it("simulate and service say authentication failed, in the server's words, for a wrong password", async () => {
    const sim = await run(['simulate', '--url', server.url, '-username', 'admin', '-password', 'SimPwLEAK', '--points', '10'], { bare: true });
    expect(sim.stderr).toBe(`cannot create database "service" at ${server.url}: authentication failed: authorization failed (check the username and password, or --token)\n`);
    expect(sim.code).toBe(1);
    const port = await freePort();
    const svc = startBin(['service', '--url', server.url, '-username', 'admin', '-password', 'SvcPwLEAK', '--listen', `127.0.0.1:${port}`]);
    try {
      const [line] = await svc.waitFor(/^Service A listening on .*$/m);
      expect(line).toBe(
        `Service A listening on http://127.0.0.1:${port}; cannot create database "service" at ${server.url}: authentication failed: authorization failed (check the username and password, or --token); serving anyway, buffering up to 100000 points until it works`,
      );
    } finally {
      svc.proc.kill('SIGINT');
      await svc.exited;
    }
    for (const text of [sim.stdout, sim.stderr, svc.stdout(), svc.stderr()]) expect(text).not.toMatch(/PwLEAK/);
  });

  it('says credentials are needed when none are given', async () => {
    const r = await run(['--url', server.url, '-execute', 'SHOW DATABASES'], { bare: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('authentication failed');
  });
});

describe('password prompt', () => {
  // tmux is required (test/helpers/global-setup.ts fails the run without it).
  it("prompts without echo for -password '' on a terminal", async () => {
    const session = `influxsh-pw-${process.pid}`;
    const out = join(dir, 'prompt-out.txt');
    const cmd = `${process.execPath} ${BIN} --url ${server.url} -username admin -password '' -execute 'SHOW USERS' > ${out} 2>&1; echo "rc=$?" >> ${out}`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '20', `sleep 0.3; ${cmd}; sleep 30`]);
    try {
      const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session]).toString();
      const deadline = Date.now() + 15000;
      // The prompt goes to the terminal (stderr is redirected to the file, so wait for the file).
      const { readFileSync, existsSync } = await import('node:fs');
      while (Date.now() < deadline && !(existsSync(out) && readFileSync(out, 'utf8').includes('password:'))) await new Promise((r) => setTimeout(r, 50));
      execFileSync('tmux', ['send-keys', '-t', session, 'right-pw', 'Enter']);
      while (Date.now() < deadline && !readFileSync(out, 'utf8').includes('rc=')) await new Promise((r) => setTimeout(r, 50));
      const text = readFileSync(out, 'utf8');
      expect(text).toContain('admin');
      expect(text).toContain('rc=0');
      expect(text).not.toContain('right-pw');
      expect(screen()).not.toContain('right-pw');
    } finally {
      try {
        execFileSync('tmux', ['kill-session', '-t', session]);
      } catch {
        /* already gone */
      }
    }
  });
});
