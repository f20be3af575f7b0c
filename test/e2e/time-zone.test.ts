// Times a person can read: the interactive shell shows RFC 3339 in a display zone by default;
// scripts keep 1.x's ns epochs unless --tz is given.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { q, run, uniqueDb, write } from '../helpers/influx.js';
import { killTmuxServer, startShell, type TerminalShell } from '../helpers/tmux.js';

const db = uniqueDb('tz');
const shells: TerminalShell[] = [];

beforeAll(async () => {
  await q(`CREATE DATABASE ${db}`);
  // 2023-11-14T22:13:20Z, and one in July with a sub-second part.
  await write(db, 'cpu value=1 1700000000000000000\ncpu value=2 1720000000123456789');
});

afterAll(() => {
  for (const s of shells) s.kill();
  killTmuxServer();
});

describe('times in scripts', () => {
  it('keep 1.x ns epochs by default, and show RFC 3339 in the --tz zone when given', async () => {
    const plain = await run(['-database', db, '-execute', 'SELECT value FROM cpu']);
    expect(plain.stdout).toBe('name: cpu\ntime                value\n----                -----\n1700000000000000000 1\n1720000000123456789 2\n');
    const berlin = await run(['-database', db, '--tz', 'Europe/Berlin', '-format', 'csv', '-execute', 'SELECT value FROM cpu']);
    expect(berlin.stdout).toBe('name,time,value\ncpu,2023-11-14T23:13:20+01:00,1\ncpu,2024-07-03T11:46:40.123456789+02:00,2\n');
    const utc = await run(['-database', db, '--tz', 'UTC', '-format', 'json', '-execute', 'SELECT value FROM cpu']);
    expect(utc.stdout).toContain('["2023-11-14T22:13:20Z",1],["2024-07-03T09:46:40.123456789Z",2]');
    // An explicit precision still gives epochs.
    const epoch = await run(['-database', db, '--tz', 'Asia/Tokyo', '-precision', 's', '-format', 'csv', '-execute', 'SELECT value FROM cpu']);
    expect(epoch.stdout).toBe('name,time,value\ncpu,1700000000,1\ncpu,1720000000,2\n');
  });

  it('rejects an unknown zone with exit 2 and a one-line error', async () => {
    const r = await run(['--tz', 'Mars/Olympus', '-execute', 'SHOW DATABASES']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('unknown time zone "Mars/Olympus"');
    expect(r.stdout).toBe('');
  });
});

describe('times in the interactive shell', () => {
  it('show RFC 3339 in the local zone by default; timezone, precision and settings change and show it', async () => {
    const s = await startShell({ args: ['-database', db, '-format', 'csv'], env: { TZ: 'America/New_York' } });
    shells.push(s);
    s.type('SELECT value FROM cpu');
    s.keys('Enter');
    await s.waitFor(/cpu,2024-07-03T05:46:40\.123456789-04:00,2/, 'July in EDT');
    expect(s.screen()).toContain('cpu,2023-11-14T17:13:20-05:00,1');
    for (const line of ['timezone Asia/Tokyo', 'SELECT value FROM cpu LIMIT 1']) {
      s.type(line);
      s.keys('Enter');
    }
    await s.waitFor(/cpu,2023-11-15T07:13:20\+09:00,1/, 'the same time in Tokyo');
    for (const line of ['precision ns', 'SELECT value FROM cpu LIMIT 1', 'settings']) {
      s.type(line);
      s.keys('Enter');
    }
    const screen = await s.waitFor(/Time Zone +Asia\/Tokyo/, 'settings');
    expect(screen).toContain('cpu,1700000000000000000,1');
    expect(screen).toMatch(/Precision +ns/);
  });

  it('takes the zone from --tz', async () => {
    const s = await startShell({ args: ['-database', db, '-format', 'csv', '--tz', 'UTC'], env: { TZ: 'Asia/Tokyo' } });
    shells.push(s);
    s.type('SELECT value FROM cpu LIMIT 1');
    s.keys('Enter');
    await s.waitFor(/cpu,2023-11-14T22:13:20Z,1/, 'UTC from the flag');
  });

  it("takes the zone from a profile's tz; a script with that profile keeps 1.x's epochs", async () => {
    const config = mkdtempSync(join(tmpdir(), 'influxsh-config-'));
    mkdirSync(join(config, 'influxsh'));
    writeFileSync(join(config, 'influxsh', 'config.json'), JSON.stringify({ profiles: { india: { tz: 'Asia/Kolkata' } } }), { mode: 0o600 });
    const env = { TZ: 'UTC', XDG_CONFIG_HOME: config };
    const s = await startShell({ args: ['--profile', 'india', '-database', db, '-format', 'csv'], env });
    shells.push(s);
    s.type('SELECT value FROM cpu LIMIT 1');
    s.keys('Enter');
    await s.waitFor(/cpu,2023-11-15T03:43:20\+05:30,1/, 'Asia/Kolkata from the profile');
    const script = await run(['--profile', 'india', '-database', db, '-format', 'csv', '-execute', 'SELECT value FROM cpu LIMIT 1'], { env });
    expect(script.stdout).toBe('name,time,value\ncpu,1700000000000000000,1\n');
  });
});
