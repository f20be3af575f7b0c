// Against a private influxd with auth enabled: credentials from flags and env, wrong ones rejected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { run } from '../helpers/influx.js';

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

  it('says credentials are needed when none are given', async () => {
    const r = await run(['--url', server.url, '-execute', 'SHOW DATABASES'], { bare: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('authentication failed');
  });
});
