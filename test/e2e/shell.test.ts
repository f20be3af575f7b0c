// The interactive shell in a real terminal (tmux) against the test influxd: typing, multi-line
// entry and paste, completion, Ctrl-C of a long query, history on disk, confirmation, exit.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../../src/connection/local.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, uniqueDb } from '../helpers/influx.js';
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
  // These expectations read ns epochs; the shell's default (rfc3339 in the local zone) is in time-zone.test.ts.
  const s = await startShell({ args: ['-database', db, '-precision', 'ns'], port: String(server.port), ...opts });
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
    s.type("SELECT * FROM cpu WHERE host = 'a'");
    s.keys('Enter');
    // A footer ends its line; the live status line goes on ("2 rows · Ctrl-C cancels").
    // Waits for the prompt under the footer: Ink may show the previous frame for one throttled
    // frame (up to 17 ms) after output, and a capture in that window would end with the old editor.
    const settled = (footer: string) => new RegExp(`${footer}\\n[\\s\\S]*${PROMPT.source.slice(1, -1)}\\s*$`);
    const out = after(await s.waitFor(settled('2 rows'), 'the result and the prompt'), "host = 'a'");
    expect(out).toContain('│ time');
    expect(out).toMatch(/│ 1700000000000000000 │ a +│ 1 +│/);
    expect(out).toContain('2 rows');
    expect(out).not.toContain('host = b');

    // Multi-line: Enter on an incomplete statement continues it.
    s.type('SELECT count(value)');
    s.keys('Enter');
    s.type('FROM cpu');
    s.keys('Enter');
    const multi = await s.waitFor(settled('-> FROM cpu[\\s\\S]*1 row'), 'the continued statement, its result and the prompt');
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
    // Keys typed after the paste land on its last line: had a pasted newline submitted anything,
    // they would start a fresh prompt instead, and a result would sit between.
    s.type(' LIMIT 1');
    const editing = await s.waitFor(/-> WHERE host = 'b' LIMIT 1$/m, 'typing continuing the pasted statement');
    expect(after(editing, 'SELECT value\n')).toMatch(/^ +-> FROM cpu\n +-> WHERE host = 'b' LIMIT 1\n*$/);
    expect(after(editing, 'SELECT value')).not.toMatch(/│/);
    s.keys('Enter');
    const out = await s.waitFor(/│ 2 +│[\s\S]*1 row/, 'the pasted statement result');
    expect(after(out, "WHERE host = 'b' LIMIT 1")).not.toMatch(/│ 1 +│/);
  });

  // One bucket per second over 31 years with fill(0): a query that streams for a long time.
  const LONG = "SELECT count(v) FROM slow WHERE time >= '2000-01-01T00:00:00Z' AND time < '2031-01-01T00:00:00Z' GROUP BY time(1s) fill(0)";
  const SLOW_START_S = 946684800;

  async function noLongQueryOnServer(): Promise<void> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const r = await q('SHOW QUERIES');
      const running = (r.results[0].series?.[0]?.values ?? []).filter((v: unknown[]) => String(v[1]).includes('FROM slow'));
      if (!running.length) return;
      if (Date.now() > deadline) throw new Error('the long query is still running on the server');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('Ctrl-C in every format: rows stop, then one cancel line, then the prompt; the query is killed on the server', async () => {
    const s = await shell();
    await s.waitFor(PROMPT);
    // A time in the result's last row, per format: csv and column print it bare, table in a box, vertical in a block.
    const rowTime: Record<string, RegExp> = {
      csv: /^slow,(\d+),0$/,
      column: /^(\d{18}) +0$/,
      table: /^│ (\d{18}) │ 0 +│$/,
      vertical: /^ ?time \| (\d{18})$/,
    };
    for (const format of ['csv', 'column', 'table', 'vertical', 'json']) {
      s.keys('C-l');
      s.type(`format ${format}`);
      s.keys('Enter');
      s.type(LONG);
      s.keys('Enter');
      await s.waitFor(/[\d,]{5,} rows · Ctrl-C cancels/, `the live status line (${format})`);
      s.keys('C-c');
      const screen = await s.waitFor(new RegExp(`cancelled after [\\d,]+ rows \\(KILL QUERY \\d+ sent\\)\\n${PROMPT.source.slice(1, -1)}$`, 'm'), `the cancel line and the prompt (${format})`);
      // From this format's own `format X` line (the long statement's echo is wrapped over two
      // lines); csv's rows push it out of the captured history, and nothing came before csv.
      const mark = `> format ${format}\n`;
      const out = screen.includes(mark) ? after(screen, mark) : screen;
      const lines = out.split('\n');
      const at = lines.findIndex((l) => l.startsWith('cancelled after'));
      // Exactly one report of the cancel, and no error besides it.
      expect(lines.filter((l) => /cancel/i.test(l) && !/partial/.test(l)).length, format).toBe(1);
      expect(out, format).not.toMatch(/ERR|aborted/);
      // The prompt follows the cancel line directly: no row (nor anything else) after it.
      expect(lines[at + 1], format).toMatch(PROMPT);
      const n = Number(/cancelled after ([\d,]+) rows/.exec(lines[at]!)![1]!.replace(/,/g, ''));
      expect(n, format).toBeGreaterThan(1000);
      if (format === 'json') {
        // The document is closed (valid JSON) and says partial, without an error field.
        expect(lines[at - 1], format).toMatch(/\]\}$/);
        continue;
      }
      // The last row shown is the last row counted: nothing arrived on screen after the count stopped.
      const before = lines.slice(0, at).reverse();
      const last = before.map((l) => rowTime[format]!.exec(l)).find(Boolean);
      expect(last, `${format}: ${before.slice(0, 8).join('\n')}`).toBeTruthy();
      expect(Number(last![1]!.slice(0, -9)), format).toBe(SLOW_START_S + n - 1);
      if (format !== 'csv')
        expect(
          before.find((l) => /rows?\b/.test(l)),
          format,
        ).toMatch(/rows \(partial, cancelled\)/);
      await noLongQueryOnServer();
    }
  }, 60000);

  it('statements typed ahead while a query runs are shown as queued and run after a Ctrl-C; Ctrl-C twice brings them back', async () => {
    const s = await shell();
    await s.waitFor(PROMPT);
    s.type(LONG);
    s.keys('Enter');
    await s.waitFor(/[\d,]{5,} rows · Ctrl-C cancels/, 'the live status line');
    s.type('SELECT count(value) FROM cpu');
    s.keys('Enter');
    await s.waitFor(/^queued: SELECT count\(value\) FROM cpu$/m, 'the queued statement shown');
    s.keys('C-c');
    const prompt = PROMPT.source.slice(1, -1);
    const out = await s.waitFor(
      new RegExp(`cancelled after[\\s\\S]*> SELECT count\\(value\\) FROM cpu\\n[\\s\\S]*│ 0 +│ 3 +│[\\s\\S]*1 row\\n+${prompt}\\n*$`),
      'the queued statement run after the cancel, then the prompt',
    );
    expect(after(out, 'cancelled after')).not.toContain('queued:');
    await noLongQueryOnServer();

    // Ctrl-C twice: the cancel, then the queued statement back in the editor instead of run.
    s.type(LONG);
    s.keys('Enter');
    await s.waitFor(/[\d,]{5,} rows · Ctrl-C cancels/, 'the live status line');
    s.type('SHOW MEASUREMENTS');
    s.keys('Enter');
    await s.waitFor(/^queued: SHOW MEASUREMENTS$/m, 'the queued statement shown');
    // One send-keys, so the second press reaches the shell while the cancel is still under way
    // (two tmux calls on a loaded machine can be far enough apart for the queued one to start).
    s.keys('C-c', 'C-c');
    const back = await s.waitFor(new RegExp(`cancelled after[\\s\\S]*${prompt} SHOW MEASUREMENTS\\n*$`), 'the statement back in the editor');
    expect(after(back, 'cancelled after')).not.toMatch(/^measurements$/m);
    await noLongQueryOnServer();
  });

  it('Ctrl-C cancels a long query and the shell runs the next one', async () => {
    const s = await shell();
    await s.waitFor(PROMPT);
    s.type(LONG);
    s.keys('Enter');
    await s.waitFor(/[\d,]{5,} rows · Ctrl-C cancels/, 'the live status line');
    s.keys('C-c');
    await s.waitFor(/cancelled after [\d,]+ rows \(KILL QUERY \d+ sent\)/, 'the cancel report');
    await s.waitFor(PROMPT, 'the prompt back');
    await noLongQueryOnServer();
    s.type('SELECT count(value) FROM cpu');
    s.keys('Enter');
    // Wait for the result's own table: the live status line under the query can say "1 row" too.
    const out = await s.waitFor(/SELECT count\(value\) FROM cpu\n[\s\S]*│ 0 +│ 3 +│[\s\S]*1 row/, 'the next query');
    expect(out.slice(out.indexOf('SELECT count(value) FROM cpu'))).toMatch(/^SELECT count\(value\) FROM cpu\n[\s\S]*│ 0 +│ 3 +│/);
  });

  it('leaves the terminal to the user at 80x24: Ctrl-L keeps the scrollback, auth waits without a status line, pastes echo whole, exit leaves a fresh line', async () => {
    const s = await shell({ size: { columns: 80, rows: 24 } });
    await s.waitFor(PROMPT);
    s.type('SHOW MEASUREMENTS ON ' + db);
    s.keys('Enter');
    await s.waitFor(/^│ slow +│$/m, 'a result to scroll away');
    s.keys('C-l');
    await s.waitFor(() => PROMPT.test(s.visible().split('\n')[0]!), 'the prompt on the first line of a cleared screen');
    // Cleared from the screen, kept in the scrollback.
    expect(s.visible()).not.toMatch(/│ slow/);
    expect(s.screen()).toMatch(/^│ slow +│$/m);

    // auth: the password prompt waits with no query status or spinner above it.
    s.type('auth');
    s.keys('Enter');
    await s.waitFor(/^username:/m, 'the username prompt');
    expect(s.visible()).not.toMatch(/Ctrl-C cancels|series ·|\d+\.\d s/);
    s.type('someone');
    s.keys('Enter');
    await s.waitFor(/^password:/m, 'the password prompt');
    expect(s.visible()).not.toMatch(/Ctrl-C cancels|series ·|\d+\.\d s/);
    s.type('pw');
    s.keys('Enter');
    await s.waitFor(new RegExp(`password:\\n${PROMPT.source.slice(1, -1)}$`, 'm'), 'the prompt back');

    // A paste ending in a newline: no empty continuation line, before or after running it.
    s.paste("SELECT value FROM cpu WHERE host = 'b'\n");
    await s.waitFor(new RegExp(`${PROMPT.source.slice(1, -1)} SELECT value FROM cpu WHERE host = 'b'$`, 'm'), 'the pasted line in the editor');
    s.keys('Enter');
    await s.waitFor(/│ 2 +│[\s\S]*1 row/, 'its result');
    // A 500-line paste: the scrollback gets every line, no "more rows below" window.
    const ors = Array.from({ length: 498 }, (_, i) => ` OR host = 'x${i}'`);
    s.paste(["SELECT count(value) FROM cpu WHERE host = 'a'", ...ors, ''].join('\n'));
    s.keys('Enter');
    const big = await s.waitFor(/OR host = 'x497'\n[\s\S]*│ 0 +│ 2 +│[\s\S]*1 row/, 'the long statement and its result');
    expect(big).toMatch(/^ +-> +OR host = 'x450'$/m);
    expect(big).not.toMatch(/more rows? (below|above)/);
    expect(big).not.toMatch(/^ *->$/m);

    // exit: the echo, then the parent's next output on the very next line (no prompt drawn again).
    s.type('exit');
    s.keys('Enter');
    const end = await s.waitFor(/EXITED:0/, 'the exit');
    expect(end).toMatch(new RegExp(`${PROMPT.source.slice(1, -1)} exit\nEXITED:0$`, 'm'));
  });

  it('resizing 160 -> 60 -> 160 columns leaves no stale copy of the input line above the prompt', async () => {
    const s = await shell({ size: { columns: 160, rows: 48 } });
    await s.waitFor(PROMPT);
    // A result first, as in use: tmux keeps the cursor's screen row on a resize and moves the rows
    // that grow above it into its scrollback, where nothing can erase them (reflow.ts).
    s.type('SELECT * FROM cpu');
    s.keys('Enter');
    await s.waitFor(/\d+ rows?\n/, 'a result above the prompt');
    // Two rows at 160 columns, five at 60: the terminal rewraps the rows Ink drew.
    const text = `SELECT value FROM cpu WHERE host = 'a' AND value > 0 ORDER BY time DESC LIMIT 10 -- a comment long enough to wrap the line at every width used here, ${'x'.repeat(20)} end`;
    s.type(text);
    await s.waitFor(/ end$/m, 'the typed line');
    s.resize(60, 48);
    await s.waitFor(
      () =>
        s
          .visible()
          .split('\n')
          .some((l) => l.length <= 60 && / end$/.test(l)) &&
        s
          .visible()
          .split('\n')
          .every((l) => l.length <= 60),
      'the editor drawn again at 60 columns',
    );
    s.resize(160, 48);
    await s.waitFor(
      () =>
        s
          .visible()
          .split('\n')
          .some((l) => l.length > 60 && / end$/.test(l)),
      'the editor drawn again at 160 columns',
    );
    const wide = s.screen();
    // One prompt on the screen and in the scrollback; nothing of the line above it.
    const prompts = wide.split('\n').filter((l) => /^127\.0\.0\.1:\d+ \S+> /.test(l) && !l.endsWith('> SELECT * FROM cpu'));
    expect(prompts, wide).toHaveLength(1);
    expect(wide.slice(wide.search(/\d+ rows?\n/), wide.indexOf(prompts[0]!))).not.toMatch(/SELECT|value > 0|comment/);
    // The buffer is intact: Enter runs it.
    s.keys('Enter');
    await s.waitFor(/│ 3 +│\n│ \d+ +│ 1 +│\n[\s\S]*2 rows/, 'its result');
  });

  it('INSERT typed or pasted with bytes that are not UTF-8 sends them unchanged', async () => {
    const BAD = Buffer.from([0xff, 0xfe]);
    const stored = async (measurement: string) => {
      // CSV answers carry the bytes as stored (JSON would replace them).
      const body = new URLSearchParams({ db, q: `SHOW TAG VALUES FROM ${measurement} WITH KEY = "t"` });
      const res = await fetch(`${server.url}/query`, { method: 'POST', body, headers: { Accept: 'application/csv' } });
      return Buffer.from(await res.arrayBuffer());
    };
    const s = await shell();
    await s.waitFor(PROMPT);
    // Typed: tmux's send-keys -H sends the bytes as a Latin-1 terminal would.
    s.type('INSERT rawtyped,t=');
    s.keys('-H', 'ff', 'fe');
    s.type(' v=1');
    await s.waitFor(/INSERT rawtyped,t=\?\? v=1$/m, 'the line, each byte drawn as ?');
    s.keys('Enter');
    await s.waitFor(new RegExp(`INSERT rawtyped,t=\\?\\? v=1\\n${PROMPT.source.slice(1, -1)}\\s*$`), 'the prompt after the insert');
    // Pasted.
    s.paste(Buffer.concat([Buffer.from('INSERT rawpasted,t='), BAD, Buffer.from(' v=1')]));
    await s.waitFor(/INSERT rawpasted,t=\?\? v=1$/m, 'the pasted line');
    s.keys('Enter');
    for (const m of ['rawtyped', 'rawpasted']) {
      const deadline = Date.now() + 10000;
      let csv = await stored(m);
      while (!csv.includes(Buffer.from(',t,')) && Date.now() < deadline) csv = await stored(m);
      expect(csv.includes(Buffer.concat([Buffer.from(',t,'), BAD, Buffer.from('\n')])), csv.toString('latin1')).toBe(true);
      expect(csv.includes(Buffer.from('\ufffd'))).toBe(false);
    }
  });

  it('plain influxsh with nothing at localhost:8086 says so and points at --local', async () => {
    const taken = await new Promise<boolean>((resolve) => {
      const sock = connect(8086, 'localhost', () => (sock.destroy(), resolve(true)));
      sock.on('error', () => resolve(false));
    });
    if (taken) throw new Error('something listens on localhost:8086: this test needs it free');
    const s = await startShell({ bare: true, size: { columns: 80, rows: 24 } });
    shells.push(s);
    const screen = await s.waitFor(/EXITED:1/, 'the failed start');
    expect(screen).toMatch(/Failed to connect to http:\/\/localhost:8086: connection refused/);
    expect(screen).toMatch(/^no InfluxDB at localhost:8086 — try influxsh --local$/m);
  });

  it("leaving a --local shell says, within the terminal's width, that influxd keeps running, where its data is, how to come back and stop it", async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'influxsh-xdg-'));
    const env = { XDG_DATA_HOME: xdg };
    try {
      const s = await startShell({ bare: true, args: ['--local'], env, size: { columns: 80, rows: 24 } });
      shells.push(s);
      await s.waitFor(/^127\.0\.0\.1:\d+>$/m, 'the prompt on the private server', 30000);
      s.type('exit');
      s.keys('Enter');
      const screen = await s.waitFor(/EXITED:0/, 'the exit');
      const data = join(xdg, 'influxsh', 'local');
      const url = /Connected to (http:\/\/127\.0\.0\.1:\d+)/.exec(screen)![1]!;
      const lines = after(screen, '> exit\n').split('\n');
      const note = lines.slice(0, lines.indexOf('EXITED:0'));
      // Broken between words to the 80 columns, not by the terminal in the middle of the path.
      for (const l of note) expect(l.length, l).toBeLessThanOrEqual(80);
      expect(note.join(' ').replace(/\s+/g, ' ')).toBe(
        // The data directory is the default one (from XDG_DATA_HOME), so the commands need no --local-data.
        `The private influxd keeps running at ${url} (data: ${data}). Come back with: influxsh --local Stop it with: influxsh local stop`,
      );
    } finally {
      spawnSync(process.execPath, [BIN, 'local', 'stop', '--local-data', join(xdg, 'influxsh', 'local')], { stdio: 'ignore' });
      rmSync(xdg, { recursive: true, force: true });
    }
  }, 40000);

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
    // Typed after the limit took effect, as a person would (typing ahead is the queue test's subject).
    await s.waitFor(/Display limit 10 rows per series\n\S+ \S+>/, 'the limit set');
    s.type('SELECT v FROM many');
    s.keys('Enter');
    // Looked at as soon as the result is there: the input line must not show under it again
    // (Enter right behind the text once did, for a frame: src/ui/frame-gate.ts).
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
    // Seconds past 1000 ms (a loaded machine).
    expect(screen).toMatch(/Time: [\d.]+ m?s \(round trip [\d.]+ m?s, rendering [\d.]+ m?s\)/);
    // `history` lists what was entered, in order.
    expect(after(screen, '> history')).toMatch(/timing on\nformat csv\noutput .*\nSELECT value FROM cpu\noutput off\nhistory/);
    expect(readFileSync(file, 'utf8')).toBe('name,time,value\ncpu,1700000000000000000,1\ncpu,1700000001000000000,2\ncpu,1700000002000000000,3\n');
  });

  it('survives its server going away: a one-line error, then the next statement reconnects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'influxsh-dying-'));
    const dying = await startLocalServer({ dataDir: dir });
    try {
      // The default host, as users type it: influxd listens on 127.0.0.1 only, so ::1 is refused.
      const s = await shell({ host: 'localhost', port: String(dying.port), args: [] });
      s.type('CREATE DATABASE phoenix');
      s.keys('Enter');
      s.type('SHOW DATABASES');
      s.keys('Enter');
      await s.waitFor(/│ phoenix +│/, 'the first answer');
      await dying.stop();
      s.type('SHOW MEASUREMENTS ON phoenix');
      s.keys('Enter');
      const err = await s.waitFor(/ERR: .*(refused|reset|Failed to connect).*\n.*>$/m, 'a connection error and the prompt');
      expect(
        after(err, 'SHOW MEASUREMENTS ON phoenix')
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('ERR')).length,
      ).toBe(1);
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
    await s.waitFor(/Every 300ms: .* run \d+ at \d\d:\d\d:\d\d, \d+ ms/, 'a header after a run');
    await write('cpu,host=w value=1\ncpu,host=w value=2 1000');
    await s.waitFor(/│ 0\s+│ 2\s+│/, 'the new count after a write');
    s.keys('C-c');
    // The prompt comes back in Ink's next frame, under the message.
    await s.waitFor(new RegExp(`watch stopped after \\d+ runs\\n${PROMPT.source.slice(1, -1)}\\n*$`), 'the stop message, then the prompt');
    s.type('SHOW MEASUREMENTS');
    s.keys('Enter');
    await s.waitFor(/measurements/, 'the next statement runs');
  });

  it('watch at 80x24 with a 5-series result: in place within the screen, a one-line header, per-run counts, "watch stopped"', async () => {
    const points = ['a', 'b', 'c', 'd', 'e'].flatMap((h) => Array.from({ length: 6 }, (_, i) => `five,host=${h} v=${i} ${1700000000000000000 + i * 1e9}`));
    await write(points.join('\n'));
    const s = await shell({ size: { columns: 80, rows: 24 } });
    await s.waitFor(PROMPT);
    const stmt = 'SELECT v FROM five GROUP BY host';
    s.type(`watch 200ms ${stmt}`);
    s.keys('Enter');
    const running = await s.waitFor(/watch run [3-9] · .* · 5 series · 30 rows · Ctrl-C stops/, 'the third run counted on its own');
    const visible = s.visible().replace(/\n$/, '').split('\n');
    // The whole frame, status and prompt fit the 24 rows, the header on one line of at most 79 columns.
    expect(visible.length).toBeLessThanOrEqual(24);
    const header = visible.find((l) => l.startsWith('Every 200ms: '))!;
    expect(header.length).toBeLessThan(80);
    expect(visible[visible.indexOf(header) + 1]).toBe('five  host=a');
    expect(visible.some((l) => /^… \d+ more lines not shown/.test(l))).toBe(true);
    // Runs replace each other: no earlier frame was left in the scrollback.
    expect(running.split('Every 200ms: ').length - 1).toBe(1);
    s.keys('C-c');
    // Waits for the settled screen: the live region's last status line may still be drawn for one frame.
    const done = await s.waitFor(new RegExp(`watch stopped after \\d+ runs\\n${PROMPT.source.slice(1, -1)}\\n*$`), 'the stop message, then the prompt');
    const tail = after(done, `watch 200ms ${stmt}`);
    expect(tail).not.toMatch(/KILL QUERY|cancelled|ERR/);
    // The last frame stays once, then the stop line, then the prompt.
    expect(tail.split('Every 200ms: ').length - 1).toBe(1);
    expect(tail).toMatch(new RegExp(`watch stopped after \\d+ runs\\n${PROMPT.source.slice(1, -1)}\\n*$`));
  });
});
