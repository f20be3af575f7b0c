// The built binary against the test influxd: -format chart, --sparklines, and --watch with
// alerts delivered to a local webhook receiver (a plain HTTP server standing in for Grafana/Slack).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { BIN, influxPort, influxUrl, q, run, uniqueDb, write } from '../helpers/influx.js';
import { InfluxHttp } from '../../src/connection/http.js';
import { resolveSettings } from '../../src/connection/settings.js';
import { runWatch, watchPlan } from '../../src/watch/run-watch.js';
import { Runner, type RunStatements } from '../../src/core/runner.js';
import { commands } from '../../src/cli/registry.js';

const db = uniqueDb('watch');
const T0 = 1700000000000000000n;
const t = (s: number) => String(T0 + BigInt(s) * 1000000000n);

interface Received {
  body: any;
  status: number;
  authorization?: string;
  path?: string;
}

/** A webhook receiver; `failFirst` answers the first n requests with 503. */
async function receiver(failFirst = 0): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      const status = received.length < failFirst ? 503 : 200;
      received.push({ body: JSON.parse(text), status, authorization: req.headers.authorization, path: req.url });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, server };
}

function start(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, '-host', '127.0.0.1', '-port', influxPort(), ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out: () => out, err: () => err, exit };
}

async function until(what: string, cond: () => boolean, ms = 15000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  await q(`CREATE DATABASE ${db}`);
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    for (const host of ['a', 'b']) lines.push(`load,host=${host} value=${(host === 'a' ? 1 : 5) + Math.sin(i / 4)},status="ok" ${t(i * 15)}`);
  }
  lines.push(`alert,host=a value=0.1 ${t(0)}`, `alert,host=b value=0.2 ${t(0)}`);
  lines.push(`hot,host=a value=9 ${t(0)}`);
  await write(db, lines.join('\n'));
});

describe('-format chart', () => {
  it('draws GROUP BY time() series with a legend, sized by COLUMNS', async () => {
    const r = await run(['-database', db, '-format', 'chart', '-execute', `SELECT mean(value) FROM load WHERE time >= ${t(0)} AND time < ${t(600)} GROUP BY time(1m), host`], {
      env: { COLUMNS: '70' },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain('load · mean');
    expect(lines.some((l) => /^ {2}── host=a +last /.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}\*\* host=b +last /.test(l))).toBe(true);
    expect(r.stdout).toContain('2023-11-14 22:13:00 → 22:23:00 UTC'); // 1m buckets
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(70);
    expect(lines.find((l) => l.includes('└'))!.length).toBeGreaterThan(65);
  });

  it('reads RFC3339 times, skips strings with a note, and draws a count as a big number', async () => {
    const raw = await run(['-database', db, '-format', 'chart', '-precision', 'rfc3339', '-execute', "SELECT value, status FROM load WHERE host = 'a'"], { env: { COLUMNS: '80' } });
    expect(raw.stdout).toContain('22:13:20 → 22:23:05 UTC');
    expect(raw.stdout).toContain('chart: skipped non-numeric column "status"');
    const count = await run(['-database', db, '-format', 'chart', '-execute', 'SELECT count(value) FROM load; SELECT status FROM load'], { env: { COLUMNS: '80' } });
    expect(count.stdout.split('\n').slice(0, 5).join('\n')).toBe('  ███ ███\n  █ █ █ █\n  ███ █ █\n  █ █ █ █\n  ███ ███'); // 80
    expect(count.stdout).toContain('load · count');
    expect(count.stdout).toContain('chart: nothing to draw: "status" is not numeric');
  });
});

describe('sparklines', () => {
  it('adds a trend table to table output, by flag and by command', async () => {
    const query = `SELECT mean(value) FROM load WHERE time >= ${t(0)} AND time < ${t(600)} GROUP BY time(1m), host`;
    const byFlag = await run(['-database', db, '-format', 'table', '--sparklines', '-execute', query]);
    const byCommand = await run(['-database', db, '-format', 'table', '-execute', `sparklines on\n${query}`]);
    const plain = await run(['-database', db, '-format', 'table', '-execute', query]);
    for (const r of [byFlag, byCommand]) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/│ load host=a\s*│ mean\s*│ 11\s*│[^\n]*│ [▁▂▃▄▅▆▇█]{11} │/);
      expect(r.stdout).toMatch(/│ load host=b\s*│ mean/);
    }
    expect(plain.stdout).not.toContain('trend');
  });
});

describe('--watch', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  it('alerts OK → ALERTING → OK on real data, posts each change, retries a failed post, stops on SIGINT', async () => {
    const hook = await receiver(1);
    servers.push(hook.server);
    const w = start(['-database', db, '--watch', '200ms', '--watch-count', '150', '--alert', 'value > 0.5', '--webhook', hook.url, '-execute', 'SELECT value FROM alert GROUP BY host']);
    await until('the first run', () => w.out().includes('--- run 1 '));
    expect(hook.received).toHaveLength(0); // starts OK: nothing to tell
    await write(db, `alert,host=a value=0.9 ${t(60)}`);
    await until('the ALERTING post', () => hook.received.length >= 1);
    expect(w.err()).toMatch(/alert: OK → ALERTING {2}alert host=a {2}value > 0\.5 {2}\(value=0\.9\) {2}at 2023-11-14T22:14:20\.000Z/);
    await until('the failure report', () => w.err().includes('failed: HTTP 503'));
    await write(db, `alert,host=a value=0.3 ${t(120)}`);
    await until('the OK post', () => hook.received.length >= 3);
    w.child.kill('SIGINT');
    expect(await w.exit).toBe(0);
    expect(hook.received.map((r) => `${r.body.state}:${r.status}`)).toEqual(['alerting:503', 'alerting:200', 'ok:200']);
    const [alerting, , ok] = hook.received.map((r) => r.body);
    expect(alerting).toMatchObject({
      state: 'alerting',
      series: 'alert',
      tags: { host: 'a' },
      value: 0.9,
      condition: 'value > 0.5',
      time: '2023-11-14T22:14:20.000Z',
      title: '[Alerting] alert host=a: value > 0.5',
    });
    expect(alerting.evalMatches).toEqual([{ metric: 'alert.value', value: 0.9, tags: { host: 'a' } }]);
    expect(ok).toMatchObject({ state: 'ok', previousState: 'alerting', value: 0.3, time: '2023-11-14T22:15:20.000Z' });
    expect(w.err()).toMatch(/alert: ALERTING → OK {2}alert host=a/);
    expect(w.err()).toContain('delivered 1 earlier notification(s)');
    // every run appended its own table under a separator
    const runs = w.out().match(/^--- run \d+ · \S+ · \d+ ms ---$/gm)!;
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(w.out().split('tags: host=a').length - 1).toBe(runs.length);
  });

  it('sends Slack messages, and stops by itself after --watch-count runs', async () => {
    const hook = await receiver();
    servers.push(hook.server);
    const r = await run([
      '-database',
      db,
      '-format',
      'csv',
      '--watch',
      '100ms',
      '--watch-count',
      '2',
      '--alert',
      'value >= 9',
      '--webhook',
      hook.url,
      '--slack',
      '-execute',
      'SELECT value FROM hot GROUP BY host',
    ]);
    expect(r.code).toBe(0);
    // csv stays machine-readable: separators go to stderr
    expect(r.stdout).toBe('name,tags,time,value\nhot,host=a,1700000000000000000,9\n'.repeat(2));
    expect(r.stderr.match(/^--- run \d/gm)).toHaveLength(2);
    expect(hook.received).toHaveLength(1);
    const body = hook.received[0]!.body;
    expect(body.text).toContain('ALERTING hot host=a: value >= 9 (value=9)');
    expect(body.attachments[0]).toMatchObject({ color: 'danger', title: 'Alerting: value >= 9' });
  });

  it('sends user:password@ of a webhook URL as Basic auth, and never prints them or the path', async () => {
    const hook = await receiver();
    servers.push(hook.server);
    const port = new URL(hook.url).port;
    const url = `http://hookuser:HookPwLEAK@127.0.0.1:${port}/hook/SecretPathLEAK`;
    const r = await run(['-database', db, '-format', 'csv', '--watch', '100ms', '--watch-count', '2', '--alert', 'value >= 9', '--webhook', url, '-execute', 'SELECT value FROM hot GROUP BY host']);
    expect(r.code).toBe(0);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.authorization).toBe('Basic ' + Buffer.from('hookuser:HookPwLEAK').toString('base64'));
    expect(hook.received[0]!.path).toBe('/hook/SecretPathLEAK');
    const closed = await receiver();
    await new Promise((res) => closed.server.close(res));
    const closedPort = new URL(closed.url).port;
    const down = await run([
      '-database',
      db,
      '--watch',
      '50ms',
      '--watch-count',
      '2',
      '--alert',
      'value > 1',
      '--webhook',
      `http://hookuser:HookPwLEAK@127.0.0.1:${closedPort}/hook/SecretPathLEAK`,
      '-execute',
      'SELECT value FROM hot',
    ]);
    expect(down.stderr).toContain(`alert: webhook http://127.0.0.1:${closedPort} failed: ECONNREFUSED`);
    for (const text of [r.stdout, r.stderr, down.stdout, down.stderr]) {
      expect(text).not.toContain('HookPwLEAK');
      expect(text).not.toContain('SecretPathLEAK');
    }
  });

  it('reports a webhook that is down and keeps watching', async () => {
    const closed = await receiver();
    await new Promise((r) => closed.server.close(r));
    const r = await run(['-database', db, '--watch', '50ms', '--watch-count', '3', '--alert', 'value > 1', '--webhook', closed.url, '-execute', 'SELECT value FROM hot']);
    expect(r.code).toBe(0);
    const port = new URL(closed.url).port;
    expect(r.stderr).toContain(`alert: webhook http://127.0.0.1:${port} failed: ECONNREFUSED; 1 notification(s) will be retried with the next state change`);
    expect(r.stdout.match(/^--- run \d/gm)).toHaveLength(3);
  });

  it('redraws in place on a terminal, with a header and alert lines kept under each redraw', async () => {
    const conn = new InfluxHttp(resolveSettings({ url: influxUrl() }));
    const out = Object.assign(new PassThrough(), { isTTY: true, columns: 60 });
    const err = new PassThrough();
    let screen = '';
    let errors = '';
    out.setEncoding('utf8').on('data', (d) => (screen += d));
    err.setEncoding('utf8').on('data', (d) => (errors += d));
    const session = { conn, serverVersion: '', interactive: false, database: db, format: 'chart' as const, pretty: false, precision: 'ns', chunked: true, chunkSize: 0, consistency: 'all', nodeId: 0 };
    try {
      const run: RunStatements = (units, io, opts) => new Runner(session, io, commands).runUnits(units, opts);
      const code = await runWatch(session, ['SELECT value FROM hot GROUP BY host'], watchPlan({ watch: '50ms', watchCount: '2', alert: 'value > 5' }), run, { out, err });
      expect(code).toBe(0);
    } finally {
      conn.close();
    }
    const frames = screen.split('\x1b[H\x1b[2J').slice(1);
    expect(frames).toHaveLength(2);
    expect(frames[1]).toMatch(/^Every 50ms: SELECT value FROM.*… {2}\d\d:\d\d:\d\d UTC · \d+ ms · run 2\n\n/); // truncated to fit
    expect(frames[1]!.split('\n')[0]!.length).toBeLessThanOrEqual(60);
    expect(frames[1]).toContain('█'); // one value: a big number
    // reported after run 1, shown again under run 2's redraw
    expect(errors.match(/alert: OK → ALERTING {2}hot host=a/g)).toHaveLength(2);
  });

  it('rejects bad watch flags with one line and exit 2', async () => {
    const bad = await run(['--watch', '200ms', '--alert', 'mean >>', '-execute', 'SELECT 1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('alert condition "mean >>"');
  });
});
