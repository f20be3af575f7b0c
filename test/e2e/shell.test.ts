// The interactive shell in a real terminal (tmux) against the test influxd: typing, multi-line
// entry and paste, completion, Ctrl-C of a long query, history on disk, confirmation, exit.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueDb } from '../helpers/influx.js';
import { killTmuxServer, startShell, type TerminalShell } from '../helpers/tmux.js';

const db = uniqueDb('shellui');
const PROMPT = new RegExp(`^127\\.0\\.0\\.1:\\d+ ${db}>$`, 'm');
const shells: TerminalShell[] = [];
// A server of this file's own: these tests create and drop databases, which would race with
// files that compare SHOW DATABASES output on the shared one.
let server: LocalServer;
let serverDir: string;

async function q(query: string): Promise<any> {
  const res = await fetch(`${server.url}/query`, { method: 'POST', body: new URLSearchParams({ q: query, db }) });
  const j = (await res.json()) as any;
  const err = j.error ?? j.results?.find((r: any) => r.error)?.error;
  if (err) throw new Error(err);
  return j;
}

async function write(lines: string): Promise<void> {
  const res = await fetch(`${server.url}/write?db=${db}`, { method: 'POST', body: lines });
  if (res.status !== 204) throw new Error(`write failed: ${res.status}`);
}

async function shell(opts: Parameters<typeof startShell>[0] = {}): Promise<TerminalShell> {
  const s = await startShell({ args: ['-database', db], port: String(server.port), ...opts });
  shells.push(s);
  return s;
}

/** Lines after the last echo of `command` on screen. */
function after(screen: string, command: string): string {
  const i = screen.lastIndexOf(command);
  return i < 0 ? '' : screen.slice(i + command.length);
}

describe('interactive shell in a terminal', () => {
  beforeAll(async () => {
    serverDir = mkdtempSync(join(tmpdir(), 'influxsh-shell-e2e-'));
    server = await startLocalServer({ dataDir: serverDir });
    await q(`CREATE DATABASE ${db}`);
    await write(['cpu,host=a value=1 1700000000000000000', 'cpu,host=b value=2 1700000001000000000', 'cpu,host=a value=3 1700000002000000000', 'slow v=1 946684800000000000'].join('\n'));
  });

  afterAll(async () => {
    for (const s of shells) s.kill();
    killTmuxServer();
    await server?.stop();
    rmSync(serverDir, { recursive: true, force: true });
  });

  it('runs a typed query, shows a boxed table with the prompt showing db, and keeps history (redacted, 0600) after Ctrl-D', async () => {
    const s = await shell();
    await s.waitFor(PROMPT, 'prompt with the database');
    s.type('SELECT * FROM cpu WHERE host = \'a\'');
    s.keys('Enter');
    // A footer ends its line; the live status line goes on ("2 rows · Ctrl-C cancels").
    const out = after(await s.waitFor(/(3|2) rows\n/, 'the result'), "host = 'a'");
    expect(out).toContain('│ time');
    expect(out).toMatch(/│ 1700000000000000000 │ a +│ 1 +│/);
    expect(out).toContain('2 rows');
    expect(out).not.toContain('host = b');

    // Multi-line: Enter on an incomplete statement continues it.
    s.type('SELECT count(value)');
    s.keys('Enter');
    s.type('FROM cpu');
    s.keys('Enter');
    const multi = await s.waitFor(/-> FROM cpu[\s\S]*1 row\n/, 'the continued statement and its result');
    expect(after(multi, '-> FROM cpu')).toMatch(/│ 0 +│ 3 +│/);

    // A password statement must reach history redacted; an unknown user just fails.
    s.type("SET PASSWORD FOR nobody_here = 'hunter2'");
    s.keys('Enter');
    await s.waitFor(/ERR: .*nobody_here|ERR: user not found/i, 'the server error');
    s.type('auth someone secretpw');
    s.keys('Enter');
    s.keys('C-d');
    await s.waitFor(/EXITED:0/, 'exit status 0');
    const file = join(s.home, '.influx_history');
    const hist = readFileSync(file, 'utf8');
    expect(hist).toContain("SELECT * FROM cpu WHERE host = 'a'\n");
    expect(hist).toContain('SELECT count(value) FROM cpu\n');
    expect(hist).toContain('SET PASSWORD FOR nobody_here = [REDACTED]');
    expect(hist).not.toContain('hunter2');
    expect(hist).not.toContain('secretpw');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // The next session reads it back: Up recalls, filtered by what is typed.
    const s2 = await shell({ home: s.home });
    s2.type('SELECT *');
    s2.keys('Up');
    await s2.waitFor(new RegExp(`${db}> SELECT \\* FROM cpu WHERE host = 'a'$`, 'm'), 'the recalled entry');
    s2.keys('C-u');
    s2.keys('C-d');
    await s2.waitFor(/EXITED:0/, 'exit');
  });

  it('inserts a bracketed paste without running it, then runs it on Enter', async () => {
    const s = await shell();
    await s.waitFor(PROMPT);
    s.type('SHOW DATABASES');
    s.keys('Enter');
    await s.waitFor(/rows?\n/, 'first result');
    s.paste("SELECT value\nFROM cpu\nWHERE host = 'b'");
    await s.waitFor(/-> WHERE host = 'b'$/m, 'the pasted lines in the editor');
    // Nothing ran: no second result yet.
    await new Promise((r) => setTimeout(r, 300));
    expect(s.screen()).not.toMatch(/│ 2 +│/);
    s.keys('Enter');
    const out = await s.waitFor(/│ 2 +│[\s\S]*1 row/, 'the pasted statement result');
    expect(after(out, "WHERE host = 'b'")).not.toMatch(/│ 1 +│/);
  });

  it('Ctrl-C cancels a long query (KILL QUERY on the server) and the shell runs the next one', async () => {
    const s = await shell();
    await s.waitFor(PROMPT);
    // One bucket per second over 31 years with fill(0): a query that streams for a long time.
    const long = "SELECT count(v) FROM slow WHERE time >= '2000-01-01T00:00:00Z' AND time < '2031-01-01T00:00:00Z' GROUP BY time(1s) fill(0)";
    s.type(long);
    s.keys('Enter');
    await s.waitFor(/[\d,]{5,} rows · Ctrl-C cancels/, 'the live status line');
    s.keys('C-c');
    await s.waitFor(/Cancelled; KILL QUERY \d+ sent to the server\./, 'the cancel report');
    await s.waitFor(PROMPT, 'the prompt back');
    // The server is no longer running it.
    const deadline = Date.now() + 5000;
    for (;;) {
      const r = await q('SHOW QUERIES');
      const running = (r.results[0].series?.[0]?.values ?? []).filter((v: unknown[]) => String(v[1]).includes('FROM slow'));
      if (!running.length) break;
      if (Date.now() > deadline) throw new Error('the long query is still running on the server');
      await new Promise((r) => setTimeout(r, 50));
    }
    s.type('SELECT count(value) FROM cpu');
    s.keys('Enter');
    // Wait for the result's own table: the live status line under the query can say "1 row" too.
    const out = await s.waitFor(/SELECT count\(value\) FROM cpu\n[\s\S]*│ 0 +│ 3 +│[\s\S]*1 row/, 'the next query');
    expect(out.slice(out.indexOf('SELECT count(value) FROM cpu'))).toMatch(/^SELECT count\(value\) FROM cpu\n[\s\S]*│ 0 +│ 3 +│/);
  });

  it('asks before DROP DATABASE and does nothing on n; --no-confirm skips the question', async () => {
    const victim = uniqueDb('shellui_keep');
    await q(`CREATE DATABASE ${victim}`);
    const s = await shell();
    await s.waitFor(PROMPT);
    s.type(`DROP DATABASE ${victim}`);
    s.keys('Enter');
    await s.waitFor(new RegExp(`DROP DATABASE ${victim} deletes .*Run it on .*\\[y/N\\]`), 'the confirmation');
    s.type('n');
    await s.waitFor(/Not run\./, 'the refusal');
    const dbs = (await q('SHOW DATABASES')).results[0].series[0].values.flat();
    expect(dbs).toContain(victim);
    // --no-confirm runs it without asking.
    const t = await shell({ args: ['-database', db, '--no-confirm'] });
    t.type(`DROP DATABASE ${victim}`);
    t.keys('Enter');
    const deadline = Date.now() + 5000;
    while ((await q('SHOW DATABASES')).results[0].series[0].values.flat().includes(victim)) {
      if (Date.now() > deadline) throw new Error(`not dropped:\n${t.screen()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(t.screen()).not.toContain('[y/N]');
  });

  it('caps long results, pages them with last, and stays usable at 20 columns', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `many v=${i} ${1700000000000000000 + i * 1000000000}`);
    await write(lines.join('\n'));
    const s = await shell({ env: { PAGER: 'cat' } });
    await s.waitFor(PROMPT);
    s.type('limit 10');
    s.keys('Enter');
    s.type('SELECT v FROM many');
    s.keys('Enter');
    const out = after(await s.waitFor(/300 rows, 10 shown/, 'the capped result'), 'SELECT v FROM many');
    expect(out).toContain('⋮ 290 more rows ⋮');
    expect(out).toMatch(/│ 1700000000000000000 │ 0 +│/);
    expect(out).toMatch(/│ 1700000299000000000 │ 299 │/);
    expect(out).not.toMatch(/│ 150 +│/);
    s.type('last');
    s.keys('Enter');
    const paged = after(await s.waitFor(/│ 1700000150000000000 │ 150 │[\s\S]*300 rows\n/, 'every row through the pager'), '> last');
    expect(paged).toMatch(/│ 1700000151000000000 │ 151 │/);
    await s.waitFor(PROMPT, 'the prompt after the pager');
    s.resize(20, 20);
    s.type('nonsense statement');
    s.keys('Enter');
    await s.waitFor(/ERR: error parsing query/, 'a one-line error');
    s.type('SELECT v FROM many LIMIT 1');
    s.keys('Enter');
    await s.waitFor(/-\[ row 1 \]/, 'vertical layout on a narrow terminal');
  });

  it('timing, output to a file, history and connect', async () => {
    const s = await shell();
    await s.waitFor(PROMPT);
    const file = join(s.home, 'out.csv');
    for (const line of ['timing on', 'format csv', `output ${file}`, 'SELECT value FROM cpu', 'output off', 'history', `connect 127.0.0.1:${server.port}`]) {
      s.type(line);
      s.keys('Enter');
    }
    const screen = await s.waitFor(/> connect 127[\s\S]*Connected to http:\/\/127\.0\.0\.1:\d+ version/, 'the reconnect');
    expect(screen).toMatch(/3 rows written to .*out\.csv/);
    expect(screen).toMatch(/Time: [\d.]+ ms \(round trip [\d.]+ ms, rendering [\d.]+ ms\)/);
    // `history` lists what was entered, in order.
    expect(after(screen, '> history')).toMatch(/timing on\nformat csv\noutput .*\nSELECT value FROM cpu\noutput off\nhistory/);
    expect(readFileSync(file, 'utf8')).toBe('name,time,value\ncpu,1700000000000000000,1\ncpu,1700000001000000000,2\ncpu,1700000002000000000,3\n');
  });

  it('survives its server going away: a one-line error, then the next statement reconnects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-dying-'));
    const dying = await startLocalServer({ dataDir: dir });
    try {
      const s = await shell({ port: String(dying.port), args: [] });
      s.type('CREATE DATABASE phoenix');
      s.keys('Enter');
      s.type('SHOW DATABASES');
      s.keys('Enter');
      await s.waitFor(/│ phoenix +│/, 'the first answer');
      await dying.stop();
      s.type('SHOW MEASUREMENTS ON phoenix');
      s.keys('Enter');
      const err = await s.waitFor(/ERR: .*(refused|reset|Failed to connect).*\n.*>$/m, 'a connection error and the prompt');
      expect(after(err, 'SHOW MEASUREMENTS ON phoenix').trim().split('\n').filter((l) => l.startsWith('ERR')).length).toBe(1);
      await dying.restart();
      s.type('SHOW DATABASES');
      s.keys('Enter');
      await s.waitFor(/SHOW DATABASES[\s\S]*SHOW DATABASES[\s\S]*│ phoenix +│[\s\S]*1 row/, 'the answer after the restart');
    } finally {
      await dying.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('completes a measurement name with Tab', async () => {
    const s = await shell();
    await s.waitFor(PROMPT);
    s.type('SELECT * FROM cp');
    // Metadata loads in the background: Tab until the name is completed.
    const deadline = Date.now() + 10000;
    while (!/FROM cpu\b/.test(s.visible())) {
      if (Date.now() > deadline) throw new Error(`no completion:\n${s.visible()}`);
      s.keys('Tab');
      await new Promise((r) => setTimeout(r, 200));
    }
    s.keys('Enter');
    await s.waitFor(/3 rows\n/, 'the completed query result');
  });

  it('watch re-runs a statement, redraws with new data, and Ctrl-C returns to the prompt', async () => {
    const s = await shell();
    await s.waitFor(PROMPT);
    s.type("watch 300ms SELECT count(value) FROM cpu WHERE host = 'w'");
    s.keys('Enter');
    await s.waitFor(/Every 300ms: .*refreshed/, 'a refreshed header');
    await write('cpu,host=w value=1\ncpu,host=w value=2 1000');
    await s.waitFor(/│ 0\s+│ 2\s+│/, 'the new count after a write');
    s.keys('C-c');
    const screen = await s.waitFor(/watch stopped after \d+ runs/, 'the stop message');
    expect(screen).toMatch(PROMPT);
    s.type('SHOW MEASUREMENTS');
    s.keys('Enter');
    await s.waitFor(/measurements/, 'the next statement runs');
  });
});
